/* SPDX-License-Identifier: MIT */
/* Per-transaction latency samples and their summary (percentiles). */
#ifndef IRQPATH_RR_STATS_H
#define IRQPATH_RR_STATS_H

#include <stddef.h>
#include <stdint.h>

struct rr_samples {
	uint32_t *ns; /* one latency per transaction, nanoseconds (saturated) */
	size_t n, cap;
};

struct rr_summary {
	size_t count;
	double min_us, mean_us, p50_us, p90_us, p99_us, max_us;
};

/* Appends one latency; returns 0, or -1 when out of memory. */
int rr_samples_add(struct rr_samples *s, uint64_t ns);
void rr_samples_free(struct rr_samples *s);
/* Nearest-rank percentile (p in (0,100]) of sorted samples, in ns. */
uint32_t rr_percentile_sorted(const uint32_t *sorted, size_t n, double p);
/* Sorts the samples in place and fills *out (all zero when empty). */
void rr_summarize(struct rr_samples *s, struct rr_summary *out);

#endif
