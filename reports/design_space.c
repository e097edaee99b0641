// SPDX-License-Identifier: MIT
/*
 * irqpath-report design-space RUN: the virtio-mmio design space of a
 * `make bench PROFILE=variants` run, one row per profile: exits per
 * transaction (marginal: N-transaction run minus the 1-transaction
 * baseline) by cause, interrupt-path exits per device interrupt, trans/s,
 * the cost of sharing a vector (exits against the same design with a
 * vector per queue), the masked-interrupt behaviour, footprint and
 * compatibility (RUN/footprint/footprint.json, scripts/variants-footprint.sh).
 * Writes RUN/design-space.{md,json} and design-space-{exits,irqpath}.{png,svg}.
 */
#include "design_space.h"
#include "gnuplot.h"
#include "results.h"
#include "irqpath/atomic_file.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAUSES 16

struct ds {
	struct result_set set;
	json_t *foot; /* footprint.json "profiles", or NULL */
	const char *causes[MAX_CAUSES];
	size_t ncauses;
};

/* marginal mean (a baseline run), else the whole-run mean. */
static double val(const struct result *r, const char *key)
{
	double v = result_marginal_mean(r, key);
	return isnan(v) ? result_mean(r, key) : v;
}

static json_t *foot_of(const struct ds *d, const char *profile)
{
	size_t i;
	json_t *p;
	json_array_foreach(d->foot, i,
			   p) if (!strcmp(json_string_value(json_object_get(p, "profile")) ?: "",
					  profile)) return p;
	return NULL;
}

/* Exit causes present in any profile's marginal (or whole-run) summary. */
static void find_causes(struct ds *d)
{
	for (size_t i = 0; i < d->set.n; i++) {
		json_t *s = json_object_get(d->set.r[i].doc, "marginal_summary");
		if (!s)
			s = json_object_get(d->set.r[i].doc, "summary");
		const char *k;
		json_t *v;
		json_object_foreach(s, k, v)
		{
			if (strncmp(k, "exits_per_txn.", 14) || !strcmp(k, "exits_per_txn.total"))
				continue;
			size_t j = 0;
			while (j < d->ncauses && strcmp(d->causes[j], k))
				j++;
			if (j == d->ncauses && d->ncauses < MAX_CAUSES)
				d->causes[d->ncauses++] = k;
		}
	}
}

/* The same design with a vector per queue: the name without -shared/-fewer. */
static const struct result *sibling(const struct ds *d, const char *profile)
{
	const char *dash = strrchr(profile, '-');
	if (!dash || (strcmp(dash, "-shared") && strcmp(dash, "-fewer")))
		return NULL;
	size_t n = (size_t)(dash - profile);
	for (size_t i = 0; i < d->set.n; i++)
		if (strlen(d->set.r[i].profile) == n && !strncmp(d->set.r[i].profile, profile, n))
			return &d->set.r[i];
	return NULL;
}

static const char *str(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v) ?: "";
}

static long num(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_is_integer(v) ? (long)json_integer_value(v) : json_is_true(v) ? 1 : 0;
}

/* What the masked-interrupt probe showed: pending (delivered), lost, or no mask. */
static const char *mask_result(json_t *f)
{
	json_t *p = json_object_get(f, "mask_probe");
	bool pending = !strcmp(str(f, "mask_rule", NULL), "pending");
	if (!p || !num(p, "masked_raises", NULL))
		return pending ? "pending (by design; not probed)"
		       : !strcmp(str(f, "mask_rule", NULL), "none") ? "no mask"
								    : "n/a";
	return num(p, "sent_on_unmask", NULL)
		   ? (pending ? "delivered on unmask (pending bit)" : "delivered on unmask")
		   : "lost";
}

static json_t *row_json(const struct ds *d, const struct result *r)
{
	json_t *row = json_object(), *causes = json_object();
	json_t *f = foot_of(d, r->profile);
	const struct result *sib = sibling(d, r->profile);
	json_object_set_new(row, "profile", json_string(r->profile));
	json_object_set_new(row, "exits_per_txn", json_real(val(r, "exits_per_txn.total")));
	for (size_t c = 0; c < d->ncauses; c++)
		if (!isnan(val(r, d->causes[c])))
			json_object_set_new(causes, d->causes[c] + 14,
					    json_real(val(r, d->causes[c])));
	json_object_set_new(row, "exits_by_cause", causes);
	json_object_set_new(row, "userspace_exits_per_txn",
			    json_real(val(r, "userspace_exits_per_txn")));
	json_object_set_new(row, "irq_path_exits_per_device_irq",
			    json_real(val(r, "irq_path_exits_per_device_irq")));
	json_object_set_new(row, "trans_per_s", json_real(result_mean(r, "trans_per_s")));
	if (sib)
		json_object_set_new(
		    row, "shared_vector_cost",
		    json_pack("{s:s,s:f}", "against", sib->profile, "exits_per_txn",
			      val(r, "exits_per_txn.total") - val(sib, "exits_per_txn.total")));
	json_object_set_new(row, "mask", json_string(f ? mask_result(f) : "n/a"));
	if (f)
		json_object_set(row, "footprint", f);
	return row;
}

static void fmt(char *b, size_t n, double v)
{
	if (isnan(v))
		snprintf(b, n, "?");
	else
		snprintf(b, n, "%.2f", v);
}

static void causes_cell(const json_t *row, FILE *o)
{
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach((json_t *)json_object_get(row, "exits_by_cause"), k, v)
	{
		if (json_real_value(v) < 0.005)
			continue;
		fprintf(o, "%s%s %.2f", first ? "" : ", ", k, json_real_value(v));
		first = 0;
	}
	if (first)
		fputs("-", o);
}

static void md_row(const json_t *row, FILE *o)
{
	char a[32], b[32], c[32], s[48] = "-";
	json_t *f = json_object_get(row, "footprint"),
	       *sv = json_object_get(row, "shared_vector_cost");
	fmt(a, sizeof(a), json_real_value(json_object_get(row, "exits_per_txn")));
	fmt(b, sizeof(b), json_real_value(json_object_get(row, "irq_path_exits_per_device_irq")));
	fmt(c, sizeof(c), json_real_value(json_object_get(row, "trans_per_s")));
	if (sv)
		snprintf(s, sizeof(s), "%+.2f vs %s",
			 json_real_value(json_object_get(sv, "exits_per_txn")),
			 json_string_value(json_object_get(sv, "against")));
	fprintf(o, "| %s | %s | ", json_string_value(json_object_get(row, "profile")), a);
	causes_cell(row, o);
	fprintf(o, " | %s | %s | %s | %ld | %s | ", b, c, s, num(f, "interrupts", "vectors_used"),
		json_string_value(json_object_get(row, "mask")));
	json_t *added = json_object_get(f, "registers_added");
	if (json_is_array(added))
		fprintf(o, "%zu (+%zu redefined) | ", json_array_size(added),
			json_array_size(json_object_get(f, "registers_redefined")));
	else
		fputs("n/a (not mmio) | ", o);
	/* measured (scripts/variants-stock-linux.sh) unless marked derived */
	bool derived = !strncmp(str(f, "stock_linux", "source"), "derived", 7);
	fprintf(o, "%ld / %ld | %ld (%ld) / %ld (%ld) | %s, %ld irq%s | %zu |\n",
		num(f, "window_bytes_used", NULL), num(f, "window_bytes", NULL),
		num(f, "loc", "device"), num(f, "loc", "device_with_shared"),
		num(f, "loc", "guest"), num(f, "loc", "guest_with_shared"),
		num(f, "stock_linux", "binds") ? "binds" : "refused",
		num(f, "stock_linux", "interrupts"), derived ? " (derived)" : "",
		json_array_size(json_object_get(f, "collides")));
}

static void markdown(const json_t *rows, FILE *o)
{
	fputs(
	    "# virtio-mmio design space\n\n"
	    "Per transaction: marginal (N-transaction run minus a 1-transaction run, over N-1),\n"
	    "mean over the repetitions; exits by cause as the host tracer reports them.\n"
	    "Shared-vector cost: exits per transaction against the same design with a vector per\n"
	    "queue. Footprint: registers beyond version 2, window bytes used / claimed, lines of\n"
	    "code of the device register file and of the micro-guest driver (with the code the\n"
	    "variants share in brackets). Stock Linux: Debian's kernel booted on irqpath-vmm with "
	    "its\n"
	    "own virtio_mmio driving the device (scripts/variants-stock-linux.sh): virtio_net "
	    "bound\n"
	    "or refused, and the device's lines in the guest's /proc/interrupts; \"(derived)\" "
	    "where\n"
	    "that run is missing (Linux's virtio_mmio probes versions 1-2, one platform IRQ).\n\n"
	    "| profile | exits/txn | by cause | irq-path exits/irq | trans/s | shared-vector cost "
	    "| MSI vectors | masked interrupt | registers added | window bytes | LoC device / "
	    "guest "
	    "| stock Linux | collides |\n"
	    "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
	    o);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) md_row(row, o);
	json_array_foreach(rows, i, row)
	{
		json_t *col = json_object_get(json_object_get(row, "footprint"), "collides");
		size_t k;
		json_t *c;
		json_array_foreach(col, k, c) fprintf(
		    o, "%s%s: collides: %s\n", k ? "" : "\n",
		    json_string_value(json_object_get(row, "profile")), json_string_value(c));
	}
}

/* Stacked bars of exits per transaction by cause, and irq-path exits per interrupt. */
static int charts(const char *dir, const struct ds *d, const json_t *rows, char *err, size_t n)
{
	char path[4096], q[160];
	snprintf(path, sizeof(path), "%s/design-space.dat", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return snprintf(err, n, "design-space.dat: cannot write in %.900s", dir), -1;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		fprintf(
		    f, "%zu \"%s\" %.6g", i,
		    gnuplot_quote(json_string_value(json_object_get(row, "profile")), q, sizeof(q)),
		    json_real_value(json_object_get(row, "irq_path_exits_per_device_irq")));
		for (size_t c = 0; c < d->ncauses; c++) {
			json_t *v = json_object_get(json_object_get(row, "exits_by_cause"),
						    d->causes[c] + 14);
			fprintf(f, " %.6g", v ? json_real_value(v) : 0.0);
		}
		fputc('\n', f);
	}
	fclose(f);
	const char *term = gnuplot_png_terminal();
	if (!term)
		return 0; /* no gnuplot: the tables are the report */
	snprintf(path, sizeof(path), "%s/design-space.gp", dir);
	FILE *gp = fopen(path, "w");
	if (!gp)
		return snprintf(err, n, "design-space.gp: cannot write in %.900s", dir), -1;
	for (int e = 0; e < 2; e++) {
		const char *ext = e ? "svg" : "png";
		gnuplot_set_output(gp, ext, "design-space-exits");
		fputs(
		    "set style data histograms\nset style histogram rowstacked\nset style fill "
		    "solid 0.8\nset boxwidth 0.7\nset ylabel \"exits per transaction\"\nset xtics "
		    "rotate by -35\nset key outside right\nset yrange [0:*]\nplot ",
		    gp);
		for (size_t c = 0; c < d->ncauses; c++)
			fprintf(gp, "%s'design-space.dat' using %zu%s title \"%s\"", c ? ", " : "",
				c + 4, c ? "" : ":xtic(2)", d->causes[c] + 14);
		if (!d->ncauses)
			fputs("'design-space.dat' using 3:xtic(2) title \"(no exits)\"", gp);
		fputc('\n', gp);
		gnuplot_set_output(gp, ext, "design-space-irqpath");
		fputs("set style data histograms\nset style histogram clustered\nset ylabel "
		      "\"interrupt-path exits per device interrupt\"\nunset key\nplot "
		      "'design-space.dat' using 3:xtic(2)\n",
		      gp);
	}
	fclose(gp);
	static const char *const bases[] = {"design-space-exits", "design-space-irqpath"};
	return gnuplot_run(dir, "design-space.gp", bases, 2, err, n);
}

static int write_file(const char *dir, const char *name, const char *buf, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (irqpath_write_atomic(path, buf, len, NULL)) {
		fprintf(stderr, "irqpath-report: %s: cannot write\n", path);
		return -1;
	}
	return 0;
}

static int render(const char *run, struct ds *d)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < d->set.n; i++)
		json_array_append_new(rows, row_json(d, &d->set.r[i]));
	char *md = NULL, *js = json_dumps(rows, JSON_INDENT(2));
	size_t mdlen = 0;
	FILE *m = open_memstream(&md, &mdlen);
	markdown(rows, m);
	fclose(m);
	char err[1024] = "";
	int rc = write_file(run, "design-space.md", md, mdlen) ||
		 write_file(run, "design-space.json", js, strlen(js));
	if (!rc && charts(run, d, rows, err, sizeof(err))) {
		fprintf(stderr, "irqpath-report: design-space charts: %s\n", err);
		rc = -1;
	}
	fputs(md, stdout);
	free(md);
	free(js);
	json_decref(rows);
	return rc ? -1 : 0;
}

int cmd_design_space(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: irqpath-report design-space RUN_DIR\n");
		return 2;
	}
	struct ds d = {0};
	char err[1024], path[4096];
	if (results_add(&d.set, argv[1], err, sizeof(err))) {
		fprintf(stderr, "irqpath-report: %s\n", err);
		return 2;
	}
	results_finish(&d.set);
	snprintf(path, sizeof(path), "%s/footprint/footprint.json", argv[1]);
	json_t *fj = json_load_file(path, 0, NULL);
	d.foot = json_object_get(fj, "profiles");
	if (!d.foot)
		fprintf(stderr, "irqpath-report: %s: no footprint (columns left empty)\n", path);
	find_causes(&d);
	int rc = render(argv[1], &d);
	json_decref(fj);
	results_free(&d.set);
	return rc ? 1 : 0;
}
