// SPDX-License-Identifier: MIT
/*
 * What the variant drivers share: the version 2 register sequence (probe,
 * status, features, queue set-up) and the interrupt handlers. The MSI
 * handler runs every queue mapped to the entry that fired (Linux's
 * vring_interrupt per queue); when config shares an entry with queues it
 * reads ConfigGeneration to find out whether config changed, since with
 * MSI on there is no InterruptStatus to tell.
 */
#include "variants.h"

int vmv_entry[GABI_MAX_QUEUES + 1];
static unsigned nq = 2; /* queues the driver set up (rx, tx) */
static bool config_shared;
static u32 config_gen;

int vmv_probe(const char **why)
{
	if (rd32(VMV_R(VIRTIO_MMIO_MAGIC_VALUE)) != VIRTIO_MMIO_MAGIC) {
		*why = "no virtio-mmio magic";
		return -1;
	}
	if (rd32(VMV_R(VIRTIO_MMIO_VERSION)) != 2) {
		*why = "variant devices are version 2";
		return -1;
	}
	if (rd32(VMV_R(VIRTIO_MMIO_DEVICE_ID)) != 1) {
		*why = "not a network device";
		return -1;
	}
	devinfo.window = GABI_MMIO_DEV_GPA;
	devinfo.gsi = GABI_LEGACY_IOAPIC_PIN;
	for (unsigned i = 0; i <= GABI_MAX_QUEUES; i++)
		vmv_entry[i] = VMV_NONE;
	nq = 2;
	return 0;
}

u8 vmv_get_status(void)
{
	return (u8)rd32(VMV_R(VIRTIO_MMIO_STATUS));
}

void vmv_set_status(u8 s)
{
	wr32(VMV_R(VIRTIO_MMIO_STATUS), s);
}

u64 vmv_get_features(void)
{
	wr32(VMV_R(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 1);
	u64 hi = rd32(VMV_R(VIRTIO_MMIO_DEVICE_FEATURES));
	wr32(VMV_R(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 0);
	return hi << 32 | rd32(VMV_R(VIRTIO_MMIO_DEVICE_FEATURES));
}

void vmv_set_features(u64 f)
{
	wr32(VMV_R(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 1);
	wr32(VMV_R(VIRTIO_MMIO_DRIVER_FEATURES), (u32)(f >> 32));
	wr32(VMV_R(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 0);
	wr32(VMV_R(VIRTIO_MMIO_DRIVER_FEATURES), (u32)f);
}

int vmv_setup_queue(struct gvq *q)
{
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_SEL), q->index);
	if (rd32(VMV_R(VIRTIO_MMIO_QUEUE_READY)) ||
	    rd32(VMV_R(VIRTIO_MMIO_QUEUE_NUM_MAX)) < VQ_SIZE)
		return -1;
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_NUM), VQ_SIZE);
	u64 d = (uptr)q->desc, a = (uptr)q->avail, u = (uptr)q->used;
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_DESC_LOW), (u32)d);
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_DESC_HIGH), (u32)(d >> 32));
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_AVAIL_LOW), (u32)a);
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_AVAIL_HIGH), (u32)(a >> 32));
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_USED_LOW), (u32)u);
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_USED_HIGH), (u32)(u >> 32));
	wr32(VMV_R(VIRTIO_MMIO_QUEUE_READY), 1);
	q->notify_width = 4;
	q->notify_value = q->index;
	q->notify_addr = VMV_R(VIRTIO_MMIO_QUEUE_NOTIFY);
	return 0;
}

u8 vmv_config_read8(unsigned off)
{
	return rd8(VMV_R(VIRTIO_MMIO_CONFIG + off));
}

static void run_queue(unsigned q, bool dedicated)
{
	cnt(&mb->q[q].interrupts);
	if (gvq_interrupt(&vqs[q]))
		net_vq_callback(q);
	else if (dedicated)
		count_spurious(); /* a queue's own entry with nothing to do */
}

static void msi_interrupt(unsigned vector)
{
	int idx = (int)(vector - GABI_VEC_CONFIG);
	unsigned sharers = 0;
	for (unsigned q = 0; q < nq; q++)
		sharers += vmv_entry[q] == idx;
	if (vmv_entry[VMV_CONFIG] == idx) {
		u32 g = config_shared ? rd32(VMV_R(VIRTIO_MMIO_CONFIG_GENERATION)) : config_gen + 1;
		if (g != config_gen) {
			config_gen = g;
			net_config_changed();
		}
	}
	for (unsigned q = 0; q < nq; q++)
		if (vmv_entry[q] == idx)
			run_queue(q, sharers == 1 && vmv_entry[VMV_CONFIG] != idx);
}

unsigned vmv_register_msi(unsigned n)
{
	unsigned used = 0;
	nq = n < GABI_MAX_QUEUES ? n : GABI_MAX_QUEUES;
	config_shared = false;
	for (unsigned q = 0; q < nq && q < GABI_MAX_QUEUES; q++)
		config_shared |= vmv_entry[q] == vmv_entry[VMV_CONFIG];
	if (config_shared)
		config_gen = rd32(VMV_R(VIRTIO_MMIO_CONFIG_GENERATION));
	for (int idx = 0; idx <= (int)GABI_MAX_QUEUES; idx++) {
		bool named = false;
		for (unsigned e = 0; e <= GABI_MAX_QUEUES; e++)
			named |= vmv_entry[e] == idx;
		if (!named)
			continue;
		irq_register(GABI_VEC_CONFIG + (unsigned)idx, msi_interrupt);
		used++;
	}
	mb->msi_vectors = used;
	devinfo.vec_config = GABI_VEC_CONFIG + (u32)vmv_entry[VMV_CONFIG];
	for (unsigned q = 0; q < nq && q < GABI_MAX_QUEUES; q++)
		devinfo.vec_queue[q] = GABI_VEC_CONFIG + (u32)vmv_entry[q];
	return used;
}

static void level_interrupt(unsigned vector)
{
	(void)vector;
	u32 st = rd32(VMV_R(VIRTIO_MMIO_INTERRUPT_STATUS));
	count_status_read(!st);
	if (!st) {
		count_spurious();
		return;
	}
	wr32(VMV_R(VIRTIO_MMIO_INTERRUPT_ACK), st);
	count_ack();
	if (st & VIRTIO_MMIO_INT_VRING)
		for (unsigned q = 0; q < nq; q++)
			if (gvq_interrupt(&vqs[q])) {
				cnt(&mb->q[q].interrupts);
				net_vq_callback(q);
			}
	if (st & VIRTIO_MMIO_INT_CONFIG)
		net_config_changed();
}

void vmv_use_level_pin(unsigned n)
{
	nq = n < GABI_MAX_QUEUES ? n : GABI_MAX_QUEUES;
	irq_register(GABI_VEC_LEGACY, level_interrupt);
	ioapic_route_gsi(GABI_LEGACY_IOAPIC_PIN, GABI_VEC_LEGACY, true);
	devinfo.vec_legacy = GABI_VEC_LEGACY;
}

/* INTR_USED: every interrupt means used buffers; no read, no ack (config changes unseen). */
static void edge_interrupt(unsigned vector)
{
	(void)vector;
	for (unsigned q = 0; q < nq; q++)
		if (gvq_interrupt(&vqs[q])) {
			cnt(&mb->q[q].interrupts);
			net_vq_callback(q);
		}
}

void vmv_use_edge_pin_no_status(unsigned n)
{
	nq = n < GABI_MAX_QUEUES ? n : GABI_MAX_QUEUES;
	irq_register(GABI_VEC_LEGACY, edge_interrupt);
	ioapic_route_gsi(GABI_LEGACY_IOAPIC_PIN, GABI_VEC_LEGACY, false);
	devinfo.vec_legacy = GABI_VEC_LEGACY;
}
