/* SPDX-License-Identifier: MIT */
/* Mean, spread and the permutation test that decides "significant". */
#ifndef IRQPATH_COMMON_STATS_H
#define IRQPATH_COMMON_STATS_H

#include <stddef.h>

#define STATS_ALPHA 0.01		 /* significant if p < this */
#define STATS_EXACT_LIMIT 200000ul	 /* enumerate when C(n,k) <= this */
#define STATS_RESAMPLES 100000ul	 /* else this many random shuffles */
#define STATS_SEED 0x9e3779b97f4a7c15ull /* fixed: same inputs, same p */

double stats_mean(const double *x, size_t n);
/* Sample standard deviation (n - 1); 0 for n < 2. */
double stats_stddev(const double *x, size_t n);

/*
 * Two-sided permutation test on the difference of means of A and B.
 * Exact (all relabellings) when there are few, else Monte Carlo with a
 * fixed seed. Returns p in (0, 1]; *exact says which was done.
 */
double stats_permutation_p(const double *a, size_t na, const double *b, size_t nb, int *exact);

/* The smallest p an exact test can give for these sample sizes. */
double stats_min_p(size_t na, size_t nb);

/* C(n, k), saturating at ULONG_MAX. */
unsigned long stats_choose(size_t n, size_t k);

#endif
