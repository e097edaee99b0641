/* SPDX-License-Identifier: MIT */
/*
 * The scaling charts (a line per transport against queue pairs: trans/s,
 * exits, interrupts and IPIs per transaction) and one heat map per sweep
 * point: interrupts by vCPU and guest vector as the host's LAPICs accepted
 * them (kvm_apic_accept_irq), the /proc/interrupts of the guest counted
 * from outside. scaling.dat, heatmap-*.dat and scaling.gp stay with the
 * images so anyone can re-plot.
 */
#include "scaling.h"
#include "gnuplot.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const scaling_chart_bases[SCALING_CHARTS] = {"scaling-transs", "scaling-exits",
							 "scaling-irqs", "scaling-ipis"};
const char *const scaling_chart_titles[SCALING_CHARTS] = {
    "Transactions per second (all vCPUs) against queue pairs",
    "Exits per transaction against queue pairs (host)",
    "Interrupts accepted per transaction against queue pairs (host)",
    "IPIs per transaction against queue pairs (host)"};
static const char *const ylabels[SCALING_CHARTS] = {
    "trans/s", "exits per transaction", "interrupts per transaction", "IPIs per transaction"};

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* column of vector V in H, added in order if new; -1 when full */
static int vec_col(struct scaling_heat *h, unsigned v)
{
	unsigned i = 0;
	while (i < h->nvec && h->vec[i] < v)
		i++;
	if (i < h->nvec && h->vec[i] == v)
		return (int)i;
	if (h->nvec == SCALING_MAX_VECTORS)
		return -1;
	memmove(&h->vec[i + 1], &h->vec[i], (h->nvec - i) * sizeof(h->vec[0]));
	for (unsigned c = 0; c < SCALING_MAX_VCPUS; c++) {
		memmove(&h->count[c][i + 1], &h->count[c][i], (h->nvec - i) * sizeof(double));
		h->count[c][i] = 0;
	}
	h->vec[i] = v;
	h->nvec++;
	return (int)i;
}

/* One repetition's host counts by vCPU and vector into H. */
static void heat_add(struct scaling_heat *h, const json_t *counts)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)counts, k, v)
	{
		char m[2][METRIC_KEY_MAX];
		if (metric_members_of(k, M_VCPU_IRQS_BY_VECTOR, m) != 2 || !all_digits(m[0]) ||
		    !all_digits(m[1]) || isnan(jnum(v)))
			continue; /* "<pid>_<index>" keys: several VMs, not one guest's map */
		unsigned cpu = (unsigned)strtoul(m[0], NULL, 10);
		int col = vec_col(h, (unsigned)strtoul(m[1], NULL, 10));
		if (cpu >= SCALING_MAX_VCPUS || col < 0)
			continue;
		h->count[cpu][col] += jnum(v);
		if (cpu + 1 > h->nvcpu)
			h->nvcpu = cpu + 1;
	}
}

int scaling_heat(const struct result *r, struct scaling_heat *h)
{
	memset(h, 0, sizeof(*h));
	size_t i;
	const json_t *rep;
	json_array_foreach(json_object_get(r->doc, "repetitions"), i, rep)
	{
		const char *st = json_string_value(json_object_get(rep, "status"));
		if (!st || strcmp(st, "ok"))
			continue;
		heat_add(h, json_object_get(rep, "counts"));
		h->reps++;
		h->transactions += jnum(json_object_get(rep, "transactions"));
	}
	if (h->nvec && h->nvcpu < r->vcpus && r->vcpus <= SCALING_MAX_VCPUS)
		h->nvcpu = r->vcpus; /* a vCPU that took nothing is a row of zeros */
	return h->nvec > 0;
}

const char *scaling_heatmap_base(const struct result *r, char *buf, size_t len)
{
	char q[96];
	snprintf(buf, len, "heatmap-%s", gnuplot_quote(r->profile, q, sizeof(q)));
	return buf;
}

static void put_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(" ?", f);
	else
		fprintf(f, " %.6g", v);
}

/* scaling.dat: a block per transport (gnuplot index), a line per point */
static int write_lines(const struct scaling_row *rows, size_t n, FILE *d, const char **profs,
		       size_t *np)
{
	*np = 0;
	fputs("# queues vcpus trans_per_s exits_per_txn irqs_per_txn ipis_per_txn\n", d);
	for (size_t i = 0; i < n; i++) {
		if (!*np || strcmp(profs[*np - 1], rows[i].profile)) {
			fprintf(d, "%s# %s\n", *np ? "\n\n" : "", rows[i].profile);
			profs[(*np)++] = rows[i].profile;
		}
		fprintf(d, "%u %u", rows[i].queues, rows[i].vcpus);
		put_num(d, rows[i].trans_per_s);
		put_num(d, rows[i].exits);
		put_num(d, rows[i].irqs);
		put_num(d, rows[i].ipis);
		fputc('\n', d);
	}
	return ferror(d) ? -1 : 0;
}

/* the four line charts, in EXT */
static void line_script(FILE *gp, const char *ext, const struct scaling_row *rows, size_t n,
			const char **profs, size_t np)
{
	unsigned qmax = 1;
	for (size_t i = 0; i < n; i++)
		qmax = rows[i].queues > qmax ? rows[i].queues : qmax;
	for (int c = 0; c < SCALING_CHARTS; c++) {
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			double v = c == 0   ? rows[i].trans_per_s
				   : c == 1 ? rows[i].exits
				   : c == 2 ? rows[i].irqs
					    : rows[i].ipis;
			any |= !isnan(v);
		}
		gnuplot_set_output(gp, ext, scaling_chart_bases[c]);
		fprintf(gp,
			"set title \"%s\"\nset datafile missing '?'\nset grid\nset logscale x 2\n"
			"set xrange [0.8:%u]\nset xtics 2\nset xlabel \"queue pairs\"\n"
			"set ylabel \"%s\"\nset key outside right top\n%s",
			scaling_chart_titles[c], qmax * 5 / 4 + 1, ylabels[c],
			any ? "set yrange [0:*]\n"
			    : "set yrange [0:1]\nset label 1 'no host counts' at graph 0.5,0.5 "
			      "center\n");
		fputs("plot ", gp);
		for (size_t p = 0; p < np; p++) {
			char q[96];
			fprintf(gp,
				"%s'scaling.dat' index %zu using 1:%d with linespoints lw 2 "
				"title \"%s\"",
				p ? ", \\\n     " : "", p, 3 + c,
				gnuplot_quote(profs[p], q, sizeof(q)));
		}
		fputs("\nunset label 1\nunset logscale x\nunset xrange\nunset xlabel\n", gp);
	}
}

/*
 * A vector's name on the heat map: "0x41 rx0" when the tracer named the
 * MSI vector's queues (the first ok repetition's msi_by_vector), else hex.
 */
static const char *vec_name(const struct result *r, unsigned vec, char *buf, size_t len)
{
	char k[16], q[64];
	snprintf(k, sizeof(k), "%u", vec);
	snprintf(buf, len, "0x%x", vec);
	size_t i;
	const json_t *rep;
	json_array_foreach(json_object_get(r->doc, "repetitions"), i, rep)
	{
		const json_t *msi = json_object_get(
		    json_object_get(json_object_get(rep, "raw"), "trace"), "msi_by_vector");
		if (!msi)
			continue;
		const char *name =
		    json_string_value(json_object_get(json_object_get(msi, k), "queue"));
		if (name)
			snprintf(buf, len, "0x%x %s", vec, gnuplot_quote(name, q, sizeof(q)));
		break;
	}
	return buf;
}

/* one heat map: the data file and, per extension, the plot */
static int heat_script(FILE *gp, const char *dir, const struct result *r,
		       const struct scaling_heat *h, const char *base)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s.dat", dir, base);
	FILE *d = fopen(p, "w");
	if (!d)
		return -1;
	double max = 0;
	fputs("# vector_column vcpu interrupts (host, sum over the runs)\n", d);
	for (unsigned c = 0; c < h->nvcpu; c++)
		for (unsigned v = 0; v < h->nvec; v++) {
			fprintf(d, "%u %u %.0f\n", v, c, h->count[c][v]);
			max = h->count[c][v] > max ? h->count[c][v] : max;
		}
	if (fclose(d))
		return -1;
	static const char *const exts[] = {"png", "svg"};
	for (int x = 0; x < 2; x++) {
		char q[96];
		gnuplot_set_output(gp, exts[x], base);
		fprintf(gp,
			"set title \"Interrupts by vCPU and vector, %s (host; %zu run%s, %.0f "
			"transactions)\"\nunset grid\nunset key\nset xrange [-0.5:%u.5]\n"
			"set yrange [-0.5:%u.5]\nset xlabel \"guest vector\"\nset ylabel \"\"\n"
			"set palette defined (0 '#ffffff', 1 '#fdae61', 2 '#d7191c')\n"
			"set cbrange [0:%g]\nset cblabel \"interrupts\"\nset xtics (",
			gnuplot_quote(r->profile, q, sizeof(q)), h->reps, h->reps == 1 ? "" : "s",
			h->transactions, h->nvec - 1, h->nvcpu - 1, max > 0 ? max : 1);
		for (unsigned v = 0; v < h->nvec; v++) {
			char name[96];
			fprintf(gp, "%s\"%s\" %u", v ? ", " : "",
				vec_name(r, h->vec[v], name, sizeof(name)), v);
		}
		fputs(")\nset ytics (", gp);
		for (unsigned c = 0; c < h->nvcpu; c++)
			fprintf(gp, "%s\"vCPU %u\" %u", c ? ", " : "", c, c);
		fprintf(gp,
			")\nset style fill solid 1.0 noborder\n"
			"plot '%s.dat' using 1:2:(0.5):(0.5):3 with boxxyerror fc palette, \\\n"
			"     '%s.dat' using 1:2:(sprintf(\"%%d\", int($3))) with labels\n"
			"unset palette\nunset cbrange\nunset xtics\nunset ytics\nset xtics\n"
			"set ytics\nunset style\nunset xrange\nunset yrange\nunset xlabel\n",
			base, base);
	}
	return 0;
}

/* the heat maps' base names, malloc'd, into BASES[4..]; returns how many */
static size_t heat_maps(const struct scaling_row *rows, size_t n, FILE *gp, const char *dir,
			char **bases, size_t max)
{
	static struct scaling_heat h;
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		char base[128];
		if (!scaling_heat(rows[i].r, &h))
			continue;
		scaling_heatmap_base(rows[i].r, base, sizeof(base));
		if (heat_script(gp, dir, rows[i].r, &h, base))
			continue;
		bases[k++] = strdup(base);
	}
	return k;
}

int scaling_render(const struct result_set *set, const char *dir, char *err, size_t errlen)
{
	static struct scaling_row rows[SCALING_MAX_ROWS];
	const char *profs[SCALING_MAX_ROWS];
	char *bases[SCALING_CHARTS + SCALING_MAX_ROWS];
	size_t n = scaling_rows(set, rows, SCALING_MAX_ROWS), np, nb = SCALING_CHARTS;
	char p[4096];
	snprintf(p, sizeof(p), "%s/scaling.dat", dir);
	FILE *d = fopen(p, "w");
	int bad = !d || write_lines(rows, n, d, profs, &np);
	if (d)
		bad |= fclose(d);
	snprintf(p, sizeof(p), "%s/scaling.gp", dir);
	FILE *gp = bad ? NULL : fopen(p, "w");
	if (!gp) {
		snprintf(err, errlen, "%s: cannot write the scaling charts: %s", dir,
			 strerror(errno));
		return -1;
	}
	fputs("# generated by irqpath-report; run: gnuplot scaling.gp\n", gp);
	line_script(gp, "png", rows, n, profs, np);
	line_script(gp, "svg", rows, n, profs, np);
	for (int c = 0; c < SCALING_CHARTS; c++)
		bases[c] = (char *)scaling_chart_bases[c];
	nb += heat_maps(rows, n, gp, dir, bases + SCALING_CHARTS, SCALING_MAX_ROWS);
	bad = ferror(gp) | fclose(gp);
	int rc =
	    bad ? -1 : gnuplot_run(dir, "scaling.gp", (const char *const *)bases, nb, err, errlen);
	if (bad)
		snprintf(err, errlen, "%s/scaling.gp: write failed", dir);
	for (size_t i = SCALING_CHARTS; i < nb; i++)
		free(bases[i]);
	return rc;
}
