// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio register file (versions 2 and 3) driven the way a guest
 * would, with a fake interrupt sink: legacy status/ack/resample semantics,
 * v3 MSI commands, masking, doorbells, and bad accesses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_reg_names.h"
#include "../transport_mmio.h"
#include "../virtio_net.h"

#define RAM (1u << 20)

struct sink_log {
	unsigned pin, programmed, fired[8];
	uint64_t addr[8];
	uint32_t data[8];
};

struct fx {
	uint8_t *ram;
	struct guest_mem m;
	struct virtio_net *net;
	struct mmio_transport t;
	struct sink_log log;
};

static void s_pin(void *o)
{
	((struct sink_log *)o)->pin++;
}
static int s_prog(void *o, unsigned i, uint64_t a, uint32_t d)
{
	struct sink_log *l = o;
	l->programmed++;
	l->addr[i % 8] = a;
	l->data[i % 8] = d;
	return 0;
}
static void s_fire(void *o, unsigned i)
{
	((struct sink_log *)o)->fired[i % 8]++;
}

static struct fx *mk(unsigned version, unsigned vectors)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->ram = calloc(1, RAM);
	f->m = (struct guest_mem){f->ram, RAM};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	f->net = virtio_net_create(&f->m, net_reflect_create(64), mac, 1);
	struct irq_sink s = {s_pin, s_prog, s_fire, &f->log};
	assert_int_equal(mmio_transport_init(&f->t, virtio_net_dev(f->net), version, vectors, &s),
			 0);
	return f;
}

static void rm(struct fx *f)
{
	virtio_net_destroy(f->net);
	free(f->ram);
	free(f);
}

static uint32_t r32(struct fx *f, uint64_t off)
{
	uint32_t v;
	mmio_transport_access(&f->t, off, false, (uint8_t *)&v, 4);
	return v;
}
static void w32(struct fx *f, uint64_t off, uint32_t v)
{
	mmio_transport_access(&f->t, off, true, (uint8_t *)&v, 4);
}
static uint16_t r16(struct fx *f, uint64_t off)
{
	uint16_t v;
	mmio_transport_access(&f->t, off, false, (uint8_t *)&v, 2);
	return v;
}
static void w16(struct fx *f, uint64_t off, uint16_t v)
{
	mmio_transport_access(&f->t, off, true, (uint8_t *)&v, 2);
}

/* Negotiates features and sets up rx (0) and tx (1) at 0x10000/0x20000. */
static void bring_up(struct fx *f)
{
	w32(f, VIRTIO_MMIO_STATUS, 0);
	w32(f, VIRTIO_MMIO_STATUS, 3);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VERSION_1 */
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5);
	w32(f, VIRTIO_MMIO_STATUS, 0xb);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS), 0xb);
	for (unsigned q = 0; q < 2; q++) {
		uint64_t b = 0x10000 + q * 0x10000;
		w32(f, VIRTIO_MMIO_QUEUE_SEL, q);
		w32(f, VIRTIO_MMIO_QUEUE_NUM, 8);
		w32(f, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)b);
		w32(f, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)b + 0x1000);
		w32(f, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)b + 0x2000);
		w32(f, VIRTIO_MMIO_QUEUE_READY, 1);
		assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_READY), 1);
	}
	w32(f, VIRTIO_MMIO_STATUS, 0xf);
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* Posts one rx buffer and one tx frame; returns nothing, the device acts on notify. */
static void post_rx_and_tx(struct fx *f)
{
	struct desc *rx = (struct desc *)(f->ram + 0x10000);
	rx[0] = (struct desc){0x40000, 2048, 2, 0};
	uint16_t *ra = (uint16_t *)(f->ram + 0x11000);
	ra[2] = 0;
	ra[1] = 1;
	struct desc *tx = (struct desc *)(f->ram + 0x20000);
	tx[0] = (struct desc){0x50000, 12 + 14 + 32, 0, 0};
	uint16_t *ta = (uint16_t *)(f->ram + 0x21000);
	ta[0] = 1; /* no tx interrupts */
	ta[2] = 0;
	ta[1] = 1;
}

static void test_identity(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	assert_int_equal(r32(f, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(r32(f, VIRTIO_MMIO_DEVICE_ID), 1);
	w32(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(r32(f, VIRTIO_MMIO_DEVICE_FEATURES), 1); /* VERSION_1 */
	/* no v3 registers on a version 2 device */
	uint16_t v = 0xffff;
	mmio_transport_access(&f->t, VIRTIO_MMIO_MSI_STATUS, false, (uint8_t *)&v, 2);
	assert_int_equal(v, 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_NOTIFY), 0);
	/* config space: the MAC, byte by byte */
	uint8_t b;
	mmio_transport_access(&f->t, VIRTIO_MMIO_CONFIG + 5, false, &b, 1);
	assert_int_equal(b, 1);
	rm(f);
}

static void test_features_ok_requires_version_1(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	w32(f, VIRTIO_MMIO_STATUS, 3);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5); /* no VERSION_1 */
	w32(f, VIRTIO_MMIO_STATUS, 0xb);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS) & 8, 0);
	rm(f);
}

/* Defect: a write of 0x100 was cut to 8 bits (0) and reset the device. */
static void test_status_wide_write_ignored(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	bring_up(f);
	uint64_t errs = virtio_net_dev(f->net)->errors;
	w32(f, VIRTIO_MMIO_STATUS, 0x100);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS), 0xf); /* still live, not reset */
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_READY), 1);
	assert_true(virtio_net_dev(f->net)->errors > errs); /* logged */
	rm(f);
}

/* FAILED ends the device's work until a reset: no frame is processed. */
static void test_status_failed_stops_device(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	bring_up(f);
	w32(f, VIRTIO_MMIO_STATUS, 0x8f); /* DRIVER_OK | FAILED */
	post_rx_and_tx(f);
	w32(f, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(f->log.pin, 0);
	assert_int_equal(virtio_net_dev(f->net)->q[1].buffers, 0);
	rm(f);
}

/* DRIVER_OK after the device refused FEATURES_OK must not make it live. */
static void test_driver_ok_after_refused_features(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	w32(f, VIRTIO_MMIO_STATUS, 3);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5); /* no VERSION_1: refused */
	w32(f, VIRTIO_MMIO_STATUS, 0xb);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS) & 8, 0);
	w32(f, VIRTIO_MMIO_STATUS, 0x7);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS) & 4, 0);
	assert_false(virtio_dev_live(virtio_net_dev(f->net)));
	rm(f);
}

static void test_legacy_interrupt_cycle(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	bring_up(f);
	post_rx_and_tx(f);
	w32(f, VIRTIO_MMIO_QUEUE_NOTIFY, 1); /* tx */
	assert_int_equal(f->log.pin, 1);     /* one rx interrupt, tx suppressed */
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	/* resample before the ack: the line must come back */
	mmio_transport_resample(&f->t);
	assert_int_equal(f->log.pin, 2);
	w32(f, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	mmio_transport_resample(&f->t);
	assert_int_equal(f->log.pin, 2); /* nothing pending: stays low */
	/* the response landed in the rx buffer with the 12-byte header */
	uint16_t *used = (uint16_t *)(f->ram + 0x12000);
	assert_int_equal(used[1], 1);
	assert_int_equal(*(uint32_t *)(f->ram + 0x12008), 12 + 14 + 64);
	rm(f);
}

static void test_bad_accesses(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	uint64_t v = 0;
	mmio_transport_access(&f->t, VIRTIO_MMIO_STATUS + 1, false, (uint8_t *)&v, 4);
	mmio_transport_access(&f->t, VIRTIO_MMIO_STATUS, true, (uint8_t *)&v, 2);
	mmio_transport_access(&f->t, 0x0d0, false, (uint8_t *)&v, 4);
	mmio_transport_access(&f->t, VIRTIO_MMIO_CONFIG + 7, false, (uint8_t *)&v, 4);
	mmio_transport_access(&f->t, 0xff8, true, (uint8_t *)&v, 8);
	assert_int_equal(f->t.bad_accesses, 5);
	/* queue registers with QueueSel past the last queue are dropped */
	w32(f, VIRTIO_MMIO_QUEUE_SEL, 9);
	w32(f, VIRTIO_MMIO_QUEUE_NUM, 8);
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	assert_true(virtio_net_dev(f->net)->errors >= 1);
	rm(f);
}

static void test_ready_with_rings_outside_ram(void **state)
{
	(void)state;
	struct fx *f = mk(2, 0);
	w32(f, VIRTIO_MMIO_STATUS, 0xb);
	w32(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	w32(f, VIRTIO_MMIO_QUEUE_NUM, 8);
	w32(f, VIRTIO_MMIO_QUEUE_DESC_LOW, RAM - 16);
	w32(f, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_true(r32(f, VIRTIO_MMIO_STATUS) & 0x40); /* DEVICE_NEEDS_RESET */
	w32(f, VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_STATUS), 0);
	rm(f);
}

static void test_v3_msi(void **state)
{
	(void)state;
	struct fx *f = mk(3, 3);
	assert_int_equal(r32(f, VIRTIO_MMIO_VERSION), 3);
	uint32_t n = r32(f, VIRTIO_MMIO_QUEUE_NOTIFY);
	assert_int_equal(VIRTIO_MMIO_NOTIFY_BASE(n), IRQPATH_V3_NOTIFY_BASE);
	assert_int_equal(VIRTIO_MMIO_NOTIFY_MULTIPLIER(n), IRQPATH_V3_NOTIFY_MULT);
	assert_int_equal(r16(f, VIRTIO_MMIO_MSI_STATUS), 3); /* count, disabled */
	bring_up(f);
	for (unsigned i = 0; i < 3; i++) {
		w32(f, VIRTIO_MMIO_MSI_ADDRESS_LOW, 0xfee00000u);
		w32(f, VIRTIO_MMIO_MSI_ADDRESS_HIGH, 0);
		w32(f, VIRTIO_MMIO_MSI_DATA, 0x40 + i);
		w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, i));
	}
	assert_int_equal(f->log.programmed, 3);
	assert_int_equal(f->log.data[1], 0x41);
	w16(f, VIRTIO_MMIO_MSI_STATUS, VIRTIO_MMIO_MSI_STATUS_ENABLE);
	assert_int_equal(r16(f, VIRTIO_MMIO_MSI_STATUS), 0x8003);

	/* the rx response goes out on vector 1 through the rx doorbell path */
	post_rx_and_tx(f);
	mmio_transport_access(&f->t, IRQPATH_V3_NOTIFY_BASE + IRQPATH_V3_NOTIFY_MULT * 1, true,
			      (uint8_t *)&(uint32_t){1}, 4);
	assert_int_equal(f->t.doorbell_writes, 1);
	assert_int_equal(f->log.fired[1], 1);
	assert_int_equal(f->log.pin, 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	w32(f, VIRTIO_MMIO_INTERRUPT_ACK, 1); /* ignored with MSI on */

	/* a masked vector holds its message until unmasked */
	w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_MASK, 1));
	struct desc *rx = (struct desc *)(f->ram + 0x10000);
	rx[1] = (struct desc){0x41000, 2048, 2, 0};
	uint16_t *ra = (uint16_t *)(f->ram + 0x11000);
	ra[3] = 1;
	ra[2 + 0] = 0;
	ra[1] = 2;
	struct desc *tx = (struct desc *)(f->ram + 0x20000);
	tx[1] = (struct desc){0x50000, 12 + 14 + 32, 0, 0};
	uint16_t *ta = (uint16_t *)(f->ram + 0x21000);
	ta[3] = 1;
	ta[1] = 2;
	mmio_transport_access(&f->t, IRQPATH_V3_NOTIFY_BASE + IRQPATH_V3_NOTIFY_MULT, true,
			      (uint8_t *)&(uint32_t){1}, 4);
	assert_int_equal(f->log.fired[1], 1);
	assert_int_equal(f->t.msi[1].pending, 1);
	w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UNMASK, 1));
	assert_int_equal(f->log.fired[1], 2);
	assert_int_equal(f->t.msi[1].pending, 0);
	rm(f);
}

static void test_v3_hostile(void **state)
{
	(void)state;
	struct fx *f = mk(3, 2);
	uint64_t errors0 = virtio_net_dev(f->net)->errors;
	w32(f, VIRTIO_MMIO_MSI_ADDRESS_LOW, 0xfee00000u);
	w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, 2));
	w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UNMASK, 0xfff));
	w32(f, VIRTIO_MMIO_MSI_ADDRESS_LOW, 0x1000); /* not an APIC address */
	w16(f, VIRTIO_MMIO_MSI_COMMAND, VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, 0));
	assert_int_equal(f->log.programmed, 0);
	assert_int_equal(f->t.msi[0].valid, 0);
	/* doorbells: past the last queue, misaligned, and reads */
	w32(f, IRQPATH_V3_NOTIFY_BASE + IRQPATH_V3_NOTIFY_MULT * 5, 5);
	w32(f, IRQPATH_V3_NOTIFY_BASE + 2, 1);
	(void)r32(f, IRQPATH_V3_NOTIFY_BASE);
	assert_int_equal(f->t.bad_accesses, 3);
	assert_true(virtio_net_dev(f->net)->errors >= errors0 + 6);
	/* fewer vectors than queues + 1: the queues share the last vector */
	assert_int_equal(mmio_v3_queue_vector(0, 2, 1), 1);
	assert_int_equal(mmio_v3_queue_vector(1, 2, 1), 1);
	assert_int_equal(mmio_v3_queue_vector(1, 1, 1), 0);
	assert_int_equal(mmio_v3_queue_vector(1, 3, 1), 2);
	rm(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_identity),
	    cmocka_unit_test(test_features_ok_requires_version_1),
	    cmocka_unit_test(test_status_wide_write_ignored),
	    cmocka_unit_test(test_status_failed_stops_device),
	    cmocka_unit_test(test_driver_ok_after_refused_features),
	    cmocka_unit_test(test_legacy_interrupt_cycle),
	    cmocka_unit_test(test_bad_accesses),
	    cmocka_unit_test(test_ready_with_rings_outside_ram),
	    cmocka_unit_test(test_v3_msi),
	    cmocka_unit_test(test_v3_hostile),
	};
	return cmocka_run_group_tests_name("mmio_regs", tests, NULL, NULL);
}
