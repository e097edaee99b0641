/* SPDX-License-Identifier: MIT */
/*
 * Three charts: trans/s per profile with stddev error bars; exits per
 * transaction stacked by cause; interrupts and EOIs per queue. The data
 * files and charts.gp stay next to the images so anyone can re-plot.
 */
#include "charts.h"
#include "interrupt.h"
#include "gnuplot.h"
#include "../common/jsonio.h"
#include "latency.h"
#include "metrics.h"
#include "scaling.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const chart_bases[CHART_COUNT] = {"transs", "exits", "exits-by-cause", "irqs"};
const char *const chart_titles[CHART_COUNT] = {
    "Transactions per second (mean and stddev over runs)",
    "Exits per transaction, in-kernel and userspace (host, ± stddev)",
    "Exits per transaction, by cause (host)",
    "Interrupts and EOIs per transaction, per queue (host)"};

/* interrupts (MSIs, every delivery) and EOIs; the IOAPIC's set_irq calls
 * are raises and lowers of a line, not interrupts, so not charted here */
static const enum metric_id irq_ids[] = {M_MSIS_RX,    M_MSIS_TX,    M_MSIS_CONFIG,
					 M_DELIVERIES, M_IOAPIC_EOI, M_LAPIC_EOI};
static const char *const irq_names[] = {"MSI rx",	   "MSI tx",	 "MSI config",
					"delivered (all)", "IOAPIC EOI", "LAPIC EOI"};
#define NIRQ (sizeof(irq_ids) / sizeof(irq_ids[0]))

static void put_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(" ?", f); /* gnuplot: missing, not zero */
	else
		fprintf(f, " %.6g", v);
}

/* A profile's name in a chart; runs without KVM counters say so, in full
 * (legends, the host-count charts) or SHORT (the trans/s axis). */
static const char *chart_label(const struct result *r, char *buf, size_t len, int shrt)
{
	if (result_kvm_counters(r))
		snprintf(buf, len, "%s", r->label);
	else
		snprintf(buf, len, "%s (%s)", r->label, shrt ? "TCG" : RESULT_NO_KVM_TCG);
	return buf;
}

static FILE *open_in(const char *dir, const char *name)
{
	char p[4096];
	int n = snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(p, "w");
}

static int exits_any; /* set by write_data: some profile has exit counts */

static int write_data(const struct result_set *set, const char *dir, const char **causes,
		      size_t ncauses)
{
	FILE *t = open_in(dir, "transs.dat"), *e = open_in(dir, "exits-by-cause.dat"),
	     *q = open_in(dir, "irqs.dat"), *x = open_in(dir, "exits.dat");
	if (!t || !e || !q || !x) {
		if (t)
			fclose(t);
		if (e)
			fclose(e);
		if (q)
			fclose(q);
		if (x)
			fclose(x);
		return -1;
	}
	const char *labels[set->n + 1];
	char lbuf[set->n + 1][160];
	for (size_t i = 0; i < set->n; i++)
		labels[i] = chart_label(&set->r[i], lbuf[i], sizeof(lbuf[i]), 0);
	exits_any = charts_exits_data(set, x, labels);
	char qb[128];
	fputs("# index profile trans_per_s_mean trans_per_s_stddev\n", t);
	fputs("\"profile\"", e);
	for (size_t c = 0; c < ncauses; c++) {
		char up[METRIC_LABEL_MAX];
		metric_label(causes[c], up, sizeof(up));
		fprintf(e, " \"%s\"", gnuplot_quote(up + 2, qb, sizeof(qb)));
	}
	fputc('\n', e);
	fputs("\"profile\"", q);
	for (size_t k = 0; k < NIRQ; k++)
		fprintf(q, " \"%s\"", irq_names[k]);
	fputc('\n', q);
	for (size_t i = 0; i < set->n; i++) {
		const struct result *r = &set->r[i];
		char lb[160];
		const char *lab = gnuplot_quote(chart_label(r, lb, sizeof(lb), 1), qb, sizeof(qb));
		fprintf(t, "%zu \"%s\"", i, lab);
		lab = gnuplot_quote(chart_label(r, lb, sizeof(lb), 0), qb, sizeof(qb));
		put_num(t, result_mean(r, metric_key(M_TRANS_PER_S)));
		put_num(t, result_stddev(r, metric_key(M_TRANS_PER_S)));
		fputc('\n', t);
		fprintf(e, "\"%s\"", lab);
		for (size_t c = 0; c < ncauses; c++) {
			double v = result_mean(r, causes[c]);
			/* a cause this profile never hit is zero if the host counted */
			if (isnan(v) && !isnan(result_mean(r, metric_key(M_EXITS))))
				v = 0;
			put_num(e, v);
		}
		fputc('\n', e);
		fprintf(q, "\"%s\"", lab);
		for (size_t k = 0; k < NIRQ; k++)
			put_num(q, result_mean(r, metric_key(irq_ids[k])));
		fputc('\n', q);
	}
	int bad = ferror(t) | ferror(e) | ferror(q) | ferror(x);
	bad |= fclose(t) | fclose(e) | fclose(q) | fclose(x);
	return bad ? -1 : 0;
}

static void script_common(FILE *gp, const char *ext, const char *base, const char *title)
{
	gnuplot_set_output(gp, ext, base);
	fprintf(gp, "set title \"%s\"\n", title);
	fputs("set datafile missing '?'\nset grid ytics\nset yrange [0:*]\n"
	      "set style fill solid 0.7 border -1\n",
	      gp);
}

static int render_into(const struct result_set *set, const char *dir, char *err, size_t errlen)
{
	size_t ncauses, no_kvm = 0;
	const char **causes = metric_members(set, M_EXITS_BY_REASON, &ncauses);
	int any_irq = 0;
	for (size_t i = 0; i < set->n; i++) {
		no_kvm += !result_kvm_counters(&set->r[i]);
		for (size_t k = 0; k < NIRQ; k++)
			any_irq |= !isnan(result_mean(&set->r[i], metric_key(irq_ids[k])));
	}
	if (write_data(set, dir, causes, ncauses)) {
		snprintf(err, errlen, "%s: cannot write chart data: %s", dir, strerror(errno));
		free(causes);
		return -1;
	}
	FILE *gp = open_in(dir, "charts.gp");
	if (!gp) {
		snprintf(err, errlen, "%s/charts.gp: %s", dir, strerror(errno));
		free(causes);
		return -1;
	}
	fputs("# generated by irqpath-report; run: gnuplot charts.gp\n", gp);
	static const char *const exts[] = {"png", "svg"};
	char qb[128];
	for (int x = 0; x < 2; x++) {
		/* 1: trans/s, one series per profile so each is named in the key */
		script_common(gp, exts[x], "transs", chart_titles[0]);
		fprintf(gp,
			"set boxwidth 0.6\nset xrange [-0.7:%zu.7]\nset ylabel \"trans/s\"\n"
			"set key outside right top\nset xtics nomirror\n",
			set->n ? set->n - 1 : 0);
		fputs("plot ", gp);
		for (size_t i = 0; i < set->n; i++) {
			char lb[160];
			fprintf(gp,
				"%s'transs.dat' every ::%zu::%zu using 1:3:4:xtic(2) "
				"with boxerrorbars lc %zu title \"%s\"",
				i ? ", \\\n     " : "", i, i, i + 1,
				gnuplot_quote(chart_label(&set->r[i], lb, sizeof(lb), 0), qb,
					      sizeof(qb)));
		}
		if (!set->n)
			fputs("NaN notitle", gp);
		fputs("\nunset xrange\n", gp);

		/* 2: in-kernel and userspace exits, error bars */
		script_common(gp, exts[x], "exits", chart_titles[1]);
		charts_exits_script(gp, set->n, exits_any,
				    no_kvm == set->n ? "no KVM counters (TCG): no host exit counts"
						     : "no host exit counts (tracer unavailable)");

		/* 3: exits stacked by cause */
		script_common(gp, exts[x], "exits-by-cause", chart_titles[2]);
		fputs("set style data histograms\nset style histogram rowstacked\n"
		      "set boxwidth 0.6\nset ylabel \"exits per transaction\"\n"
		      "set key outside right top\n",
		      gp);
		if (ncauses)
			fprintf(gp,
				"plot for [c=2:%zu] 'exits-by-cause.dat' using c:xtic(1) title "
				"columnheader(c)\n",
				ncauses + 1);
		else
			fprintf(gp,
				"set label 1 '%s' at graph 0.5,0.5 center\nplot "
				"'exits-by-cause.dat' every ::1 "
				"using (0):xtic(1) notitle\nunset label 1\n",
				no_kvm == set->n ? "no KVM counters (TCG): no host exit counts"
						 : "no host exit counts (tracer unavailable)");

		/* 4: interrupts and EOIs per queue */
		script_common(gp, exts[x], "irqs", chart_titles[3]);
		fputs("set style data histograms\nset style histogram clustered gap 1\n"
		      "set boxwidth 0.9\nset ylabel \"per transaction\"\n"
		      "set key outside right top\n",
		      gp);
		if (any_irq)
			fprintf(gp,
				"plot for [c=2:%zu] 'irqs.dat' using c:xtic(1) title "
				"columnheader(c)\n",
				NIRQ + 1);
		else /* gnuplot refuses a plot with no valid point */
			fprintf(
			    gp,
			    "set label 1 '%s' at graph 0.5,0.5 center\nplot 'irqs.dat' every ::1 "
			    "using (0):xtic(1) notitle\n",
			    no_kvm == set->n ? "no KVM counters (TCG): no host interrupt counts"
					     : "no host interrupt counts (tracer unavailable)");
		fputs("unset label 1\nunset style\nset style data points\n", gp);
	}
	int bad = ferror(gp);
	bad |= fclose(gp);
	free(causes);
	if (bad) {
		snprintf(err, errlen, "%s/charts.gp: write failed", dir);
		return -1;
	}
	if (gnuplot_run(dir, "charts.gp", chart_bases, CHART_COUNT, err, errlen))
		return -1;
	struct latency_charts lc;
	if (latency_render(set, dir, &lc, err, errlen))
		return -1;
	/* a run of several queue counts: the scaling charts and heat maps */
	return scaling_present(set) ? scaling_render(set, dir, err, errlen) : 0;
}

/*
 * Drawn in a temporary directory next to DIR that replaces it only when
 * every chart is there: an interrupted or failed run leaves the previous
 * charts (or none), never a half-written directory.
 */
int charts_render(const struct result_set *set, const char *dir, char *err, size_t errlen)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dir) >= (int)sizeof(tmp) || !mkdtemp(tmp)) {
		snprintf(err, errlen, "%s: cannot create a temporary directory: %s", dir,
			 strerror(errno));
		return -1;
	}
	chmod(tmp, 0755);
	int rc = render_into(set, tmp, err, errlen);
	if (!rc && report_interrupted) {
		snprintf(err, errlen, "interrupted (signal %d)", (int)report_interrupted);
		rc = -1;
	}
	if (!rc) {
		report_remove_tree(dir);
		if (rename(tmp, dir)) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			rc = -1;
		}
	}
	if (rc)
		report_remove_tree(tmp);
	return rc;
}
