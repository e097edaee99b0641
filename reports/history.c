/* SPDX-License-Identifier: MIT */
/*
 * A point (one run, one profile, one metric) is flagged when a permutation
 * test of its repetitions against the pooled repetitions of the previous
 * `window` points gives p < 0.01 and the change is in the worse direction.
 */
#include "history.h"
#include "gnuplot.h"
#include "../common/jsonio.h"
#include "metrics.h"
#include "../common/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_PROFILES 64
#define MAX_HEADLINE 16

json_t *history_entry(const struct result_set *set, const char *commit, const char *date)
{
	char now[32];
	if (!date) {
		time_t t = time(NULL);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		date = now;
	}
	const json_t *first = set->n ? set->r[0].doc : NULL;
	if (!commit)
		commit = json_string_value(json_object_get(first, "commit"));
	json_t *e =
	    json_pack("{s:s, s:s?, s:s?, s:s}", "schema", HISTORY_SCHEMA_NAME "/1", "run_id",
		      set->n ? set->r[0].run_id : NULL, "commit", commit, "date", date);
	json_t *profiles = json_object(), *info = json_object();
	json_object_set_new(e, "profiles", profiles);
	/* what ran each profile: points of different accelerators are not pooled */
	json_object_set_new(e, "profile_info", info);
	for (size_t i = 0; i < set->n; i++) {
		const json_t *prof = json_object_get(set->r[i].doc, "profile");
		const json_t *note = json_object_get(set->r[i].doc, "note");
		json_object_set_new(info, set->r[i].profile,
				    json_pack("{s:s?, s:s, s:s, s:b, s:O?}", "guest",
					      json_string_value(json_object_get(prof, "guest")),
					      "vmm",
					      json_string_value(json_object_get(prof, "vmm"))
						  ? json_string_value(json_object_get(prof, "vmm"))
						  : "irqpath-vmm",
					      "accel", result_accel(&set->r[i]), "kvm_counters",
					      result_kvm_counters(&set->r[i]), "note",
					      json_is_string(note) ? note : NULL));
	}
	double buf[4096];
	for (size_t i = 0; i < set->n; i++) {
		json_t *p = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(set->r[i].doc, "summary"), k, v)
		{
			size_t n = result_samples(&set->r[i], k, buf, 4096);
			if (!n)
				continue;
			json_t *samples = json_array();
			for (size_t j = 0; j < n; j++)
				json_array_append_new(samples, json_real(buf[j]));
			json_object_set_new(p, k,
					    json_pack("{s:f, s:f, s:I, s:o}", "mean",
						      stats_mean(buf, n), "stddev",
						      stats_stddev(buf, n), "n", (json_int_t)n,
						      "samples", samples));
		}
		json_object_set_new(profiles, set->r[i].profile, p);
	}
	return e;
}

int history_append(const char *path, const json_t *entry, char *err, size_t errlen)
{
	size_t len = 0;
	char *old = read_file_text(path, &len);
	if (!old && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *line = json_dumps(entry, JSON_COMPACT | JSON_REAL_PRECISION(10));
	size_t ll = strlen(line);
	char *all = malloc(len + ll + 2);
	if (!all) {
		free(old);
		free(line);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t o = 0;
	if (old) {
		memcpy(all, old, len);
		o = len;
		if (o && all[o - 1] != '\n')
			all[o++] = '\n';
	}
	memcpy(all + o, line, ll);
	o += ll;
	all[o++] = '\n';
	int rc = atomic_write(path, all, o);
	if (rc)
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
	free(old);
	free(line);
	free(all);
	return rc;
}

struct point {
	const char *label; /* commit or run id */
	const char *accel; /* "kvm" (also when the line predates the field), "tcg" */
	const json_t *m;   /* {mean, stddev, n, samples} or NULL */
	int flagged;
	double p;
	double before; /* mean of the pooled earlier samples */
	int nprev;     /* earlier points pooled */
};

static size_t samples_of(const json_t *m, double *out, size_t max)
{
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(m, "samples"), i, v)
	{
		if (n < max && !isnan(jnum(v)))
			out[n++] = jnum(v);
	}
	return n;
}

/* Flags points of one profile/metric series; returns how many. */
static int judge(struct point *pts, size_t n, int window, int higher_better)
{
	double *pool = malloc(65536 * sizeof(*pool)), cur[4096];
	int flagged = 0;
	for (size_t i = 1; pool && i < n; i++) {
		if (!pts[i].m)
			continue;
		size_t np = 0;
		int nprev = 0;
		for (size_t j = i > (size_t)window ? i - (size_t)window : 0; j < i; j++)
			if (pts[j].m && !strcmp(pts[j].accel, pts[i].accel)) {
				np += samples_of(pts[j].m, pool + np, 65536 - np);
				nprev++;
			}
		size_t nc = samples_of(pts[i].m, cur, 4096);
		if (!np || !nc)
			continue;
		double p = stats_permutation_p(pool, np, cur, nc, NULL);
		double mp = stats_mean(pool, np), mc = stats_mean(cur, nc);
		int worse = higher_better ? mc < mp : mc > mp;
		pts[i].p = p;
		pts[i].before = mp;
		pts[i].nprev = nprev;
		if (p < STATS_ALPHA && worse) {
			pts[i].flagged = 1;
			flagged++;
		}
	}
	free(pool);
	return flagged;
}

/* Does any line run PROFILE without KVM counters (QEMU TCG)? */
static int tcg_at(const json_t *entries, const char *profile)
{
	size_t i;
	const json_t *e;
	json_array_foreach(entries, i, e)
	{
		const json_t *kc = json_object_get(
		    json_object_get(json_object_get(e, "profile_info"), profile), "kvm_counters");
		if (json_is_false(kc))
			return 1;
	}
	return 0;
}

static void safe_name(const char *key, char *out, size_t len)
{
	size_t o = 0;
	for (; *key && o + 1 < len; key++)
		out[o++] = (*key == '.' || *key == '/') ? '_' : *key;
	out[o] = '\0';
}

/* Every line of PATH (irqpath-history/1 each); NULL and ERR on a bad line. */
static json_t *read_entries(const char *path, char *err, size_t errlen)
{
	FILE *in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	json_t *entries = json_array();
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	ssize_t got;
	while (entries && (got = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (got <= 1)
			continue;
		json_error_t je;
		json_t *e = json_loads(line, 0, &je);
		const char *sc = json_string_value(json_object_get(e, "schema"));
		if (!e || !sc || strcmp(sc, HISTORY_SCHEMA_NAME "/1")) {
			snprintf(err, errlen, "%s:%d: not an %s/1 line%s%s", path, lineno,
				 HISTORY_SCHEMA_NAME, e ? "" : ": ", e ? "" : je.text);
			json_decref(e);
			json_decref(entries);
			entries = NULL;
			break;
		}
		json_array_append_new(entries, e);
	}
	free(line);
	fclose(in);
	if (entries && !json_array_size(entries)) {
		snprintf(err, errlen, "%s: empty history", path);
		json_decref(entries);
		return NULL;
	}
	return entries;
}

/* profiles seen anywhere, in first-seen order */
static size_t all_profiles(const json_t *entries, const char **profiles)
{
	size_t np = 0, i;
	const json_t *e;
	json_array_foreach(entries, i, e)
	{
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(e, "profiles"), k, v)
		{
			size_t j;
			for (j = 0; j < np && strcmp(profiles[j], k); j++)
				;
			if (j == np && np < MAX_PROFILES)
				profiles[np++] = k;
		}
	}
	return np;
}

struct hist_run {
	const json_t *entries;
	size_t n; /* entries */
	const char *profiles[MAX_PROFILES];
	size_t np;
	const char *outdir;
	int window;
	FILE *f;	 /* regressions are printed here */
	int latest, all; /* flagged at the newest point, anywhere */
	struct point *pts;
	char (*labels)[64]; /* per entry: commit + date, distinct */
	FILE *table;	    /* the newest point against the window, per series */
};

/*
 * An x-axis label per run: commit and date, so two runs of one commit are
 * two points; "#N" (the line number) if even that repeats.
 */
static void make_labels(struct hist_run *h)
{
	for (size_t i = 0; i < h->n; i++) {
		const json_t *e = json_array_get(h->entries, i);
		const char *c = json_string_value(json_object_get(e, "commit"));
		const char *d = json_string_value(json_object_get(e, "date"));
		if (!c)
			c = json_string_value(json_object_get(e, "run_id"));
		/* 2026-12-02T06:55:46Z -> 12-02 06:55 */
		char when[16] = "";
		if (d && strlen(d) >= 16)
			snprintf(when, sizeof(when), "%.5s %.5s", d + 5, d + 11);
		snprintf(h->labels[i], sizeof(h->labels[i]), "%.24s%s%s", c ? c : "?",
			 *when ? " " : "", when);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(h->labels[j], h->labels[i])) {
				size_t o = strlen(h->labels[i]);
				snprintf(h->labels[i] + o, sizeof(h->labels[i]) - o, " #%zu",
					 i + 1);
				break;
			}
	}
}

/* One line of the table: PROFILE's newest point of metric D. */
static void table_row(struct hist_run *h, const char *profile, const struct metric_def *d)
{
	const struct point *pt = &h->pts[h->n - 1];
	if (!h->table || !pt->m)
		return;
	double m = jnum(json_object_get(pt->m, "mean"));
	char lab[32], now[24], before[24] = "-", chg[24] = "-", p[16] = "-";
	snprintf(lab, sizeof(lab), "%s", d->label);
	snprintf(now, sizeof(now), "%.*f", d->decimals, m);
	const char *verdict = "first point";
	if (pt->nprev) {
		snprintf(before, sizeof(before), "%.*f", d->decimals, pt->before);
		if (pt->before != 0)
			snprintf(chg, sizeof(chg),
				 fabs(m - pt->before) >= 10 * fabs(pt->before) ? "%+.0f%%"
									       : "%+.1f%%",
				 100 * (m - pt->before) / fabs(pt->before));
		snprintf(p, sizeof(p), pt->p < 0.001 ? "%.0e" : "%.3f", pt->p);
		verdict = pt->flagged		? "REGRESSION"
			  : pt->p < STATS_ALPHA ? "improvement"
						: "no significant change";
	}
	fprintf(h->table, "%-12.12s %-21.21s %9s %9s %8s %5s %s\n", profile, lab, now, before, chg,
		p, verdict);
}

/* The points of PROFILE's series of KEY. */
static void fill_points(struct hist_run *h, const char *profile, const char *key)
{
	for (size_t i = 0; i < h->n; i++) {
		const json_t *e = json_array_get(h->entries, i);
		h->pts[i].label = h->labels[i];
		const char *a = json_string_value(json_object_get(
		    json_object_get(json_object_get(e, "profile_info"), profile), "accel"));
		h->pts[i].accel = a ? a : "kvm";
		h->pts[i].m =
		    json_object_get(json_object_get(json_object_get(e, "profiles"), profile), key);
		h->pts[i].flagged = 0;
		h->pts[i].p = 1;
		h->pts[i].nprev = 0; /* judge sets these only where it tests */
		h->pts[i].before = NAN;
	}
}

/* One headline metric: judged series into BASE.dat; 1 if any point, -1 on error. */
static int metric_data(struct hist_run *h, const struct metric_def *d, const char *base)
{
	char dpath[4096];
	snprintf(dpath, sizeof(dpath), "%s/%s.dat", h->outdir, base);
	FILE *dat = fopen(dpath, "w");
	if (!dat)
		return -1;
	int any = 0;
	for (size_t p = 0; p < h->np; p++) {
		fill_points(h, h->profiles[p], d->key);
		h->all += judge(h->pts, h->n, h->window, d->higher_better);
		h->latest += h->pts[h->n - 1].flagged;
		table_row(h, h->profiles[p], d);
		fprintf(dat, "# profile %s: index mean stddev flagged label\n", h->profiles[p]);
		for (size_t i = 0; i < h->n; i++) {
			const struct point *pt = &h->pts[i];
			if (!pt->m)
				continue;
			any = 1;
			fprintf(dat, "%zu %.10g %.10g %d \"%s\"\n", i,
				jnum(json_object_get(pt->m, "mean")),
				jnum(json_object_get(pt->m, "stddev")), pt->flagged,
				pt->label ? pt->label : "?");
			if (pt->flagged)
				fprintf(h->f,
					"REGRESSION %s %s at %s (point %zu): mean %.6g vs %.6g in "
					"the previous %d run%s, p=%.4g\n",
					h->profiles[p], d->key, pt->label ? pt->label : "?", i,
					jnum(json_object_get(pt->m, "mean")), pt->before, pt->nprev,
					pt->nprev == 1 ? "" : "s", pt->p);
		}
		fputs("\n\n", dat);
	}
	return fclose(dat) ? -1 : any;
}

static void metric_script(struct hist_run *h, FILE *gp, const struct metric_def *d,
			  const char *base)
{
	for (int x = 0; x < 2; x++) {
		gnuplot_set_output(gp, x ? "svg" : "png", base);
		fprintf(gp,
			"set title \"%s per run (red: regression, p < 0.01 vs previous %d)\"\n"
			"set grid ytics\nset key outside right top\nset xtics rotate by 45 "
			"right\nset ylabel \"%s\"\nset offsets 0.5,0.5,0,0\nplot ",
			d->label, h->window, d->label);
		for (size_t p = 0; p < h->np; p++) {
			char q[128], title[128];
			snprintf(title, sizeof(title), "%s%s", h->profiles[p],
				 tcg_at(h->entries, h->profiles[p]) ? " (TCG runs: no KVM counters)"
								    : "");
			fprintf(gp,
				"%s'%s.dat' index %zu using 1:2:3:xtic(5) with yerrorlines "
				"lc %zu title \"%s\", \\\n     '%s.dat' index %zu using "
				"1:($4>0?$2:1/0) with points pt 7 ps 2 lc rgb 'red' %s",
				p ? ", \\\n     " : "", base, p, p + 1,
				gnuplot_quote(title, q, sizeof(q)), base, p,
				p ? "notitle" : "title \"regression\"");
		}
		fputc('\n', gp);
	}
}

/* Notes the profiles whose newest run had no KVM counters. */
static void tcg_notes(const struct hist_run *h)
{
	for (size_t p = 0; p < h->np; p++) {
		const json_t *kc = json_object_get(
		    json_object_get(
			json_object_get(json_array_get(h->entries, h->n - 1), "profile_info"),
			h->profiles[p]),
		    "kvm_counters");
		if (json_is_false(kc))
			fprintf(h->f,
				"%s: %s at the newest run: its host-count series have no point "
				"there\n",
				h->profiles[p], RESULT_NO_KVM_TCG);
	}
}

/* The registry's headline rows: a chart each. 0, or -1 and ERR. */
static int render_all(struct hist_run *h, char *err, size_t errlen)
{
	char gpath[4096];
	snprintf(gpath, sizeof(gpath), "%s/history.gp", h->outdir);
	FILE *gp = fopen(gpath, "w");
	if (!gp) {
		snprintf(err, errlen, "%s: cannot write", gpath);
		return -1;
	}
	fputs("# generated by irqpath-report history; run: gnuplot history.gp\n", gp);
	const char *bases[MAX_HEADLINE];
	char basebuf[MAX_HEADLINE][96];
	size_t nbases = 0;
	for (size_t r = 0; r < metric_nrows && nbases < MAX_HEADLINE; r++) {
		if (!(metric_rows[r].flags & MF_HEADLINE) || metric_is_family(&metric_rows[r]))
			continue;
		struct metric_def mb;
		char lab[METRIC_LABEL_MAX], sn[80];
		const struct metric_def *d = metric_def(metric_rows[r].key, &mb, lab, sizeof(lab));
		safe_name(d->key, sn, sizeof(sn));
		snprintf(basebuf[nbases], sizeof(basebuf[0]), "history-%s", sn);
		int any = metric_data(h, d, basebuf[nbases]);
		if (any < 0) {
			snprintf(err, errlen, "%s/%s.dat: %s", h->outdir, basebuf[nbases],
				 strerror(errno));
			fclose(gp);
			return -1;
		}
		if (!any)
			continue;
		bases[nbases] = basebuf[nbases];
		metric_script(h, gp, d, basebuf[nbases]);
		nbases++;
	}
	if (fclose(gp)) {
		snprintf(err, errlen, "%s: write failed", gpath);
		return -1;
	}
	if (nbases && gnuplot_run(h->outdir, "history.gp", bases, nbases, err, errlen))
		return -1;
	return 0;
}

int history_render(const char *path, const char *outdir, int window, FILE *f, int *total, char *err,
		   size_t errlen)
{
	json_t *entries = read_entries(path, err, errlen);
	if (!entries)
		return -1;
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", outdir, strerror(errno));
		json_decref(entries);
		return -1;
	}
	struct hist_run h = {.entries = entries,
			     .n = json_array_size(entries),
			     .outdir = outdir,
			     .window = window,
			     .f = f};
	h.np = all_profiles(entries, h.profiles);
	tcg_notes(&h);
	h.pts = calloc(h.n, sizeof(*h.pts));
	h.labels = calloc(h.n, sizeof(*h.labels));
	char *tbuf = NULL;
	size_t tlen = 0;
	h.table = open_memstream(&tbuf, &tlen);
	int rc = -1;
	if (h.pts && h.labels && h.table) {
		make_labels(&h);
		rc = render_all(&h, err, errlen);
	} else {
		snprintf(err, errlen, "out of memory");
	}
	if (h.table)
		fclose(h.table);
	if (!rc && tlen) {
		fprintf(f, "newest run (%s) against the previous %d (pooled repetitions):\n",
			h.labels[h.n - 1], window);
		fprintf(f, "%-12s %-21s %9s %9s %8s %5s %s\n", "profile", "metric", "newest",
			"window", "%change", "p", "verdict (p < 0.01)");
		fputs(tbuf, f);
	}
	free(tbuf);
	free(h.labels);
	free(h.pts);
	json_decref(entries);
	if (total)
		*total = h.all;
	return rc ? rc : h.latest;
}
