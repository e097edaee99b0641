// SPDX-License-Identifier: MIT
#include "rr_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rr_samples_add(struct rr_samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 65536;
		uint32_t *p = realloc(s->ns, cap * sizeof(*p));
		if (!p)
			return -1;
		s->ns = p;
		s->cap = cap;
	}
	s->ns[s->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	return 0;
}

void rr_samples_free(struct rr_samples *s)
{
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

uint32_t rr_percentile_sorted(const uint32_t *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	/* nearest rank: the smallest value with at least p% of samples <= it */
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void rr_summarize(struct rr_samples *s, struct rr_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (s->n == 0)
		return;
	qsort(s->ns, s->n, sizeof(*s->ns), cmp_u32);
	double sum = 0;
	for (size_t i = 0; i < s->n; i++)
		sum += s->ns[i];
	out->count = s->n;
	out->min_us = s->ns[0] / 1000.0;
	out->max_us = s->ns[s->n - 1] / 1000.0;
	out->mean_us = sum / (double)s->n / 1000.0;
	out->p50_us = rr_percentile_sorted(s->ns, s->n, 50) / 1000.0;
	out->p90_us = rr_percentile_sorted(s->ns, s->n, 90) / 1000.0;
	out->p99_us = rr_percentile_sorted(s->ns, s->n, 99) / 1000.0;
}
