/* SPDX-License-Identifier: MIT */
/* Unit tests for irqpath-trace's decoding: device layouts, the counter
 * table, and the snapshot built from synthetic counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../counts.h"
#include "../decode.h"
#include "../exit_names.h"
#include "../layout.h"
#include "../live.h"
#include "../report.h"
#include "../tracer.h"

#define DEV 0xd0000000ull

static void test_device_specs(void **state)
{
	(void)state;
	struct layout l;
	char err[256], buf[64];

	assert_int_equal(layout_from_device(&l, "mmio-legacy@0xd0000000", err, sizeof err), 0);
	assert_string_equal(layout_register(&l, DEV + 0x60, buf, sizeof buf), "InterruptStatus");
	assert_string_equal(layout_register(&l, DEV + 0x64, buf, sizeof buf), "InterruptACK");
	assert_string_equal(layout_register(&l, DEV + 0x104, buf, sizeof buf), "Config");
	assert_null(layout_register(&l, DEV + 0x1000, buf, sizeof buf));
	assert_int_equal(l.queue_notify_gpa, DEV + 0x50);
	assert_int_equal(l.ioapic_pin, 5);

	assert_int_equal(layout_from_device(&l, "mmio-v3@0xd0000000", err, sizeof err), 0);
	assert_string_equal(layout_doorbell(&l, DEV + 0x800), "rx");
	assert_string_equal(layout_doorbell(&l, DEV + 0x804), "tx");
	/* the vector plan is the guest's: a device spec does not guess it */
	assert_int_equal(l.nvectors, 0);
	assert_null(layout_vector_queue(&l, 0x41));
	assert_string_equal(layout_register(&l, DEV + 0xc2, buf, sizeof buf), "MsiCommand");
	assert_int_equal(l.ioapic_pin, -1);

	assert_int_equal(layout_from_device(&l, "pci@0xe0000000", err, sizeof err), 0);
	assert_string_equal(layout_doorbell(&l, 0xe0003004ull), "tx");
	assert_string_equal(layout_register(&l, 0xe0001000ull, buf, sizeof buf), "isr");
	assert_string_equal(layout_register(&l, 0xe0004010ull, buf, sizeof buf), "msix_table");
	assert_string_equal(layout_register(&l, 0xe0000040ull, buf, sizeof buf), "0x040");
	assert_false(layout_notify_by_value(&l, 0xe0003000ull));

	assert_int_equal(layout_from_device(&l, "mmio-legacy", err, sizeof err), -1);
	assert_non_null(strstr(err, "KIND@ADDRESS"));
	assert_int_equal(layout_from_device(&l, "mmio-legacy@0xzz", err, sizeof err), -1);
	assert_int_equal(layout_from_device(&l, "virtio@0x1000", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown device kind"));
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/irqpath-trace-unit.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_layout_file(void **state)
{
	(void)state;
	struct layout l;
	char err[256], buf[64];
	char *p =
	    write_tmp("{\"schema\":\"irqpath-layout/1\",\"pid\":42,\"profile\":\"mmio-v3\","
		      "\"window\":{\"gpa\":3489660928,\"size\":4096},"
		      "\"registers\":[{\"offset\":80,\"name\":\"QueueNotify\"},{\"offset\":96,"
		      "\"name\":\"InterruptStatus\"}],"
		      "\"doorbells\":[{\"gpa\":3489662976,\"queue\":\"rx\"}],\"ioapic_pin\":null,"
		      "\"vectors\":[{\"vector\":65,\"queue\":\"rx\"}],\"gsis\":[]}");
	assert_int_equal(layout_from_file(&l, p, err, sizeof err), 0);
	assert_int_equal(l.pid, 42);
	assert_string_equal(l.profile, "mmio-v3");
	assert_int_equal(l.queue_notify_gpa, DEV + 80);
	assert_string_equal(layout_register(&l, DEV + 96, buf, sizeof buf), "InterruptStatus");
	assert_string_equal(layout_register(&l, DEV + 0x44, buf, sizeof buf), "0x044");
	assert_string_equal(layout_doorbell(&l, DEV + 0x800), "rx");
	assert_int_equal(l.ioapic_pin, -1);
	unlink(p);
	free(p);

	/* two queues sharing one doorbell address: the value names the queue */
	p = write_tmp("{\"schema\":\"irqpath-layout/1\",\"profile\":\"mmio-legacy\","
		      "\"window\":{\"gpa\":3489660928,\"size\":4096},\"registers\":[],"
		      "\"doorbells\":[{\"gpa\":3489661008,\"queue\":\"in\"},{\"gpa\":3489661008,"
		      "\"queue\":\"out\"}]}");
	assert_int_equal(layout_from_file(&l, p, err, sizeof err), 0);
	assert_true(layout_notify_by_value(&l, DEV + 0x50));
	assert_string_equal(layout_value_queue(&l, DEV + 0x50, 1, buf, sizeof buf), "out");
	assert_string_equal(layout_value_queue(&l, DEV + 0x50, 2, buf, sizeof buf), "q2");
	unlink(p);
	free(p);

	/* the per-queue plan the VMM publishes wins over the flat lists */
	p = write_tmp("{\"schema\":\"irqpath-layout/1\",\"profile\":\"pci\","
		      "\"window\":{\"gpa\":3758096384,\"size\":32768},\"registers\":[],"
		      "\"queues\":[{\"queue\":\"rx\",\"notify\":{\"gpa\":3758108672},"
		      "\"msi\":{\"vector\":80}},{\"queue\":\"tx\",\"notify\":{\"gpa\":"
		      "3758108676},\"msi\":null}],\"config\":{\"msi\":{\"vector\":81}},"
		      "\"doorbells\":[{\"gpa\":1,\"queue\":\"stale\"}],"
		      "\"vectors\":[{\"vector\":65,\"queue\":\"stale\"}]}");
	assert_int_equal(layout_from_file(&l, p, err, sizeof err), 0);
	assert_string_equal(layout_doorbell(&l, 0xe0003000ull), "rx");
	assert_string_equal(layout_doorbell(&l, 0xe0003004ull), "tx");
	assert_null(layout_doorbell(&l, 1));
	assert_string_equal(layout_vector_queue(&l, 80), "rx");
	assert_string_equal(layout_vector_queue(&l, 81), "config");
	assert_null(layout_vector_queue(&l, 65));
	unlink(p);
	free(p);

	p = write_tmp("{\"schema\":\"irqpath-layout/2\"}");
	assert_int_equal(layout_from_file(&l, p, err, sizeof err), -1);
	assert_non_null(strstr(err, "expected irqpath-layout/1"));
	unlink(p);
	free(p);
}

static void test_interrupts_text(void **state)
{
	(void)state;
	struct layout l;
	char err[256];
	uint64_t by_vec[256] = {0};
	by_vec[0x41] = 1200;
	by_vec[0x42] = 7;
	by_vec[0x43] = 1;
	layout_init(&l);
	char *p =
	    write_tmp("           CPU0       CPU1\n"
		      "  0:         10          0   IO-APIC   2-edge      timer\n"
		      " 24:          1          0   PCI-MSI 49152-edge      virtio0-config\n"
		      " 25:        700        500   PCI-MSI 49153-edge      virtio0-input.0\n"
		      " 26:          3          4   PCI-MSI 49154-edge      virtio0-output.0\n"
		      "NMI:          0          0   Non-maskable interrupts\n");
	assert_int_equal(layout_vectors_from_interrupts(&l, p, by_vec, err, sizeof err), 0);
	assert_string_equal(layout_vector_queue(&l, 0x41), "rx");
	assert_string_equal(layout_vector_queue(&l, 0x42), "tx");
	assert_string_equal(layout_vector_queue(&l, 0x43), "config");
	unlink(p);
	free(p);
}

static struct irqt_key key(uint16_t ev, uint8_t sub, uint64_t detail, uint64_t extra, uint32_t tid)
{
	struct irqt_key k = {
	    .pid = 100, .tid = tid, .event = ev, .sub = sub, .detail = detail, .extra = extra};
	return k;
}

static void test_counts(void **state)
{
	(void)state;
	struct counts a, b, d;
	counts_init(&a);
	counts_init(&b);
	counts_init(&d);
	for (uint64_t i = 0; i < 1000; i++) { /* forces several grows */
		struct irqt_key k = key(IRQT_EV_PIO, 1, i, 0, 1);
		assert_int_equal(counts_add(&a, &k, i + 1), 0);
	}
	struct irqt_key k7 = key(IRQT_EV_PIO, 1, 7, 0, 1);
	assert_int_equal(counts_get(&a, &k7), 8);
	assert_int_equal(a.len, 1000);
	assert_int_equal(counts_copy(&b, &a), 0);
	counts_add(&a, &k7, 5);
	assert_int_equal(counts_diff(&d, &a, &b), 0);
	assert_int_equal(d.len, 1);
	assert_int_equal(counts_get(&d, &k7), 5);
	counts_free(&a);
	counts_free(&b);
	counts_free(&d);
}

static void test_snapshot(void **state)
{
	(void)state;
	struct counts c;
	struct layout l;
	struct tracer t;
	char err[256];
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	tracer_set_vcpu(&t, 11, 0);
	counts_init(&c);
	assert_int_equal(layout_from_device(&l, "mmio-legacy@0xd0000000", err, sizeof err), 0);
	struct {
		struct irqt_key k;
		uint64_t n;
	} in[] = {
	    {key(IRQT_EV_MMIO, 0, DEV + 0x60, 0, 11),
	     30}, /* unsatisfied halves: not counted twice */
	    {key(IRQT_EV_MMIO, 1, DEV + 0x60, 0, 11), 30},
	    {key(IRQT_EV_MMIO, 2, DEV + 0x64, 1, 11), 29},
	    {key(IRQT_EV_MMIO, 2, DEV + 0x50, 0, 11), 2},  /* QueueNotify 0 = rx */
	    {key(IRQT_EV_MMIO, 2, DEV + 0x50, 1, 11), 40}, /* QueueNotify 1 = tx */
	    {key(IRQT_EV_MSR, 1, 0x80b, 0, 11), 31},
	    {key(IRQT_EV_IOAPIC_SET_IRQ, 0, 5, 0x30, 0), 60},
	    {key(IRQT_EV_ACK_IRQ, 2, 5, 0, 11), 30},
	    {key(IRQT_EV_ACK_IRQ, 0, 5, 0, 11), 30}, /* PIC: not an IOAPIC EOI */
	    {key(IRQT_EV_MSI, 0, 0x41, 0, 12), 9},
	    {key(IRQT_EV_USERSPACE_EXIT, 0, 6, 0, 11), 59},
	    {key(IRQT_EV_USERSPACE_EXIT, 0, 0x10004, 0, 11), 3}, /* -EINTR: not an exit */
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i].k, in[i].n);
	struct report_ctx rc = {.tracer = &t, .layout = &l, .vcpu_filter = -1, .duration_s = 1.0};
	json_t *s = report_snapshot(&c, &rc, 100);
	json_t *tot = json_object_get(s, "totals");
	assert_string_equal(json_string_value(json_object_get(s, "exit_source")), "derived");
	assert_int_equal(json_integer_value(json_object_get(tot, "mmio")), 30 + 29 + 2 + 40);
	assert_int_equal(json_integer_value(json_object_get(tot, "x2apic_eoi")), 31);
	assert_int_equal(json_integer_value(json_object_get(tot, "ioapic_eoi")), 30);
	assert_int_equal(json_integer_value(json_object_get(tot, "userspace_exits")), 59);
	assert_int_equal(json_integer_value(json_object_get(tot, "exits")), 30 + 29 + 2 + 40 + 31);
	json_t *regs = json_object_get(s, "mmio_by_register");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(regs, "InterruptStatus"), "reads")),
	    30);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(regs, "InterruptACK"), "writes")),
	    29);
	json_t *n = json_object_get(s, "notifies");
	assert_int_equal(json_integer_value(json_object_get(n, "rx")), 2);
	assert_int_equal(json_integer_value(json_object_get(n, "tx")), 40);
	json_t *pin = json_object_get(json_object_get(s, "ioapic"), "5");
	assert_int_equal(json_integer_value(json_object_get(pin, "set_irq")), 60);
	assert_int_equal(json_integer_value(json_object_get(pin, "eoi")), 30);
	json_t *msi = json_object_get(json_object_get(s, "msi_by_vector"), "65");
	assert_int_equal(json_integer_value(json_object_get(msi, "count")), 9);
	json_t *v0 = json_object_get(json_object_get(s, "per_vcpu"), "0");
	assert_non_null(v0);
	assert_int_equal(json_integer_value(json_object_get(v0, "tid")), 11);
	/* injected from the VMM's thread 12, destination APIC id 0: vCPU 0 takes it */
	assert_int_equal(json_integer_value(json_object_get(v0, "msi")), 9);
	assert_null(json_object_get(json_object_get(s, "per_vcpu"), "tid-12"));
	json_decref(s);

	/* another pid sees nothing */
	s = report_snapshot(&c, &rc, 101);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(s, "totals"), "mmio")),
			 0);
	json_decref(s);
	counts_free(&c);
}

/* One decoding per key: names, queues and the live label agree. */
static void test_decode_key(void **state)
{
	(void)state;
	struct layout l;
	struct decoded d;
	char err[256];
	assert_int_equal(layout_from_device(&l, "mmio-v3@0xd0000000", err, sizeof err), 0);
	struct decode_ctx dc = {.layout = &l, .names = NULL};
	struct irqt_key k = key(IRQT_EV_MMIO, 2, DEV + 0x804, 0, 1);
	decode_key(&k, &dc, &d);
	assert_string_equal(d.queue, "tx");
	assert_false(d.is_register);
	assert_string_equal(d.derived, "MMIO");
	assert_string_equal(d.label, "notify tx (doorbell)");
	k = key(IRQT_EV_MMIO, 1, DEV + 0xc2, 0, 1);
	decode_key(&k, &dc, &d);
	assert_string_equal(d.name, "MsiCommand");
	assert_true(d.is_register);
	assert_string_equal(d.label, "mmio-read MsiCommand");
	k = key(IRQT_EV_MMIO, 0, DEV + 0xc2, 0, 1); /* unsatisfied half: not an exit of its own */
	decode_key(&k, &dc, &d);
	assert_null(d.derived);
	assert_false(d.is_register);
	k = key(IRQT_EV_MSI, 0, 0x41, 0, 1); /* --device publishes no vector plan: unnamed */
	decode_key(&k, &dc, &d);
	assert_string_equal(d.queue, "");
	assert_string_equal(d.label, "msi vector 65");
	k = key(IRQT_EV_USERSPACE_EXIT, 0, 0x10004, 0, 1);
	decode_key(&k, &dc, &d);
	assert_string_equal(d.name, "ERRNO_4");
	k = key(IRQT_EV_EOI, 0, 0xffffffffu, 0, 1);
	decode_key(&k, &dc, &d);
	assert_string_equal(d.name, "-1");
	k = key(IRQT_EV_EXIT, 2, 0x400, 0, 1); /* no kernel table: the number */
	decode_key(&k, &dc, &d);
	assert_string_equal(d.name, "0x400");
}

static void load_names(struct exit_names *x)
{
	char path[512], err[256];
	const char *root = getenv("IRQPATH_ROOT");
	if (root)
		snprintf(path, sizeof path,
			 "%s/collectors/tests/fixtures/kvm_exit-6.1-debian.format", root);
	else
		snprintf(path, sizeof path, "%s/kvm_exit-6.1-debian.format", TRACE_FIXTURES);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	exit_names_init(x);
	assert_int_equal(exit_names_parse(x, text, n, "fixture:6.1", err, sizeof err), 0);
	snprintf(x->isa, sizeof x->isa, "svm");
}

static json_int_t geti(json_t *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *s = strtok(buf, "."); s; s = strtok(NULL, "."))
		o = json_object_get(o, s);
	return json_integer_value(o);
}

/* kvm_exit counts on an SVM host: kernel names, per-reason latency
 * histograms whose totals plus the open exits are the exits, per vCPU. */
static void test_snapshot_kvm_exit(void **state)
{
	(void)state;
	struct counts c;
	struct tracer t;
	struct exit_names x;
	memset(&t, 0, sizeof t);
	t.backend = "tracefs";
	tracer_set_vcpu(&t, 11, 0);
	tracer_set_vcpu(&t, 12, 1);
	load_names(&x);
	counts_init(&c);
	struct {
		struct irqt_key k;
		uint64_t n;
	} in[] = {
	    {key(IRQT_EV_EXIT, 2, 0x400, 0, 11), 100},
	    {key(IRQT_EV_EXIT, 2, 0x07c, 0, 11), 50},
	    {key(IRQT_EV_EXIT, 2, 0x04e, 0, 12), 7},
	    {key(IRQT_EV_EXIT_LAT_LOG2, 2, 10, 0x400, 11), 60},
	    {key(IRQT_EV_EXIT_LAT_LOG2, 2, 11, 0x400, 11), 39},
	    {key(IRQT_EV_EXIT_LAT_LOG2, 2, 9, 0x07c, 11), 50},
	    {key(IRQT_EV_EXIT_LAT_LOG2, 2, 12, 0x04e, 12), 7},
	    {key(IRQT_EV_EXIT_OPEN, 2, 0x400, 0, 11), 1},
	    {key(IRQT_EV_MMIO, 2, DEV + 0x50, 0, 11), 100},
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i].k, in[i].n);
	struct layout l;
	char err[256];
	assert_int_equal(layout_from_device(&l, "mmio-legacy@0xd0000000", err, sizeof err), 0);
	struct report_ctx rc = {.tracer = &t, .layout = &l, .names = &x, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, 100);
	assert_string_equal(json_string_value(json_object_get(s, "exit_source")), "kvm_exit");
	json_t *src = json_object_get(s, "exit_reason_names");
	assert_string_equal(json_string_value(json_object_get(src, "source")), "fixture:6.1");
	assert_string_equal(json_string_value(json_object_get(src, "isa")), "svm");
	assert_int_equal(geti(s, "totals.exits"), 157);
	assert_int_equal(geti(s, "exits_by_reason.npf"), 100);
	assert_int_equal(geti(s, "exits_by_reason.msr"), 50);
	assert_int_equal(geti(s, "exits_by_reason.PF excp"), 7);
	assert_null(json_object_get(json_object_get(s, "exits_by_reason"), "MMIO"));
	assert_int_equal(geti(s, "exit_latency_log2_ns.npf.10"), 60);
	assert_int_equal(geti(s, "exit_latency_log2_ns.npf.11"), 39);
	assert_int_equal(geti(s, "exit_latency_log2_ns.all.9"), 50);
	assert_int_equal(geti(s, "exit_latency_log2_ns.all.12"), 7);
	assert_int_equal(
	    json_object_size(json_object_get(json_object_get(s, "exit_latency_log2_ns"), "all")),
	    4);
	assert_int_equal(geti(s, "exits_without_entry.npf"), 1);
	assert_int_equal(geti(s, "per_vcpu.0.exits_by_reason.npf"), 100);
	assert_int_equal(geti(s, "per_vcpu.0.exits"), 150);
	assert_int_equal(geti(s, "per_vcpu.1.exits_by_reason.PF excp"), 7);

	/* the human summary shows each reason with its median bucket */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	report_summary(f, s);
	fclose(f);
	assert_non_null(strstr(buf, "exits by reason (kvm_exit): 157"));
	assert_non_null(strstr(buf, "npf"));
	assert_non_null(strstr(buf, "p50 [1.02 us, 2.05 us)"));
	assert_non_null(strstr(buf, "PF excp"));
	free(buf);
	/* the live table: the same rows, per second */
	f = open_memstream(&buf, &len);
	struct live_opts lo = {.top = 5};
	live_table(f, &c, &c, &rc, 2.0, &lo);
	fclose(f);
	assert_non_null(strstr(buf, "exits (all)"));
	assert_non_null(strstr(buf, "50.0"));
	assert_non_null(strstr(buf, "notify rx (QueueNotify)"));
	free(buf);
	json_decref(s);
	counts_free(&c);
	exit_names_free(&x);
}

/* Derived exits: no latency keys, names source without an isa. */
static void test_snapshot_derived_keys(void **state)
{
	(void)state;
	struct counts c;
	struct tracer t;
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	counts_init(&c);
	struct irqt_key k = key(IRQT_EV_PIO, 1, 0x3f8, 0, 11);
	counts_add(&c, &k, 3);
	struct report_ctx rc = {.tracer = &t, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, 100);
	assert_null(json_object_get(s, "exit_latency_log2_ns"));
	assert_null(json_object_get(s, "exits_without_entry"));
	assert_int_equal(geti(s, "exits_by_reason.IO"), 3);
	json_t *src = json_object_get(s, "exit_reason_names");
	assert_true(json_is_null(json_object_get(src, "source")));
	assert_true(json_is_null(json_object_get(src, "isa")));
	assert_int_equal(geti(s, "per_vcpu.tid-11.exits_by_reason.IO"), 3);
	json_decref(s);
	counts_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_device_specs),      cmocka_unit_test(test_layout_file),
	    cmocka_unit_test(test_interrupts_text),   cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_snapshot),	      cmocka_unit_test(test_decode_key),
	    cmocka_unit_test(test_snapshot_kvm_exit), cmocka_unit_test(test_snapshot_derived_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
