// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio variant register files driven the way a guest would,
 * with a fake interrupt sink: the draft's feature bits, vector table,
 * sharing map and lossy mask; the address/data pairs (enable routes, the
 * pin otherwise, lossy mask); Dragonball's VendorID, readable QueueNotify,
 * always-used InterruptStatus on an edge pin and 16-bit MSI registers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_mmio_variants.h"
#include "../transport_mmio_variant.h"
#include "../virtio_net.h"

#define RAM (1u << 20)
#define APIC 0xfee00000u

struct sink_log {
	unsigned pin, fired[8];
};

struct fx {
	uint8_t *ram;
	struct guest_mem m;
	struct virtio_net *net;
	struct mmio_variant v;
	struct sink_log log;
};

static void s_pin(void *o)
{
	((struct sink_log *)o)->pin++;
}
static int s_prog(void *o, unsigned i, uint64_t a, uint32_t d)
{
	(void)o, (void)i, (void)a, (void)d;
	return 0;
}
static void s_fire(void *o, unsigned i)
{
	((struct sink_log *)o)->fired[i % 8]++;
}

static struct fx *mk(const struct mmio_variant_desc *desc, enum variant_share share,
		     unsigned entries)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->ram = calloc(1, RAM);
	f->m = (struct guest_mem){f->ram, RAM};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	f->net = virtio_net_create(&f->m, net_reflect_create(64), mac, 1);
	struct irq_sink s = {s_pin, s_prog, s_fire, &f->log};
	assert_int_equal(mmio_variant_init(&f->v, desc, virtio_net_dev(f->net), share, entries, &s),
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
	mmio_variant_access(&f->v, off, false, (uint8_t *)&v, 4);
	return v;
}
static void w32(struct fx *f, uint64_t off, uint32_t v)
{
	mmio_variant_access(&f->v, off, true, (uint8_t *)&v, 4);
}
static void w16(struct fx *f, uint64_t off, uint16_t v)
{
	mmio_variant_access(&f->v, off, true, (uint8_t *)&v, 2);
}

/* Features: VERSION_1 | MAC plus EXTRA_HI in the high word; returns Status. */
static uint32_t negotiate(struct fx *f, uint32_t extra_hi)
{
	w32(f, VIRTIO_MMIO_STATUS, 0);
	w32(f, VIRTIO_MMIO_STATUS, 3);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1 | extra_hi);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	w32(f, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5);
	w32(f, VIRTIO_MMIO_STATUS, 0xb);
	return r32(f, VIRTIO_MMIO_STATUS);
}

static void draft_configure(struct fx *f, unsigned idx)
{
	w32(f, DRAFT_MSI_VEC_SEL, idx);
	w32(f, DRAFT_MSI_ADDR_LOW, APIC);
	w32(f, DRAFT_MSI_ADDR_HIGH, 0);
	w32(f, DRAFT_MSI_DATA, 0x40 + idx);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_CONFIGURE);
}

static void test_draft_fixed(void **state)
{
	(void)state;
	struct fx *f = mk(&mmio_draft_desc, SHARE_PER_QUEUE, 3);
	w32(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(r32(f, VIRTIO_MMIO_DEVICE_FEATURES) & 0x180, 0x180); /* bits 39, 40 */
	assert_int_equal(negotiate(f, 0x180), 0xb); /* accepted although the net model lacks them */
	assert_int_equal(f->v.acked_transport, 3ull << 39);
	assert_int_equal(r32(f, DRAFT_MSI_VEC_NUM), 3);
	assert_int_equal(r32(f, DRAFT_MSI_STATE), 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_NOTIFY), 0x800 | 4 << 16);
	for (unsigned i = 0; i < 3; i++)
		draft_configure(f, i);
	variant_signal(&f->v, 0); /* not enabled yet: the pin */
	assert_int_equal(f->log.pin, 1);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_ENABLE);
	assert_int_equal(r32(f, DRAFT_MSI_STATE), DRAFT_MSI_STATE_ENABLED);
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), 0); /* ignored with MSI on */
	variant_signal(&f->v, 0);
	variant_signal(&f->v, VARIANT_CONFIG);
	assert_int_equal(f->log.fired[1], 1);
	assert_int_equal(f->log.fired[0], 1);
	/* mask has no pending bit: the event is lost */
	w32(f, DRAFT_MSI_VEC_SEL, 1);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_MASK);
	variant_signal(&f->v, 0);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_UNMASK);
	assert_int_equal(f->log.fired[1], 1);
	assert_int_equal(f->v.lost_while_masked, 1);
	assert_int_equal(f->v.sent_on_unmask, 0);
	/* mapping commands are for sharing mode only */
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_MAP_CONFIG);
	assert_int_equal(f->v.map[2], -1);
	rm(f);
}

static void test_draft_sharing(void **state)
{
	(void)state;
	struct fx *f = mk(&mmio_draft_desc, SHARE_QUEUES, 2);
	negotiate(f, 0x180);
	assert_int_equal(r32(f, DRAFT_MSI_STATE), DRAFT_MSI_STATE_SHARING);
	draft_configure(f, 0);
	draft_configure(f, 1);
	w32(f, DRAFT_MSI_VEC_SEL, 0);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_MAP_CONFIG);
	for (unsigned q = 0; q < 2; q++) {
		w32(f, VIRTIO_MMIO_QUEUE_SEL, q);
		w32(f, DRAFT_MSI_VEC_SEL, 1);
		w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_MAP_QUEUE);
	}
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_ENABLE);
	variant_signal(&f->v, 0);
	variant_signal(&f->v, 1);
	assert_int_equal(f->log.fired[1], 2);
	/* NO_VECTOR unmaps: the queue then has no interrupt at all */
	w32(f, VIRTIO_MMIO_QUEUE_SEL, 1);
	w32(f, DRAFT_MSI_VEC_SEL, DRAFT_MSI_NO_VECTOR);
	w32(f, DRAFT_MSI_CMD, DRAFT_MSI_CMD_MAP_QUEUE);
	variant_signal(&f->v, 1);
	assert_int_equal(f->log.fired[1], 2);
	assert_int_equal(f->log.pin, 0);
	/* reset clears the map and MSI enable */
	w32(f, VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(r32(f, DRAFT_MSI_STATE), DRAFT_MSI_STATE_SHARING);
	assert_int_equal(f->v.map[0], -1);
	rm(f);
}

static void test_addrdata(void **state)
{
	(void)state;
	struct fx *f = mk(&mmio_addrdata_desc, SHARE_PER_QUEUE, 3);
	negotiate(f, 0);
	assert_int_equal(r32(f, ADDRDATA_PAIR_COUNT), 3);
	w32(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	w32(f, ADDRDATA_QUEUE_ADDR_LOW, APIC);
	w32(f, ADDRDATA_QUEUE_DATA, 0x41);
	assert_int_equal(r32(f, ADDRDATA_QUEUE_DATA), 0x41);
	variant_signal(&f->v, 0); /* not enabled: the pin */
	assert_int_equal(f->log.pin, 1);
	w32(f, ADDRDATA_QUEUE_CTRL, ADDRDATA_CTRL_ENABLE);
	variant_signal(&f->v, 0);
	assert_int_equal(f->log.fired[1], 1);
	variant_signal(&f->v, 1); /* tx's pair is off: still the pin */
	assert_int_equal(f->log.pin, 2);
	w32(f, ADDRDATA_QUEUE_CTRL, ADDRDATA_CTRL_ENABLE | ADDRDATA_CTRL_MASK);
	variant_signal(&f->v, 0);
	w32(f, ADDRDATA_QUEUE_CTRL, ADDRDATA_CTRL_ENABLE);
	assert_int_equal(f->log.fired[1], 1);
	assert_int_equal(f->v.lost_while_masked, 1);
	/* a pair with a non-APIC address does not enable */
	w32(f, ADDRDATA_CONFIG_ADDR_LOW, 0x1000);
	w32(f, ADDRDATA_CONFIG_CTRL, ADDRDATA_CTRL_ENABLE);
	assert_int_equal(r32(f, ADDRDATA_CONFIG_CTRL), 0);
	rm(f);
}

static void test_dragonball(void **state)
{
	(void)state;
	struct fx *f = mk(&mmio_dragonball_desc, SHARE_PER_QUEUE, 0);
	f->v.features = DRAGONBALL_F_INTR_USED | DRAGONBALL_F_PER_QUEUE_NOTIFY;
	f->v.edge_pin = true;
	assert_int_equal(r32(f, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(r32(f, VIRTIO_MMIO_VENDOR_ID), 0xdbfcdb05u);
	assert_int_equal(r32(f, VIRTIO_MMIO_QUEUE_NOTIFY), 0x1000 | 4 << 16);
	negotiate(f, 0);
	variant_signal(&f->v, 0);
	assert_int_equal(f->log.pin, 1);
	/* nothing latched to ack, yet the status says "used" */
	assert_int_equal(f->v.v2.interrupt_status, 0);
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	variant_signal(&f->v, VARIANT_CONFIG); /* config changes still latch */
	assert_int_equal(r32(f, VIRTIO_MMIO_INTERRUPT_STATUS), 3);
	rm(f);

	f = mk(&mmio_dragonball_desc, SHARE_PER_QUEUE, 3);
	f->v.features = 7;
	negotiate(f, 0);
	for (unsigned i = 0; i < 3; i++) {
		w32(f, DRAGONBALL_MSI_ADDR_LOW, APIC);
		w32(f, DRAGONBALL_MSI_DATA, 0x40 + i);
		w16(f, DRAGONBALL_MSI_COMMAND, (uint16_t)(DRAGONBALL_MSI_CMD_UPDATE << 12 | i));
	}
	w16(f, DRAGONBALL_MSI_CSR, DRAGONBALL_MSI_CSR_ENABLE);
	variant_signal(&f->v, 1);
	assert_int_equal(f->log.fired[2], 1);
	w16(f, DRAGONBALL_MSI_COMMAND, 0x2001); /* no mask op in this design */
	assert_int_equal(f->v.msi[1].masked, 0);
	rm(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_draft_fixed),
	    cmocka_unit_test(test_draft_sharing),
	    cmocka_unit_test(test_addrdata),
	    cmocka_unit_test(test_dragonball),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
