/* SPDX-License-Identifier: MIT */
/*
 * The exits chart: per profile, exits per transaction split into those
 * the kernel handled and those that went out to the VMM (userspace: the
 * legacy transport's main cost), with the stddev over the runs as error
 * bars on both parts. Samples are per repetition, so the in-kernel spread
 * is that of (total - userspace), not a sum of spreads.
 */
#include "charts.h"
#include "gnuplot.h"
#include "metrics.h"
#include "../common/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAXREP 1024

static void put(FILE *f, double v)
{
	if (isnan(v))
		fputs(" ?", f);
	else
		fprintf(f, " %.6g", v);
}

int charts_exits_data(const struct result_set *set, FILE *d, const char *const *labels)
{
	double tot[MAXREP], us[MAXREP], ink[MAXREP];
	char qb[160];
	fputs("# index profile in_kernel in_kernel_sd userspace userspace_sd total total_sd\n", d);
	int any = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct result *r = &set->r[i];
		size_t n = 0;
		for (size_t k = 0; k < result_reps(r) && n < MAXREP; k++) {
			double t = result_rep_value(r, k, metric_key(M_EXITS));
			double u = result_rep_value(r, k, metric_key(M_USERSPACE_EXITS));
			if (isnan(t) || isnan(u))
				continue;
			tot[n] = t;
			us[n] = u;
			ink[n] = t - u;
			n++;
		}
		fprintf(d, "%zu \"%s\"", i, gnuplot_quote(labels[i], qb, sizeof(qb)));
		if (!n) {
			fputs(" ? ? ? ? ? ?\n", d);
			continue;
		}
		any = 1;
		put(d, stats_mean(ink, n));
		put(d, n > 1 ? stats_stddev(ink, n) : 0);
		put(d, stats_mean(us, n));
		put(d, n > 1 ? stats_stddev(us, n) : 0);
		put(d, stats_mean(tot, n));
		put(d, n > 1 ? stats_stddev(tot, n) : 0);
		fputc('\n', d);
	}
	return any;
}

void charts_exits_script(FILE *gp, size_t nprofiles, int any, const char *empty_note)
{
	fprintf(gp,
		"set boxwidth 0.6\nset xrange [-0.7:%zu.7]\nset ylabel \"exits per transaction\"\n"
		"set key inside left top opaque\nset xtics nomirror\nset yrange [0:*]\n"
		"set offsets 0, 0, graph 0.25, 0\n",
		nprofiles ? nprofiles - 1 : 0);
	if (!any) { /* gnuplot refuses a plot with no valid point */
		fprintf(
		    gp,
		    "set label 1 '%s' at graph 0.5,0.5 center\nplot 'exits.dat' using "
		    "1:(0):xtic(2) notitle\nunset label 1\nunset xrange\nset offsets 0, 0, 0, 0\n",
		    empty_note);
		return;
	}
	/* the total's box first, the in-kernel box over its lower part: a stack */
	fputs("plot 'exits.dat' using 1:7:xtic(2) with boxes lc rgb '#d95f02' "
	      "title \"userspace exits (to the VMM)\", \\\n"
	      "     '' using 1:3 with boxes lc rgb '#1b9e77' title \"in-kernel exits\", \\\n"
	      "     '' using 1:3:4 with yerrorbars lc rgb 'black' ps 0 lw 2 "
	      "title \"± stddev over runs\", \\\n"
	      "     '' using 1:7:8 with yerrorbars lc rgb 'black' ps 0 lw 2 notitle\n"
	      "set offsets 0, 0, 0, 0\n"
	      "unset xrange\n",
	      gp);
}
