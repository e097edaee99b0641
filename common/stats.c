/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double stats_mean(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

double stats_stddev(const double *x, size_t n)
{
	if (n < 2)
		return 0;
	double m = stats_mean(x, n), s = 0;
	for (size_t i = 0; i < n; i++)
		s += (x[i] - m) * (x[i] - m);
	return sqrt(s / (double)(n - 1));
}

unsigned long stats_choose(size_t n, size_t k)
{
	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	unsigned long r = 1;
	for (size_t i = 1; i <= k; i++) {
		/* r * (n - k + i) / i stays exact: r is C(n-k+i-1, i-1) */
		unsigned long num = (unsigned long)(n - k + i);
		if (r > ULONG_MAX / num)
			return ULONG_MAX;
		r = r * num / i;
	}
	return r;
}

double stats_min_p(size_t na, size_t nb)
{
	unsigned long c = stats_choose(na + nb, na);
	if (!c)
		return 1;
	/* two-sided: the observed split and its mirror image (equal sizes) */
	double k = na == nb ? 2 : 1;
	double p = k / (double)c;
	return p > 1 ? 1 : p;
}

/* |mean of chosen - mean of the rest| for a labelling of the pooled data */
static double diff_of_means(const double *pool, size_t n, const unsigned char *in_a, size_t na,
			    double total)
{
	double sa = 0;
	for (size_t i = 0; i < n; i++)
		if (in_a[i])
			sa += pool[i];
	return fabs(sa / (double)na - (total - sa) / (double)(n - na));
}

static unsigned long long xorshift(unsigned long long *s)
{
	unsigned long long x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

double stats_permutation_p(const double *a, size_t na, const double *b, size_t nb, int *exact)
{
	size_t n = na + nb;
	if (!na || !nb)
		return 1;
	double *pool = malloc(n * sizeof(*pool));
	unsigned char *in_a = calloc(n, 1);
	size_t *idx = malloc(na * sizeof(*idx));
	if (!pool || !in_a || !idx) {
		free(pool);
		free(in_a);
		free(idx);
		return 1;
	}
	memcpy(pool, a, na * sizeof(*a));
	memcpy(pool + na, b, nb * sizeof(*b));
	double total = 0, scale = 0;
	for (size_t i = 0; i < n; i++) {
		total += pool[i];
		scale = fmax(scale, fabs(pool[i]));
	}
	for (size_t i = 0; i < na; i++)
		in_a[i] = 1;
	double observed = diff_of_means(pool, n, in_a, na, total);
	/* ties within rounding count as "at least as extreme" */
	double threshold = observed - 1e-9 * (scale > 0 ? scale : 1);
	unsigned long combos = stats_choose(n, na), hits = 0, tries = 0;
	double p;
	if (combos <= STATS_EXACT_LIMIT) {
		/* walk every na-subset in lexicographic order */
		for (size_t i = 0; i < na; i++)
			idx[i] = i;
		for (;;) {
			memset(in_a, 0, n);
			for (size_t i = 0; i < na; i++)
				in_a[idx[i]] = 1;
			tries++;
			if (diff_of_means(pool, n, in_a, na, total) >= threshold)
				hits++;
			size_t i = na;
			while (i > 0 && idx[i - 1] == n - na + i - 1)
				i--;
			if (i == 0)
				break;
			idx[i - 1]++;
			for (size_t j = i; j < na; j++)
				idx[j] = idx[j - 1] + 1;
		}
		p = (double)hits / (double)tries;
		if (exact)
			*exact = 1;
	} else {
		unsigned long long seed = STATS_SEED;
		size_t *perm = malloc(n * sizeof(*perm));
		if (!perm) {
			p = 1;
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (tries = 0; tries < STATS_RESAMPLES; tries++) {
			/* partial Fisher-Yates: the first na slots are group A */
			for (size_t i = 0; i < na; i++) {
				size_t j = i + (size_t)(xorshift(&seed) % (n - i));
				size_t t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			memset(in_a, 0, n);
			for (size_t i = 0; i < na; i++)
				in_a[perm[i]] = 1;
			if (diff_of_means(pool, n, in_a, na, total) >= threshold)
				hits++;
		}
		free(perm);
		/* the observed labelling counts as one of the draws */
		p = (double)(hits + 1) / (double)(tries + 1);
		if (exact)
			*exact = 0;
	}
out:
	free(pool);
	free(in_a);
	free(idx);
	return p;
}
