// SPDX-License-Identifier: MIT
/*
 * The MSI vector plan of guest_abi.h that the device (mmio-v3), the
 * micro-guest and the layout file share: queue -> entry, entry -> vCPU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "irqpath/guest_abi.h"
#include "../transport_mmio.h"

static void one_pair_is_unchanged(void **state)
{
	(void)state;
	assert_int_equal(gabi_num_queues(1), 2);
	/* config, rx, tx: as before multi-queue */
	assert_int_equal(gabi_plan_entry(0, 1, 3), 1);
	assert_int_equal(gabi_plan_entry(1, 1, 3), 2);
	assert_int_equal(gabi_plan_entry(0, 1, 2), 1);
	assert_int_equal(gabi_plan_entry(1, 1, 2), 1);
	assert_int_equal(gabi_plan_entry(1, 1, 1), 0);
	assert_int_equal(gabi_plan_dest(1, 1, 1, 3), 0);
}

static void one_to_one(void **state)
{
	(void)state;
	/* 2 pairs: rx0 tx0 rx1 tx1 ctrl on entries 1..5, owners 0 0 1 1 0 */
	assert_int_equal(gabi_num_queues(2), 5);
	for (unsigned q = 0; q < 5; q++)
		assert_int_equal(gabi_plan_entry(q, 2, 6), q + 1);
	assert_int_equal(gabi_plan_dest(0, 2, 2, 6), 0);
	assert_int_equal(gabi_plan_dest(1, 2, 2, 6), 0);
	assert_int_equal(gabi_plan_dest(2, 2, 2, 6), 0);
	assert_int_equal(gabi_plan_dest(3, 2, 2, 6), 1);
	assert_int_equal(gabi_plan_dest(4, 2, 2, 6), 1);
	assert_int_equal(gabi_plan_dest(5, 2, 2, 6), 0); /* ctrl */
	/* more entries than needed change nothing */
	assert_int_equal(gabi_plan_entry(3, 2, 64), 4);
	/* 8 pairs on 8 vCPUs: tx7 on entry 16, aimed at vCPU 7 */
	assert_int_equal(gabi_plan_entry(15, 8, 18), 16);
	assert_int_equal(gabi_plan_dest(16, 8, 8, 18), 7);
}

static void shared_entries(void **state)
{
	(void)state;
	/* M = 2: one queue entry for every pair, aimed at pair 0's owner */
	for (unsigned q = 0; q < 4; q++)
		assert_int_equal(gabi_plan_entry(q, 2, 2), 1);
	assert_int_equal(gabi_plan_entry(4, 2, 2), 0); /* ctrl with config */
	assert_int_equal(gabi_plan_dest(1, 2, 2, 2), 0);
	/* M = 3 with 4 pairs: pairs 0, 2 on entry 1; 1, 3 on entry 2 */
	assert_int_equal(gabi_plan_entry(0, 4, 3), 1);
	assert_int_equal(gabi_plan_entry(3, 4, 3), 2);
	assert_int_equal(gabi_plan_entry(5, 4, 3), 1);
	assert_int_equal(gabi_plan_entry(7, 4, 3), 2);
	assert_int_equal(gabi_plan_dest(2, 4, 4, 3), 1);
	/* M = 2P + 1: data queues one-to-one, ctrl with config */
	assert_int_equal(gabi_plan_entry(3, 2, 5), 4);
	assert_int_equal(gabi_plan_entry(4, 2, 5), 0);
	/* M = 1: everything on entry 0, vCPU 0 */
	assert_int_equal(gabi_plan_entry(3, 2, 1), 0);
	assert_int_equal(gabi_plan_dest(0, 2, 2, 1), 0);
}

static void owners(void **state)
{
	(void)state;
	assert_int_equal(gabi_queue_owner(0, 4, 2), 0);
	assert_int_equal(gabi_queue_owner(3, 4, 2), 1);
	assert_int_equal(gabi_queue_owner(4, 4, 2), 0); /* pair 2 on vCPU 0 */
	assert_int_equal(gabi_queue_owner(8, 4, 2), 0); /* ctrl */
	assert_int_equal(gabi_queue_owner(1, 1, 0), 0);
}

static void device_follows_the_plan(void **state)
{
	(void)state;
	for (unsigned pairs = 1; pairs <= GABI_MAX_PAIRS; pairs++)
		for (unsigned m = 1; m <= 64; m++)
			for (unsigned q = 0; q < gabi_num_queues(pairs); q++) {
				unsigned e = mmio_v3_queue_vector(q, m, pairs);
				assert_int_equal(e, gabi_plan_entry(q, pairs, m));
				assert_true(e < m);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_pair_is_unchanged),   cmocka_unit_test(one_to_one),
	    cmocka_unit_test(shared_entries),	       cmocka_unit_test(owners),
	    cmocka_unit_test(device_follows_the_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
