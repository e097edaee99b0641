/* SPDX-License-Identifier: MIT */
/* Merging the VMM's and the tracer's reports into a repetition record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../merge.h"

static const char *vmm_doc =
    "{\"schema\":\"irqpath-vmm/1\",\"result\":{\"status\":\"ok\",\"transactions\":100,"
    "\"elapsed_s\":0.5,\"trans_per_s\":200.0,\"latency_us\":{\"p50\":4,\"p90\":5,\"p99\":"
    "9,\"mean\":4.5}},\"guest\":{\"status_reads\":101,\"acks\":100,\"msi_vectors\":0,"
    "\"config_interrupts\":0,\"queues\":{\"rx\":{\"notifies\":1,\"interrupts\":100},"
    "\"tx\":{\"notifies\":100,\"interrupts\":100}}},\"vmm\":{\"userspace_exits\":250}}";

static const char *trace_doc =
    "{\"schema\":\"irqpath-trace/1\",\"totals\":{\"exits\":400,\"userspace_exits\":250,"
    "\"ioapic_set_irq\":300,\"ioapic_eoi\":101,\"x2apic_eoi\":101},"
    "\"exits_by_reason\":{\"MMIO\":300,\"MSR\":100},"
    "\"mmio_by_register\":{\"InterruptStatus\":{\"reads\":101},"
    "\"InterruptACK\":{\"writes\":99}},\"notifies\":{\"rx\":1,\"tx\":100},"
    "\"msi_by_vector\":{}}";

static double metric(json_t *rep, const char *k)
{
	json_t *v = json_object_get(json_object_get(rep, "metrics"), k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *agreement(json_t *rep, const char *k)
{
	return json_object_get(json_object_get(json_object_get(rep, "agreement"), k), "agree");
}

static void with_trace(void **state)
{
	(void)state;
	json_t *vmm = json_loads(vmm_doc, 0, NULL), *tr = json_loads(trace_doc, 0, NULL);
	assert_non_null(vmm);
	assert_non_null(tr);
	json_t *rep = merge_repetition(1, vmm, tr, NULL);
	assert_float_equal(metric(rep, "trans_per_s"), 200, 1e-9);
	assert_float_equal(metric(rep, "exits_per_txn.total"), 4.0, 1e-9);
	assert_float_equal(metric(rep, "exits_per_txn.mmio"), 3.0, 1e-9);
	assert_float_equal(metric(rep, "exits_per_txn.msr"), 1.0, 1e-9);
	assert_float_equal(metric(rep, "status_reads_per_txn"), 1.01, 1e-9);
	assert_float_equal(metric(rep, "acks_per_txn"), 0.99, 1e-9);
	assert_float_equal(metric(rep, "ioapic_eoi_per_txn"), 1.01, 1e-9);
	assert_float_equal(metric(rep, "msis_per_txn.rx"), 0, 1e-9);
	assert_float_equal(metric(rep, "latency_p99_us"), 9, 1e-9);
	assert_true(json_is_true(agreement(rep, "status_reads_per_txn")));
	assert_true(json_is_false(agreement(rep, "acks_per_txn"))); /* 100 vs 99 */
	assert_true(json_is_true(agreement(rep, "notifies_per_txn.tx")));
	assert_true(json_is_true(agreement(rep, "msis_per_txn.rx"))); /* 0 and 0 */

	/* aggregation over two copies: mean, n, and "all agree" semantics */
	json_t *reps = json_array();
	json_array_append_new(reps, rep);
	json_array_append_new(reps, merge_repetition(2, vmm, tr, NULL));
	json_array_append_new(reps, merge_failed(3, "boom"));
	json_t *s = aggregate_summary(reps);
	json_t *t = json_object_get(s, "trans_per_s");
	assert_int_equal(json_integer_value(json_object_get(t, "n")), 2);
	assert_float_equal(json_number_value(json_object_get(t, "mean")), 200, 1e-9);
	json_t *ag = aggregate_agreement(reps);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(ag, "acks_per_txn"), "guest")), 200);
	assert_true(json_is_false(json_object_get(json_object_get(ag, "acks_per_txn"), "agree")));
	json_decref(s);
	json_decref(ag);
	json_decref(reps);
	json_decref(vmm);
	json_decref(tr);
}

/* One vector for config, rx and tx (mmio-draft-fewer, the tracer's name
 * "config+rx+tx"): per queue not comparable (agree null), the vector's own
 * row compares the guest's interrupts on it with the MSIs and can fail. */
static void shared_vector(void **state)
{
	(void)state;
	for (int wrong = 0; wrong < 2; wrong++) {
		json_t *vmm = json_loads(vmm_doc, 0, NULL), *tr = json_loads(trace_doc, 0, NULL);
		json_t *g = json_object_get(vmm, "guest");
		json_object_set_new(g, "msi_vectors", json_integer(1));
		json_object_set_new(g, "irqs_by_vector", json_pack("{s:i}", "64", 100 + wrong));
		json_object_set_new(tr, "msi_by_vector",
				    json_pack("{s:{s:i,s:s,s:[sss]}}", "64", "count", 100, "queue",
					      "config+rx+tx", "queues", "config", "rx", "tx"));
		json_t *rep = merge_repetition(1, vmm, tr, NULL);
		assert_true(json_is_null(agreement(rep, "msis_per_txn.rx")));
		assert_true(json_is_null(agreement(rep, "msis_per_txn.tx")));
		assert_true(json_is_null(agreement(rep, "msis_per_txn.config")));
		json_t *a = agreement(rep, "msis_per_txn.config+rx+tx");
		assert_true(json_is_boolean(a));
		assert_int_equal(json_is_true(a), !wrong);
		assert_true(json_is_true(agreement(rep, "notifies_per_txn.tx")));
		json_decref(rep);
		json_decref(vmm);
		json_decref(tr);
	}
}

/* The guest's transactions against the host's exits: 100 of them need at least 100 exits. */
static void host_exits_bound_the_guest(void **state)
{
	(void)state;
	json_t *vmm = json_loads(vmm_doc, 0, NULL), *tr = json_loads(trace_doc, 0, NULL);
	char why[256] = "";
	json_t *rep = merge_repetition(1, vmm, tr, NULL);
	assert_int_equal(merge_check_host(rep, why, sizeof(why)), 0); /* 400 exits */
	json_decref(rep);
	json_object_set_new(json_object_get(vmm, "result"), "transactions",
			    json_integer(4702111234474983745ll));
	rep = merge_repetition(1, vmm, tr, NULL);
	assert_int_equal(merge_check_host(rep, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "host saw 400 VM exits"));
	json_decref(rep);
	rep = merge_repetition(1, vmm, NULL, "no tracer"); /* no host counts: nothing to check */
	assert_int_equal(merge_check_host(rep, why, sizeof(why)), 0);
	json_decref(rep);
	json_decref(vmm);
	json_decref(tr);
}

static void without_trace_host_is_null(void **state)
{
	(void)state;
	json_t *vmm = json_loads(vmm_doc, 0, NULL);
	json_t *rep = merge_repetition(1, vmm, NULL, "irqpath-trace not found");
	/* unknown, not zero */
	assert_true(
	    json_is_null(json_object_get(json_object_get(rep, "metrics"), "exits_per_txn.total")));
	assert_true(
	    json_is_null(json_object_get(json_object_get(rep, "metrics"), "status_reads_per_txn")));
	assert_true(json_is_null(agreement(rep, "status_reads_per_txn")));
	/* the guest's and the VMM's own counts are still there */
	assert_float_equal(metric(rep, "vmm.userspace_exits_per_txn"), 2.5, 1e-9);
	assert_float_equal(metric(rep, "guest.status_reads_per_txn"), 1.01, 1e-9);
	json_t *reps = json_array();
	json_array_append_new(reps, rep);
	json_t *s = aggregate_summary(reps);
	json_t *e = json_object_get(s, "exits_per_txn.total");
	assert_int_equal(json_integer_value(json_object_get(e, "n")), 0);
	assert_true(json_is_null(json_object_get(e, "mean")));
	json_t *ag = aggregate_agreement(reps);
	assert_true(json_is_null(json_object_get(json_object_get(ag, "acks_per_txn"), "agree")));
	json_decref(ag);
	json_decref(s);
	json_decref(reps);
	json_decref(vmm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(with_trace),
	    cmocka_unit_test(shared_vector),
	    cmocka_unit_test(host_exits_bound_the_guest),
	    cmocka_unit_test(without_trace_host_is_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
