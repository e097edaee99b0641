/* SPDX-License-Identifier: MIT */
/* irqpath-linux/1 (irqpath-qemu) -> repetition record of irqpath-results/1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../linuxrec.h"

static json_t *fixture(void)
{
	const char *root = getenv("IRQPATH_ROOT");
	char p[4096];
	snprintf(p, sizeof(p), "%s/bench/tests/fixtures/irqpath-linux-pci-tcg.json",
		 root ? root : ".");
	json_error_t je;
	json_t *d = json_load_file(p, 0, &je);
	if (!d)
		fprintf(stderr, "%s: %s\n", p, je.text);
	return d;
}

static const json_t *metric(const json_t *rep, const char *k)
{
	return json_object_get(json_object_get(rep, "metrics"), k);
}

static double num(const json_t *rep, const char *k)
{
	const json_t *v = metric(rep, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void pci_tcg(void **state)
{
	(void)state;
	json_t *ld = fixture();
	assert_non_null(ld);
	char err[256] = "";
	json_t *rep = linux_repetition(2, ld, "kvm note", err, sizeof(err));
	assert_non_null(rep);
	assert_int_equal(json_integer_value(json_object_get(rep, "index")), 2);
	assert_string_equal(json_string_value(json_object_get(rep, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(rep, "transactions")), 12000);
	assert_float_equal(json_number_value(json_object_get(rep, "elapsed_s")), 3, 1e-9);
	assert_float_equal(num(rep, "trans_per_s"), 4000, 1e-9);
	assert_float_equal(num(rep, "latency_p50_us"), 200, 1e-9);
	assert_float_equal(num(rep, "latency_p90_us"), 300, 1e-9);
	assert_float_equal(num(rep, "latency_p99_us"), 4000, 1e-9);
	assert_float_equal(num(rep, "latency_mean_us"), 250, 1e-9);
	/* per queue, from the guest's MSI-X lines */
	assert_float_equal(num(rep, "guest.interrupts_per_txn.rx"), 1.25, 1e-9);
	assert_float_equal(num(rep, "guest.interrupts_per_txn.tx"), 1.125, 1e-9);
	assert_float_equal(num(rep, "guest.interrupts_per_txn.config"), 0, 1e-9);
	assert_null(metric(rep, "guest.interrupts_per_txn.all"));
	/* TCG: host counts exist as keys and are null, never zero */
	static const char *const host[] = {"exits_per_txn.total",  "userspace_exits_per_txn",
					   "status_reads_per_txn", "acks_per_txn",
					   "ioapic_eoi_per_txn",   "msis_per_txn.rx",
					   "msis_per_txn.tx",	   "notifies_per_txn.tx"};
	for (size_t i = 0; i < sizeof(host) / sizeof(host[0]); i++) {
		assert_non_null(metric(rep, host[i]));
		assert_true(json_is_null(metric(rep, host[i])));
	}
	assert_string_equal(json_string_value(json_object_get(rep, "accel")), "tcg");
	assert_true(json_is_false(json_object_get(rep, "kvm_counters")));
	assert_string_equal(json_string_value(json_object_get(rep, "note")), LINUX_NOTE_TCG);
	assert_int_equal(json_object_size(json_object_get(rep, "agreement")), 0);
	const json_t *raw = json_object_get(rep, "raw");
	assert_true(json_is_null(json_object_get(raw, "trace")));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(raw, "linux"), "schema")),
	    "irqpath-linux/1");
	json_decref(rep);
	json_decref(ld);
}

static void kvm_run_keeps_host_null_with_note(void **state)
{
	(void)state;
	json_t *ld = fixture();
	assert_non_null(ld);
	json_object_set_new(ld, "accel", json_string("kvm"));
	json_object_set_new(ld, "kvm_counters", json_true());
	char err[256];
	json_t *rep = linux_repetition(1, ld, "not traced: grandchild", err, sizeof(err));
	assert_non_null(rep);
	assert_true(json_is_true(json_object_get(rep, "kvm_counters")));
	assert_string_equal(json_string_value(json_object_get(rep, "note")),
			    "not traced: grandchild");
	assert_true(json_is_null(metric(rep, "exits_per_txn.total")));
	json_decref(rep);
	json_decref(ld);
}

/*
 * A KVM run traced by QEMU's pid: host counts from the snapshot (a small
 * synthetic irqpath-trace/1 made here), but only from the process that ran
 * the workload, and never register or queue rows the tracer could not name.
 */
static void kvm_run_traced_by_qemu_pid(void **state)
{
	(void)state;
	json_t *ld = fixture();
	assert_non_null(ld);
	json_object_set_new(ld, "accel", json_string("kvm"));
	json_object_set_new(ld, "kvm_counters", json_true());
	json_object_set_new(ld, "qemu_pid", json_integer(4242));
	double txn = json_number_value(json_object_get(ld, "transactions"));
	json_t *tr = json_pack("{s:s, s:i, s:{s:i, s:i, s:i}, s:{s:i, s:i}, s:{s:{s:i}}}", "schema",
			       "irqpath-trace/1", "pid", 4242, "totals", "exits", 9000,
			       "userspace_exits", 100, "x2apic_eoi", 3000, "exits_by_reason",
			       "MMIO", 6000, "MSR", 3000, "msi_by_vector", "35", "count", 3000);
	char err[256];
	json_t *rep = linux_repetition_traced(1, ld, tr, "unused", err, sizeof(err));
	assert_non_null(rep);
	assert_true(fabs(num(rep, "exits_per_txn.total") - 9000 / txn) < 1e-9);
	assert_true(fabs(num(rep, "exits_per_txn.mmio") - 6000 / txn) < 1e-9);
	assert_true(fabs(num(rep, "lapic_eoi_per_txn") - 3000 / txn) < 1e-9);
	/* no layout for a Linux guest: register and queue rows unknown, not 0 */
	assert_true(json_is_null(metric(rep, "status_reads_per_txn")));
	assert_true(json_is_null(metric(rep, "msis_per_txn.rx")));
	assert_true(json_is_null(json_object_get(rep, "trace_note")));
	assert_non_null(strstr(json_string_value(json_object_get(rep, "note")), "pid 4242"));
	assert_true(json_is_object(json_object_get(json_object_get(rep, "raw"), "trace")));
	json_decref(rep);

	/* a restarted QEMU is another process: its snapshot does not count */
	json_object_set_new(ld, "qemu_pid", json_integer(4243));
	rep = linux_repetition_traced(1, ld, tr, "restarted", err, sizeof(err));
	assert_non_null(rep);
	assert_true(json_is_null(metric(rep, "exits_per_txn.total")));
	assert_string_equal(json_string_value(json_object_get(rep, "note")), "restarted");
	json_decref(rep);

	/* TCG: KVM saw nothing of the guest, whatever a tracer recorded */
	json_object_set_new(ld, "qemu_pid", json_integer(4242));
	json_object_set_new(ld, "accel", json_string("tcg"));
	rep = linux_repetition_traced(1, ld, tr, "unused", err, sizeof(err));
	assert_non_null(rep);
	assert_true(json_is_null(metric(rep, "exits_per_txn.total")));
	assert_true(json_is_false(json_object_get(rep, "kvm_counters")));
	json_decref(rep);
	json_decref(tr);
	json_decref(ld);
}

static void mmio_shared_line(void **state)
{
	(void)state;
	json_t *ld = fixture();
	assert_non_null(ld);
	json_object_set_new(ld, "irqs_per_transaction", json_pack("{s:f}", "virtio0", 2.5));
	char err[256];
	json_t *rep = linux_repetition(1, ld, NULL, err, sizeof(err));
	assert_non_null(rep);
	assert_float_equal(num(rep, "guest.interrupts_per_txn.all"), 2.5, 1e-9);
	assert_null(metric(rep, "guest.interrupts_per_txn.rx"));
	json_decref(rep);
	json_decref(ld);
	assert_string_equal(linux_irq_queue("virtio1-input.3"), "rx");
	assert_string_equal(linux_irq_queue("virtio0-output.0"), "tx");
	assert_string_equal(linux_irq_queue("virtio0-config"), "config");
	assert_string_equal(linux_irq_queue("virtio0"), "all");
}

static void rejects_bad_documents(void **state)
{
	(void)state;
	struct {
		const char *key;
		json_t *value;
		const char *expect;
	} cases[] = {
	    {"schema", json_string("irqpath-vmm/1"), "not an irqpath-linux/1"},
	    {"status", json_string("error"), "status error"},
	    {"transactions", json_integer(0), "no transactions"},
	    {"trans_per_s", json_null(), "no transactions"},
	    {"accel", json_string("hvf"), "accel"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *ld = fixture();
		assert_non_null(ld);
		json_object_set_new(ld, cases[i].key, cases[i].value);
		char err[256] = "";
		json_t *rep = linux_repetition(1, ld, NULL, err, sizeof(err));
		if (rep || !strstr(err, cases[i].expect))
			fail_msg("case %zu (%s): got '%s'", i, cases[i].key, err);
		json_decref(ld);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pci_tcg),
	    cmocka_unit_test(kvm_run_keeps_host_null_with_note),
	    cmocka_unit_test(kvm_run_traced_by_qemu_pid),
	    cmocka_unit_test(mmio_shared_line),
	    cmocka_unit_test(rejects_bad_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
