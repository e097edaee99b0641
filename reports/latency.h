/* SPDX-License-Identifier: MIT */
/*
 * Exit-latency histograms (kvm_exit -> kvm_entry, log2 buckets of ns) that
 * irqpath-trace records where exits come from kvm_exit: one chart per exit
 * reason, a series per profile, from the results' exit_latency_log2_ns
 * (summed over repetitions by irqpath-bench).
 */
#ifndef IRQPATH_REPORTS_LATENCY_H
#define IRQPATH_REPORTS_LATENCY_H

#include "results.h"

#define LATENCY_MAX_REASONS 32

struct latency_charts {
	size_t n;
	char reason[LATENCY_MAX_REASONS][64]; /* as the tracer names it; "all" last */
	char base[LATENCY_MAX_REASONS][80];   /* DIR/<base>.png and .svg */
};

/* The reasons with a histogram in any result of the set. */
void latency_reasons(const struct result_set *set, struct latency_charts *lc);

/* Writes latency.gp, its data and the charts into DIR; 0 when none to draw. */
int latency_render(const struct result_set *set, const char *dir, struct latency_charts *lc,
		   char *err, size_t errlen);

#endif
