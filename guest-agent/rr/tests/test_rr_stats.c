// SPDX-License-Identifier: MIT
/* Unit tests: latency percentiles and the irqpath-rr hello message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../rr_proto.h"
#include "../rr_stats.h"

static void test_percentiles_1_to_100(void **state)
{
	(void)state;
	struct rr_samples s = {0};
	/* insert 100..1 us in reverse to check the sort */
	for (int i = 100; i >= 1; i--)
		assert_int_equal(rr_samples_add(&s, (uint64_t)i * 1000), 0);
	struct rr_summary sum;
	rr_summarize(&s, &sum);
	assert_int_equal(sum.count, 100);
	assert_true(sum.p50_us == 50.0);
	assert_true(sum.p90_us == 90.0);
	assert_true(sum.p99_us == 99.0);
	assert_true(sum.min_us == 1.0);
	assert_true(sum.max_us == 100.0);
	assert_true(sum.mean_us == 50.5);
	rr_samples_free(&s);
}

static void test_percentile_small_and_empty(void **state)
{
	(void)state;
	uint32_t one[] = {7};
	assert_int_equal(rr_percentile_sorted(one, 1, 50), 7);
	assert_int_equal(rr_percentile_sorted(one, 1, 99), 7);
	assert_int_equal(rr_percentile_sorted(NULL, 0, 50), 0);
	uint32_t three[] = {1, 2, 3};
	assert_int_equal(rr_percentile_sorted(three, 3, 50), 2);
	assert_int_equal(rr_percentile_sorted(three, 3, 90), 3);
	struct rr_samples s = {0};
	struct rr_summary sum;
	rr_summarize(&s, &sum);
	assert_int_equal(sum.count, 0);
}

static void test_sample_saturates(void **state)
{
	(void)state;
	struct rr_samples s = {0};
	assert_int_equal(rr_samples_add(&s, 1ull << 40), 0);
	assert_int_equal(s.ns[0], UINT32_MAX);
	rr_samples_free(&s);
}

static void test_growth(void **state)
{
	(void)state;
	struct rr_samples s = {0};
	for (uint32_t i = 0; i < 200000; i++)
		assert_int_equal(rr_samples_add(&s, i), 0);
	assert_int_equal(s.n, 200000);
	assert_int_equal(s.ns[199999], 199999);
	rr_samples_free(&s);
}

static void test_hello_roundtrip_and_rejects(void **state)
{
	(void)state;
	uint8_t b[RR_HELLO_LEN];
	uint32_t req, resp;
	rr_hello_encode(b, 32, 1024);
	assert_int_equal(rr_hello_decode(b, &req, &resp), 0);
	assert_int_equal(req, 32);
	assert_int_equal(resp, 1024);
	rr_hello_encode(b, 0, 1024);
	assert_int_equal(rr_hello_decode(b, &req, &resp), -1);
	rr_hello_encode(b, 1, RR_MAX_MSG + 1);
	assert_int_equal(rr_hello_decode(b, &req, &resp), -1);
	rr_hello_encode(b, 1, 1);
	b[0] = 'X';
	assert_int_equal(rr_hello_decode(b, &req, &resp), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_percentiles_1_to_100),
	    cmocka_unit_test(test_percentile_small_and_empty),
	    cmocka_unit_test(test_sample_saturates),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_hello_roundtrip_and_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
