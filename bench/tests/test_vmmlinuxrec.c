/* SPDX-License-Identifier: MIT */
/*
 * A Linux guest on irqpath-vmm -> repetition record: per-transaction host
 * figures over the window's transactions (measured + warm-up), the guest's
 * per-queue interrupts, and the exact guest/VMM interrupt agreement, which
 * must be able to fail; failures name the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../vmmlinuxrec.h"

/* 900 measured + 100 warm-up transactions; MSI index 0 config, 1 rx, 2 tx on
 * CPU vectors 34, 35, 36; the guest took RX_GUEST rx interrupts */
static json_t *vmm_doc(const char *profile, const char *status, long rx_guest)
{
	json_t *j = json_pack(
	    "{s:s,s:s,s:{s:s,s:I,s:f,s:f,s:{s:f,s:f,s:f,s:f}},"
	    "s:{s:I,s:{s:{s:i},s:{s:i},s:{s:i}}},"
	    "s:{s:s,s:s,s:{s:s,s:{s:I,s:I,s:I},s:{s:I,s:I,s:f,s:f}},s:{s:I,s:I,s:I,s:I}}}",
	    "schema", "irqpath-vmm/1", "profile", profile, "result", "status", status,
	    "transactions", (json_int_t)900, "elapsed_s", 40.0, "trans_per_s", 300.0, "latency_us",
	    "p50", 3000.0, "p90", 4000.0, "p99", 9000.0, "mean", 3300.0, "vmm", "userspace_exits",
	    (json_int_t)99999, "msi", "0", "vector", 34, "1", "vector", 35, "2", "vector", 36,
	    "linux", "verdict", "ok", "reason", "", "agent", "status", "ok", "irqs",
	    "virtio0-config", (json_int_t)0, "virtio0-input.0", (json_int_t)1000,
	    "virtio0-output.0", (json_int_t)1000, "rr", "transactions", (json_int_t)900,
	    "warmup_transactions", (json_int_t)100, "elapsed_s", 3.0, "trans_per_s", 300.0,
	    "final_irqs", "virtio0-config", (json_int_t)0, "virtio0-input.0", (json_int_t)rx_guest,
	    "virtio0-output.0", (json_int_t)1010, "virtio0", (json_int_t)1020);
	assert_non_null(j);
	return j;
}

/* the tracer could not name the vectors (queue null): the VMM's order is used */
static json_t *trace_doc(void)
{
	json_t *t = json_loads(
	    "{\"schema\":\"irqpath-trace/1\",\"totals\":{\"exits\":5000,"
	    "\"userspace_exits\":100},\"exits_by_reason\":{\"npf\":1000,\"msr\":2000},"
	    "\"notifies\":{\"rx\":0,\"tx\":1000},\"msi_by_vector\":{\"35\":{\"queue\":null,"
	    "\"count\":1006},\"36\":{\"queue\":null,\"count\":1010}},\"eoi_by_vector\":{"
	    "\"236\":77,\"35\":1005,\"36\":1010},\"ioapic\":{\"5\":{\"eoi\":1020}}}",
	    0, NULL);
	assert_non_null(t);
	return t;
}

static double metric(json_t *rep, const char *k)
{
	json_t *v = json_object_get(json_object_get(rep, "metrics"), k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *agreement(json_t *rep, const char *k)
{
	return json_object_get(json_object_get(rep, "agreement"), k);
}

static void v3_record(void **state)
{
	(void)state;
	char err[256];
	json_t *v = vmm_doc("mmio-v3", "ok", 1005), *t = trace_doc();
	json_t *rep = vmm_linux_repetition(1, v, t, "note", err, sizeof(err));
	assert_non_null(rep);
	assert_int_equal(json_integer_value(json_object_get(rep, "transactions")), 900);
	assert_int_equal(json_integer_value(json_object_get(rep, "window_transactions")), 1000);
	assert_true(metric(rep, "exits_per_txn.total") == 5.0);
	assert_true(metric(rep, "exits_per_txn.npf") == 1.0);
	assert_true(metric(rep, "msis_per_txn.rx") == 1.006);
	assert_true(metric(rep, "msis_per_txn.tx") == 1.01);
	assert_true(metric(rep, "msis_per_txn.config") == 0.0);
	assert_true(metric(rep, "guest.interrupts_per_txn.rx") == 1.0);
	assert_true(metric(rep, "guest.interrupts_per_txn.config") == 0.0);
	assert_true(metric(rep, "trans_per_s") == 300.0);
	assert_null(
	    json_object_get(json_object_get(rep, "metrics"), "vmm.userspace_exits_per_txn"));
	assert_true(json_is_true(json_object_get(agreement(rep, "interrupts.rx"), "agree")));
	assert_true(json_is_true(json_object_get(agreement(rep, "interrupts.tx"), "agree")));
	assert_true(json_is_true(json_object_get(agreement(rep, "interrupts.config"), "agree")));
	assert_int_equal(
	    json_integer_value(json_object_get(agreement(rep, "interrupts.tx"), "host")), 1010);
	/* one rx MSI arrived while the previous one was pending: merged */
	json_t *merged = json_object_get(rep, "msi_merged");
	assert_int_equal(json_integer_value(json_object_get(merged, "rx")), 1);
	assert_int_equal(json_integer_value(json_object_get(merged, "tx")), 0);
	assert_string_equal(json_string_value(json_object_get(rep, "accel")), "kvm");
	assert_true(json_is_true(json_object_get(rep, "kvm_counters")));
	json_decref(rep);
	json_decref(v);
	json_decref(t);
}

/* The guest gave rx and tx one message (addrdata, msi_vectors=2): one
 * vector, one /proc/interrupts line ("virtio0-queues0-1"), compared once
 * as rx+tx; a wrong count on it still disagrees. */
static void shared_message(void **state)
{
	(void)state;
	char err[256];
	for (int wrong = 0; wrong < 2; wrong++) {
		json_t *v = vmm_doc("mmio-addrdata-shared", "ok", 0), *t = trace_doc();
		json_object_set_new(
		    json_object_get(json_object_get(json_object_get(v, "vmm"), "msi"), "2"),
		    "vector", json_integer(35));
		json_t *fin = json_pack("{s:I,s:I}", "virtio0-config", (json_int_t)0,
					"virtio0-queues0-1", (json_int_t)(2010 + wrong));
		json_object_set_new(json_object_get(v, "linux"), "final_irqs", fin);
		json_object_set_new(json_object_get(t, "eoi_by_vector"), "35", json_integer(2010));
		json_object_set_new(json_object_get(t, "msi_by_vector"), "35",
				    json_pack("{s:n,s:I}", "queue", "count", (json_int_t)2016));
		json_t *rep = vmm_linux_repetition(1, v, t, "note", err, sizeof(err));
		assert_non_null(rep);
		json_t *a = agreement(rep, "interrupts.rx+tx");
		assert_non_null(a);
		assert_null(agreement(rep, "interrupts.rx"));
		assert_null(agreement(rep, "interrupts.tx"));
		assert_int_equal(json_integer_value(json_object_get(a, "guest")), 2010 + wrong);
		assert_int_equal(json_integer_value(json_object_get(a, "host")), 2010);
		assert_true(json_is_boolean(json_object_get(a, "agree")));
		assert_int_equal(json_is_true(json_object_get(a, "agree")), !wrong);
		assert_int_equal(json_integer_value(
				     json_object_get(json_object_get(rep, "msi_merged"), "rx+tx")),
				 6);
		json_decref(rep);
		json_decref(v);
		json_decref(t);
	}
}

static void disagreement_is_reported(void **state)
{
	(void)state;
	char err[256];
	json_t *v = vmm_doc("pci", "ok", 1004), *t = trace_doc();
	json_t *rep = vmm_linux_repetition(1, v, t, NULL, err, sizeof(err));
	assert_non_null(rep);
	assert_true(json_is_false(json_object_get(agreement(rep, "interrupts.rx"), "agree")));
	json_decref(rep);
	/* without the tracer nothing can be compared: null, and host metrics null */
	rep = vmm_linux_repetition(1, v, NULL, NULL, err, sizeof(err));
	assert_true(json_is_null(json_object_get(agreement(rep, "interrupts.rx"), "agree")));
	assert_true(isnan(metric(rep, "exits_per_txn.total")));
	json_decref(rep);
	json_decref(v);
	json_decref(t);
}

static void legacy_line(void **state)
{
	(void)state;
	char err[256];
	json_t *v = vmm_doc("mmio-legacy", "ok", 0), *t = trace_doc();
	json_t *rep = vmm_linux_repetition(1, v, t, NULL, err, sizeof(err));
	assert_non_null(rep);
	json_t *a = agreement(rep, "interrupts.legacy");
	assert_true(json_is_true(json_object_get(a, "agree")));
	assert_int_equal(json_integer_value(json_object_get(a, "guest")), 1020);
	assert_null(agreement(rep, "interrupts.rx"));
	json_decref(rep);
	json_object_set_new(json_object_get(json_object_get(v, "linux"), "final_irqs"), "virtio0",
			    json_integer(1019));
	rep = vmm_linux_repetition(1, v, t, NULL, err, sizeof(err));
	assert_true(json_is_false(json_object_get(agreement(rep, "interrupts.legacy"), "agree")));
	json_decref(rep);
	json_decref(v);
	json_decref(t);
}

static void failures(void **state)
{
	(void)state;
	char err[256];
	json_t *v = vmm_doc("mmio-v3", "no-report", 1);
	json_object_set_new(json_object_get(v, "linux"), "reason", json_string("kernel panic"));
	assert_null(vmm_linux_repetition(1, v, NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "no-report"));
	assert_non_null(strstr(err, "kernel panic"));
	json_decref(v);
	v = vmm_doc("mmio-v3", "ok", 1);
	json_object_set_new(
	    json_object_get(json_object_get(json_object_get(v, "linux"), "agent"), "rr"),
	    "transactions", json_integer(0));
	assert_null(vmm_linux_repetition(1, v, NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "no transactions"));
	json_object_del(v, "linux");
	assert_null(vmm_linux_repetition(1, v, NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "not a Linux guest"));
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v3_record),      cmocka_unit_test(disagreement_is_reported),
	    cmocka_unit_test(shared_message), cmocka_unit_test(legacy_line),
	    cmocka_unit_test(failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
