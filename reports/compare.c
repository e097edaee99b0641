/* SPDX-License-Identifier: MIT */
/*
 * Lines look like the ones 0-day/LKP mails: base mean ± stddev%, %change,
 * new mean ± stddev%, metric. A change counts only when a permutation test
 * on the repetitions gives p < 0.01 (the rule Firecracker's A/B tests use);
 * everything else is reported as no significant change.
 */
#include "compare.h"
#include "metrics.h"
#include "summary.h"
#include "../common/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAXS 4096

static const struct result *find_profile(const struct result_set *s, const char *profile)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].profile, profile))
			return &s->r[i];
	return NULL;
}

static void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (fabs(v) >= 1000 || v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.3f", v);
}

static double rel_sd(double mean, double sd)
{
	return mean != 0 ? 100 * sd / fabs(mean) : 0;
}

/* What one comparison accumulates over its profiles and metrics. */
struct cmp {
	FILE *f;
	json_t *rows, *notes;
	int nsig;
	double worst_min_p; /* the largest of the smallest possible p's */
	size_t na_min, nb_min;
	double a[MAXS], b[MAXS];
};

/* One metric of one profile: a line, a JSON row; skipped without samples. */
static void compare_metric(struct cmp *c, const struct result *rb, const struct result *rn,
			   const char *key, const struct metric_def *d)
{
	size_t na = result_samples(rb, key, c->a, MAXS), nb = result_samples(rn, key, c->b, MAXS);
	if (!na || !nb)
		return;
	double ma = stats_mean(c->a, na), mb = stats_mean(c->b, nb);
	double sa = stats_stddev(c->a, na), sb = stats_stddev(c->b, nb);
	int exact = 0;
	double p = stats_permutation_p(c->a, na, c->b, nb, &exact);
	double minp = stats_min_p(na, nb);
	if (minp > c->worst_min_p) {
		c->worst_min_p = minp;
		c->na_min = na;
		c->nb_min = nb;
	}
	int sig = p < STATS_ALPHA && ma != mb;
	int worse = d->higher_better ? mb < ma : mb > ma;
	char chg[24];
	double pct = NAN;
	if (ma != 0) {
		pct = 100 * (mb - ma) / fabs(ma);
		snprintf(chg, sizeof(chg), "%+.1f%%", pct);
	} else {
		snprintf(chg, sizeof(chg), mb == 0 ? "0.0%%" : "new");
	}
	char sma[32], smb[32], sp[16], sda[24], sdb[24];
	fmt_num(sma, sizeof(sma), ma);
	fmt_num(smb, sizeof(smb), mb);
	snprintf(sp, sizeof(sp), p < 0.0001 ? "%.1e" : "%.4f", p);
	/* "±" is two bytes: one more in the field width keeps columns */
	snprintf(sda, sizeof(sda), "±%4.0f%%", rel_sd(ma, sa));
	snprintf(sdb, sizeof(sdb), "±%4.0f%%", rel_sd(mb, sb));
	const char *what = !sig					 ? "no significant change"
			   : d->row && d->row->better == MB_NONE ? "significant change"
			   : worse				 ? "REGRESSION"
								 : "improvement";
	fprintf(c->f, "%15s %9s %11s %15s %9s %9s  %s.%s  %s\n", sma, sda, chg, smb, sdb, sp,
		rn->profile, key, what);
	c->nsig += sig;
	json_array_append_new(c->rows,
			      json_pack("{s:s, s:s, s:{s:f, s:f, s:I}, s:{s:f, s:f, s:I}, s:o, "
					"s:f, s:b, s:b, s:b, s:s}",
					"profile", rn->profile, "metric", key, "base", "mean", ma,
					"stddev", sa, "n", (json_int_t)na, "new", "mean", mb,
					"stddev", sb, "n", (json_int_t)nb, "change_pct",
					isnan(pct) ? json_null() : json_real(pct), "p", p, "exact",
					exact, "significant", sig, "regression", sig && worse,
					"base_profile", rb->profile));
}

/* say why host counts are missing, and when the two sides ran differently */
static void profile_notes(struct cmp *c, const struct result *rb, const struct result *rn)
{
	int kb = result_kvm_counters(rb), kn = result_kvm_counters(rn);
	if (strcmp(result_accel(rb), result_accel(rn)))
		json_array_append_new(
		    c->notes, json_sprintf("%s: accel differs (base %s, new %s): trans/s and "
					   "latency are not comparable",
					   rn->profile, result_accel(rb), result_accel(rn)));
	if (!kb || !kn)
		json_array_append_new(c->notes,
				      json_sprintf("%s: %s in %s: host counts not compared",
						   rn->profile, RESULT_NO_KVM_TCG,
						   !kb && !kn ? "BASE and NEW"
						   : !kb      ? "BASE"
							      : "NEW"));
}

/* Settings that differ between the two files: a note each. */
static void settings_notes(struct cmp *c, const struct result *rb, const struct result *rn,
			   json_t *pair)
{
	json_t *diffs = compare_settings(rb, rn);
	size_t i;
	json_t *d;
	json_array_foreach(diffs, i, d)
	{
		json_array_append_new(
		    c->notes, json_sprintf("%s: %s differs: %s (base) vs %s (new)", rn->profile,
					   json_string_value(json_object_get(d, "setting")),
					   json_string_value(json_object_get(d, "base")),
					   json_string_value(json_object_get(d, "new"))));
	}
	json_object_set_new(pair, "settings_differ", diffs);
}

/* The registry's compared metrics of one profile pair. */
static void compare_profile(struct cmp *c, const struct result *rb, const struct result *rn)
{
	profile_notes(c, rb, rn);
	struct result_set pair = {.n = 1, .r = (struct result *)rn};
	size_t nk;
	const char **keys = metric_keys(&pair, &nk);
	for (size_t k = 0; keys && k < nk; k++) {
		struct metric_def buf;
		char label[METRIC_LABEL_MAX];
		const struct metric_def *d = metric_def(keys[k], &buf, label, sizeof(label));
		if (d->flags & MF_COMPARE)
			compare_metric(c, rb, rn, keys[k], d);
	}
	free(keys);
}

/* "NEW - BASE" per transaction, each exit-reason row attributed. */
static void attribute_pair(FILE *f, const struct result *rb, const struct result *rn)
{
	struct result a = *rn, b = *rb;
	snprintf(a.label, sizeof(a.label), "new %.40s", rn->profile);
	snprintf(b.label, sizeof(b.label), "base %.40s", rb->profile);
	summary_difference_pair(&a, &b, f);
	summary_path_difference(&a, &b, f);
}

static void verdict(const struct cmp *c, size_t paired)
{
	FILE *f = c->f;
	fputc('\n', f);
	size_t ni;
	json_t *nv;
	json_array_foreach(c->notes, ni, nv) fprintf(f, "note: %s\n", json_string_value(nv));
	if (!paired)
		fprintf(f, "no profile could be paired between BASE and NEW: nothing to compare\n");
	else if (c->nsig)
		fprintf(f, "%d significant change%s (p < %.2f, permutation test)\n", c->nsig,
			c->nsig == 1 ? "" : "s", STATS_ALPHA);
	else
		fprintf(f, "no significant change (p < %.2f, permutation test)\n", STATS_ALPHA);
	if (paired && c->worst_min_p >= STATS_ALPHA)
		fprintf(
		    f,
		    "note: with %zu and %zu repetitions the smallest possible p is %.3f, so no\n"
		    "change can reach p < %.2f; use more repetitions to detect one.\n",
		    c->na_min, c->nb_min, c->worst_min_p, STATS_ALPHA);
}

/*
 * Pairs: profiles of the same name; then, when exactly one profile of each
 * side is left, those two (comparing transports: legacy.json vs v3.json).
 * The rest are named as present on one side only. Returns the pair count.
 */
static size_t pair_profiles(const struct result_set *base, const struct result_set *new,
			    const struct result **pb, const struct result **pn, json_t *only_base,
			    json_t *only_new)
{
	size_t np = 0, ub = SIZE_MAX, un = SIZE_MAX, nub = 0, nun = 0;
	for (size_t i = 0; i < new->n; i++) {
		const struct result *rb = find_profile(base, new->r[i].profile);
		if (rb) {
			pb[np] = rb;
			pn[np++] = &new->r[i];
		} else {
			un = i;
			nun++;
		}
	}
	for (size_t i = 0; i < base->n; i++)
		if (!find_profile(new, base->r[i].profile)) {
			ub = i;
			nub++;
		}
	if (nub == 1 && nun == 1) {
		pb[np] = &base->r[ub];
		pn[np++] = &new->r[un];
		return np;
	}
	for (size_t i = 0; i < base->n; i++)
		if (!find_profile(new, base->r[i].profile))
			json_array_append_new(only_base, json_string(base->r[i].profile));
	for (size_t i = 0; i < new->n; i++)
		if (!find_profile(base, new->r[i].profile))
			json_array_append_new(only_new, json_string(new->r[i].profile));
	return np;
}

static void name_pairs(FILE *f, const struct result **pb, const struct result **pn, size_t np,
		       json_t *only_base, json_t *only_new)
{
	for (size_t i = 0; i < np; i++)
		if (strcmp(pb[i]->profile, pn[i]->profile))
			fprintf(f, "comparing profiles: BASE %s with NEW %s (rows: NEW's name)\n",
				pb[i]->profile, pn[i]->profile);
	size_t i;
	json_t *v;
	json_array_foreach(only_base, i, v)
	    fprintf(f, "only in BASE, not compared: %s\n", json_string_value(v));
	json_array_foreach(only_new, i, v)
	    fprintf(f, "only in NEW, not compared: %s\n", json_string_value(v));
}

json_t *compare_sets(const struct result_set *base, const struct result_set *new, FILE *f,
		     int *nsig)
{
	struct cmp *c = calloc(1, sizeof(*c));
	const struct result **pb = calloc(new->n + 1, sizeof(*pb));
	const struct result **pn = calloc(new->n + 1, sizeof(*pn));
	if (!c || !pb || !pn) {
		free(c);
		free(pb);
		free(pn);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:f, s:s}", "schema", "irqpath-compare/1", "alpha",
				STATS_ALPHA, "test",
				"two-sided permutation test on the difference "
				"of means over repetitions");
	c->f = f;
	c->rows = json_array();
	c->notes = json_array();
	json_t *pairs = json_array(), *only_base = json_array(), *only_new = json_array();
	json_object_set_new(out, "metrics", c->rows);
	json_object_set_new(out, "notes", c->notes);
	json_object_set_new(out, "pairs", pairs);
	json_object_set_new(out, "only_in_base", only_base);
	json_object_set_new(out, "only_in_new", only_new);
	size_t paired = pair_profiles(base, new, pb, pn, only_base, only_new);
	name_pairs(f, pb, pn, paired, only_base, only_new);
	fprintf(f, "%15s %8s %11s %15s %8s %9s  %s\n", "base", "%stddev", "%change", "new",
		"%stddev", "p", "metric  verdict (p < 0.01)");
	fprintf(f, "%15s %8s %11s %15s %8s %9s  %s\n", "---------------", "--------", "-----------",
		"---------------", "--------", "---------", "------");
	for (size_t i = 0; i < paired; i++) {
		json_t *pair =
		    json_pack("{s:s, s:s}", "base", pb[i]->profile, "new", pn[i]->profile);
		settings_notes(c, pb[i], pn[i], pair);
		json_array_append_new(pairs, pair);
		compare_profile(c, pb[i], pn[i]);
	}
	verdict(c, paired);
	for (size_t i = 0; i < paired; i++) {
		fputc('\n', f);
		attribute_pair(f, pb[i], pn[i]);
	}
	*nsig = c->nsig;
	json_object_set_new(out, "profiles_compared", json_integer((json_int_t)paired));
	json_object_set_new(out, "significant", json_integer(c->nsig));
	json_object_set_new(out, "smallest_possible_p", json_real(c->worst_min_p));
	free(c);
	free(pb);
	free(pn);
	return out;
}
