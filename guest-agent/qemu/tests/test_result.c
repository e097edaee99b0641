// SPDX-License-Identifier: MIT
/* The layout and result documents built from the guest's report lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../mg_result.h"
#include "irqpath/guest_abi.h"

static struct mg_qemu_cfg cfg;
static struct mg_outcome out;
static char err[256];

static void load(struct mg_line *l, const char *body)
{
	char head[1024], buf[1100];
	snprintf(head, sizeof head, "%s%s", GABI_REPORT_PREFIX, body);
	snprintf(buf, sizeof buf, "%s crc32=%08x", head, mg_crc32(head, strlen(head)));
	assert_int_equal(mg_parse_line(buf, strlen(buf), l, err, sizeof err), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof cfg);
	memset(&out, 0, sizeof out);
	cfg.qemu = "qemu-system-x86_64";
	cfg.transactions = 300;
	cfg.req = 32;
	cfg.resp = 1024;
	out.cfg = &cfg;
	out.qemu_pid = 4242;
	out.qemu_wait_status = 1 << 8; /* exited 1 */
	out.reflect_answered = 300;
	out.netns = "irqpath-mg1";
	out.tap = "mgtap1";
	return 0;
}

/* The register named at window + offset in a layout document, or NULL. */
static const char *reg_at(json_t *lay, json_int_t off)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(lay, "registers"), i, r)
	{
		if (json_integer_value(json_object_get(r, "offset")) == off)
			return json_string_value(json_object_get(r, "name"));
	}
	return NULL;
}

static void mmio_layout(void **state)
{
	(void)state;
	cfg.machine = MG_MICROVM;
	load(&out.run,
	     "run transport=mmio window=0x00000000feb00e00 gsi=12 "
	     "rx.doorbell=0x00000000feb00e50 tx.doorbell=0x00000000feb00e50 vec_legacy=48");
	json_t *lay = mg_layout_json(&out, err, sizeof err);
	assert_non_null(lay);
	assert_string_equal(json_string_value(json_object_get(lay, "profile")), "mmio-legacy");
	assert_int_equal(json_integer_value(json_object_get(lay, "pid")), 4242);
	json_t *w = json_object_get(lay, "window");
	assert_int_equal(json_integer_value(json_object_get(w, "gpa")), 0xfeb00e00);
	assert_string_equal(reg_at(lay, 0x60), "InterruptStatus");
	assert_string_equal(reg_at(lay, 0x64), "InterruptACK");
	assert_string_equal(reg_at(lay, 0x50), "QueueNotify");
	assert_int_equal(json_integer_value(json_object_get(lay, "ioapic_pin")), 12);
	json_t *rx = json_array_get(json_object_get(lay, "queues"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(rx, "ioapic"), "vector")), 48);
	assert_true(json_is_null(json_object_get(rx, "msi")));
	json_decref(lay);
}

static void pci_layout(void **state)
{
	(void)state;
	cfg.machine = MG_Q35;
	load(&out.run,
	     "run transport=pci window=0x00000000febfc000 gsi=0 common=0x00000000febfc000 "
	     "isr=0x00000000febfd000 device=0x00000000febfe000 notify=0x00000000febff000 "
	     "notify_mult=4 rx.doorbell=0x00000000febff000 tx.doorbell=0x00000000febff004 "
	     "vec_config=64 rx.vector=65 tx.vector=66");
	json_t *lay = mg_layout_json(&out, err, sizeof err);
	assert_non_null(lay);
	assert_string_equal(json_string_value(json_object_get(lay, "profile")), "pci");
	assert_string_equal(reg_at(lay, 0x14), "device_status");
	assert_string_equal(reg_at(lay, 0x1000), "isr");
	assert_string_equal(reg_at(lay, 0x3000), "notify");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(lay, "window"), "size")), 0x4000);
	json_t *tx = json_array_get(json_object_get(lay, "queues"), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(tx, "notify"), "gpa")),
			 0xfebff004);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(tx, "msi"), "vector")),
			 66);
	json_decref(lay);
}

static void layout_refuses_wrong_transport(void **state)
{
	(void)state;
	cfg.machine = MG_Q35; /* a q35 run whose guest says it drove virtio-mmio */
	load(&out.run, "run transport=mmio window=0x00000000feb00e00 gsi=12");
	assert_null(mg_layout_json(&out, err, sizeof err));
	assert_non_null(strstr(err, "virtio-pci"));
}

static void result_checks(void **state)
{
	(void)state;
	cfg.machine = MG_MICROVM;
	load(&out.result, "result status=0 state=done transport=mmio requested=300 done=300 "
			  "status_reads=310 status_zero=10 acks=300 rx.notifies=1 tx.notifies=300 "
			  "vec48=310 error_code=0 error=-");
	out.have_result = 1;
	assert_int_equal(mg_check_result(&out, err, sizeof err), 0);
	json_t *doc = mg_result_json(&out);
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(doc, "profile")), "qemu-mmio");
	json_t *g = json_object_get(doc, "guest");
	assert_int_equal(json_integer_value(json_object_get(g, "acks")), 300);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(g, "irqs_by_vector"), "48")), 310);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_object_get(g, "queues"), "tx"), "notifies")),
			 300);
	assert_true(json_is_null(json_object_get(g, "error")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(doc, "qemu"), "exit_status")), 1);
	json_decref(doc);

	load(&out.result, "result status=1 state=failed transport=mmio requested=300 done=12 "
			  "error=tx_ring_full");
	assert_int_equal(mg_check_result(&out, err, sizeof err), -1);
	assert_non_null(strstr(err, "tx_ring_full"));
	load(&out.result, "result status=0 state=done transport=mmio requested=300 done=299");
	assert_int_equal(mg_check_result(&out, err, sizeof err), -1);
	assert_non_null(strstr(err, "299 of 300"));
	load(&out.result, "result status=0 state=done requested=300");
	assert_int_equal(mg_check_result(&out, err, sizeof err), -1);
}

static void mailbox_cross_check(void **state)
{
	(void)state;
	struct gabi_mailbox mb = {.magic = GABI_MAGIC, .version = GABI_VERSION};
	load(&out.result, "result status=0 state=done requested=2 done=2 status_reads=3 "
			  "status_zero=1 acks=2 rx.notifies=1 tx.notifies=2 rx.interrupts=2 "
			  "tx.interrupts=0");
	mb.done = mb.latency_count = 2;
	mb.status_reads = 3;
	mb.status_zero = 1;
	mb.acks = 2;
	mb.q[0].notifies = 1;
	mb.q[1].notifies = 2;
	mb.q[0].interrupts = 2;
	assert_int_equal(mg_check_mailbox(&out, &mb, err, sizeof err), 0);
	mb.acks = 3; /* the two channels disagree */
	assert_int_equal(mg_check_mailbox(&out, &mb, err, sizeof err), -1);
	assert_non_null(strstr(err, "acks=3"));
	mb.acks = 2;
	mb.latency_count = 1;
	assert_int_equal(mg_check_mailbox(&out, &mb, err, sizeof err), -1);
	assert_non_null(strstr(err, "latencies"));
}

static void latency_percentiles(void **state)
{
	(void)state;
	uint32_t v[100];
	for (unsigned i = 0; i < 100; i++)
		v[i] = (100 - i) * 1000; /* 1000..100000 cycles, reversed */
	struct mg_latency l;
	mg_latency_of(v, 100, 1000, &l); /* 1 MHz TSC: 1000 cycles = 1000 us */
	assert_int_equal(l.n, 100);
	assert_true(l.p50 == 50000.0); /* index 49 of the sorted deltas, as irqpath-vmm */
	assert_true(l.p90 == 90000.0);
	assert_true(l.p99 == 99000.0);
	assert_true(l.mean == 50500.0);
	mg_latency_of(v, 100, 0, &l); /* no TSC rate: nothing */
	assert_int_equal(l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(mmio_layout, setup),
	    cmocka_unit_test_setup(pci_layout, setup),
	    cmocka_unit_test_setup(layout_refuses_wrong_transport, setup),
	    cmocka_unit_test_setup(result_checks, setup),
	    cmocka_unit_test_setup(mailbox_cross_check, setup),
	    cmocka_unit_test_setup(latency_percentiles, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
