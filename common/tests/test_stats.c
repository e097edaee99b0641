/* SPDX-License-Identifier: MIT */
/* The statistics behind "significant": known exact answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <cmocka.h>

#include "../stats.h"

static void mean_and_stddev(void **state)
{
	(void)state;
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	assert_float_equal(stats_mean(x, 8), 5.0, 1e-12);
	/* sample stddev: sqrt(32 / 7) */
	assert_float_equal(stats_stddev(x, 8), sqrt(32.0 / 7.0), 1e-12);
	assert_float_equal(stats_stddev(x, 1), 0.0, 0);
	assert_true(isnan(stats_mean(x, 0)));
}

static void choose(void **state)
{
	(void)state;
	assert_int_equal(stats_choose(6, 3), 20);
	assert_int_equal(stats_choose(20, 10), 184756);
	assert_int_equal(stats_choose(5, 0), 1);
	assert_int_equal(stats_choose(3, 5), 0);
}

static void exact_permutation(void **state)
{
	(void)state;
	int exact = 0;
	/* completely separated 3 vs 3: only the split and its mirror are as
	 * extreme: p = 2/20 */
	const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
	assert_float_equal(stats_permutation_p(a, 3, b, 3, &exact), 0.1, 1e-12);
	assert_true(exact);
	assert_float_equal(stats_min_p(3, 3), 0.1, 1e-12);
	/* identical samples: every relabelling is as extreme */
	assert_float_equal(stats_permutation_p(a, 3, a, 3, &exact), 1.0, 1e-12);
	/* 5 vs 5 separated reaches p < 0.01 */
	const double c[] = {10, 11, 12, 13, 14}, d[] = {20, 21, 22, 23, 24};
	double p = stats_permutation_p(c, 5, d, 5, &exact);
	assert_float_equal(p, 2.0 / 252.0, 1e-12);
	assert_true(p < STATS_ALPHA);
	/* overlapping samples are not significant */
	const double e[] = {10, 12, 14, 16, 18}, f[] = {11, 13, 15, 17, 19};
	assert_true(stats_permutation_p(e, 5, f, 5, NULL) > 0.5);
}

static void monte_carlo_is_reproducible(void **state)
{
	(void)state;
	/* 15 vs 15: C(30,15) > the exact limit, so random relabellings */
	double a[15], b[15];
	for (int i = 0; i < 15; i++) {
		a[i] = 100 + (i % 5);
		b[i] = 101 + (i % 5);
	}
	int exact = 1;
	double p1 = stats_permutation_p(a, 15, b, 15, &exact);
	double p2 = stats_permutation_p(a, 15, b, 15, &exact);
	assert_false(exact);
	assert_float_equal(p1, p2, 0); /* fixed seed */
	assert_true(p1 > 0 && p1 <= 1);
	/* a clear shift is found even by sampling */
	for (int i = 0; i < 15; i++)
		b[i] = 200 + (i % 5);
	assert_true(stats_permutation_p(a, 15, b, 15, NULL) < STATS_ALPHA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mean_and_stddev),
	    cmocka_unit_test(choose),
	    cmocka_unit_test(exact_permutation),
	    cmocka_unit_test(monte_carlo_is_reproducible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
