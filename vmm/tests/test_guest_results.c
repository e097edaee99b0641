// SPDX-License-Identifier: MIT
/*
 * The mailbox -> results path: a well-behaved mailbox passes the count
 * check; counts a guest made up (more transactions than asked, than the
 * device carried, than time allows) are each named; a flooded mailbox still
 * yields a complete "guest" object with its error string escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../guest_results.h"

static const char *const names[] = {"rx", "tx"};

static struct gabi_mailbox honest(void)
{
	struct gabi_mailbox mb;
	memset(&mb, 0, sizeof(mb));
	mb.state = GABI_STATE_DONE;
	mb.done = mb.latency_count = 1000;
	mb.q[0].interrupts = mb.q[0].used = mb.q[0].callbacks = 1000;
	mb.q[1].notifies = 1000;
	mb.irqs_by_vector[0x41] = 1000;
	mb.msi_vectors = 3;
	mb.tsc_start = 10;
	mb.tsc_end = 20;
	return mb;
}

static const struct guest_seen seen = {1000, 1001, 1000, 0.5};

static void honest_counts_pass(void **state)
{
	(void)state;
	struct gabi_mailbox mb = honest();
	json_t *p = json_array();
	assert_int_equal(guest_counts_check(&mb, &seen, p), 0);
	assert_int_equal(json_array_size(p), 0);
	json_decref(p);
}

static int names_problem(json_t *p, const char *needle)
{
	size_t i;
	json_t *v;
	json_array_foreach(p, i, v) if (strstr(json_string_value(v), needle)) return 1;
	return 0;
}

static void made_up_transactions_are_named(void **state)
{
	(void)state;
	struct gabi_mailbox mb = honest();
	mb.done = mb.latency_count = 4702111234474983745ull; /* "AAAAAAAA" */
	json_t *p = json_array();
	assert_int_equal(guest_counts_check(&mb, &seen, p), 3);
	assert_true(names_problem(p, "more than asked for 1000"));
	assert_true(names_problem(p, "more than requests the device took 1001"));
	assert_true(names_problem(p, "more than responses the device delivered 1000"));
	json_decref(p);
}

static void duration_run_is_bounded_by_the_device(void **state)
{
	(void)state;
	struct gabi_mailbox mb = honest();
	struct guest_seen s = seen;
	s.transactions_asked = 0; /* --duration */
	mb.done = mb.latency_count = 1001;
	assert_int_equal(guest_counts_check(&mb, &s, NULL), 1); /* rx saw 1000 */
}

static void event_counts_are_bounded_by_time(void **state)
{
	(void)state;
	struct gabi_mailbox mb = honest();
	mb.acks = 600000000ull;					    /* 0.5 s allows 5e8 */
	mb.irqs_by_vector[7] = mb.irqs_by_vector[8] = 300000000ull; /* each fits, not both */
	json_t *p = json_array();
	assert_int_equal(guest_counts_check(&mb, &seen, p), 2); /* acks, and the sum */
	assert_true(names_problem(p, "acks 600000000"));
	json_decref(p);
}

/* Every byte 'A' or a control byte: the check lists a bounded number, the JSON is whole. */
static void flooded_mailbox(void **state)
{
	(void)state;
	struct gabi_mailbox mb;
	memset(&mb, 0x41, sizeof(mb));
	mb.state = GABI_STATE_FAILED;
	memset(mb.error, 0xff, sizeof(mb.error));
	mb.error[0] = 0x1b;
	json_t *p = json_array();
	unsigned bad = guest_counts_check(&mb, &seen, p);
	assert_true(bad > GUEST_MAX_PROBLEMS);
	assert_int_equal(json_array_size(p), GUEST_MAX_PROBLEMS);
	json_decref(p);
	json_t *g = guest_results_json(&mb, names, 2);
	assert_non_null(g);
	const char *e = json_string_value(json_object_get(g, "error"));
	assert_non_null(e);
	assert_int_equal(strncmp(e, "\\x1b\\xff\\xff", 12), 0);
	assert_true(strlen(e) < 64 * 4 + 1);
	assert_int_equal(json_object_size(json_object_get(g, "irqs_by_vector")), 256);
	char *dump = json_dumps(g, 0);
	assert_non_null(dump);
	free(dump);
	json_decref(g);
}

static void snapshot_copies_everything(void **state)
{
	(void)state;
	struct gabi_mailbox a = honest(), b;
	memset(&b, 0, sizeof(b));
	guest_snapshot(&b, &a);
	assert_memory_equal(&a, &b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(honest_counts_pass),
	    cmocka_unit_test(made_up_transactions_are_named),
	    cmocka_unit_test(duration_run_is_bounded_by_the_device),
	    cmocka_unit_test(event_counts_are_bounded_by_time),
	    cmocka_unit_test(flooded_mailbox),
	    cmocka_unit_test(snapshot_copies_everything),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
