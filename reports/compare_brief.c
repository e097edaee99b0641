/* SPDX-License-Identifier: MIT */
/*
 * The profiles of one report compared with each other, inside the
 * 72-column text (and so in the Markdown and HTML too): every profile
 * against the reference one (pci, else the first), per table metric the
 * two means, %change, the permutation-test p and the verdict.
 */
#include "compare.h"
#include "metrics.h"
#include "summary.h"
#include "../common/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXS 4096

static void num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (fabs(v) >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* The runs' stddev as a percentage of the mean ("-" for one run). */
static void spread(char *buf, size_t len, double mean, const double *x, size_t n)
{
	if (n < 2 || mean == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%", 100 * stats_stddev(x, n) / fabs(mean));
}

/* One row; 0 when either side has no samples or both are all zero. */
static int brief_row(FILE *f, const struct result *ref, const struct result *r, const char *key,
		     const char *label, double *a, double *b, int *nsig)
{
	size_t na = result_samples(ref, key, a, MAXS), nb = result_samples(r, key, b, MAXS);
	if (!na || !nb)
		return 0;
	double ma = stats_mean(a, na), mb = stats_mean(b, nb);
	if (ma == 0 && mb == 0)
		return 0;
	int exact;
	double p = stats_permutation_p(a, na, b, nb, &exact);
	int sig = p < STATS_ALPHA && ma != mb;
	*nsig += sig;
	char sa[16], sb[16], chg[16], sp[16], da[16], db[16];
	num(sa, sizeof(sa), ma);
	num(sb, sizeof(sb), mb);
	spread(da, sizeof(da), ma, a, na);
	spread(db, sizeof(db), mb, b, nb);
	if (ma != 0)
		snprintf(chg, sizeof(chg), "%+.1f%%", 100 * (mb - ma) / fabs(ma));
	else
		snprintf(chg, sizeof(chg), "new");
	snprintf(sp, sizeof(sp), p < 0.001 ? "%.0e" : "%.3f", p);
	fprintf(f, "  %-21.21s %7.7s %4.4s %7.7s %4.4s %7.7s %5.5s %s\n", label, sa, da, sb, db,
		chg, sp, sig ? "yes" : "no");
	return 1;
}

static void brief_pair(FILE *f, const struct result *ref, const struct result *r, double *a,
		       double *b)
{
	fprintf(f, "%.30s (this) against %.30s (ref), whole run:\n", r->label, ref->label);
	fprintf(f, "  %-21s %7s %4s %7s %4s %7s %5s %s\n", "", "ref", "±sd", "this", "±sd",
		"%change", "p", "p<.01");
	struct result_set both = {.n = 1, .r = (struct result *)r};
	size_t nk;
	const char **keys = metric_keys(&both, &nk);
	int nsig = 0, rows = 0;
	for (size_t k = 0; keys && k < nk; k++) {
		struct metric_def buf;
		char label[METRIC_LABEL_MAX];
		const struct metric_def *d = metric_def(keys[k], &buf, label, sizeof(label));
		if (!(d->flags & MF_COMPARE) || !(d->flags & (MF_TABLE | MF_HEADLINE)))
			continue;
		if (!result_kvm_counters(r) || !result_kvm_counters(ref))
			if (result_is_host_metric(keys[k]))
				continue;
		rows += brief_row(f, ref, r, keys[k], label, a, b, &nsig);
	}
	free(keys);
	if (!rows)
		fputs("  no metric has samples on both sides\n", f);
	fprintf(f,
		"%d significant; \"no\": p >= %.2f, no significant change; ±sd: the\n"
		"runs' stddev, %% of the mean.\n",
		nsig, STATS_ALPHA);
}

void compare_brief(const struct result_set *set, FILE *f)
{
	if (set->n < 2)
		return;
	double *a = malloc(MAXS * sizeof(*a)), *b = malloc(MAXS * sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		return;
	}
	size_t ref = summary_reference(set);
	fputs("Profiles compared (two-sided permutation test over repetitions):\n", f);
	for (size_t i = 0; i < set->n; i++) {
		if (i == ref)
			continue;
		brief_pair(f, &set->r[ref], &set->r[i], a, b);
		fputc('\n', f);
	}
	free(a);
	free(b);
}
