// SPDX-License-Identifier: MIT
/*
 * virtio-mmio driver for version 2 (one level interrupt: read
 * InterruptStatus, write InterruptACK, run the vq callbacks — what Linux's
 * vm_interrupt does) and version 3 (one MSI per queue + config, per-queue
 * doorbells whose addresses are computed once at setup).
 */
#include "transport.h"
#include "variants.h" /* the masked-interrupt probe hooks */

#define R(off) (base + (off))

struct device_info devinfo;
static uptr base = GABI_MMIO_DEV_GPA;
static u32 gsi = GABI_LEGACY_IOAPIC_PIN;
static u32 version;
static unsigned msi_count; /* vectors in use (v3) */

static int mmio_probe_one(const char **why)
{
	if (rd32(R(VIRTIO_MMIO_MAGIC_VALUE)) != VIRTIO_MMIO_MAGIC) {
		*why = "no virtio-mmio magic";
		return -1;
	}
	version = rd32(R(VIRTIO_MMIO_VERSION));
	if (version != 2 && version != 3) {
		*why = "unsupported virtio-mmio version";
		return -1;
	}
	if (rd32(R(VIRTIO_MMIO_DEVICE_ID)) != 1) {
		*why = "not a network device";
		return -1;
	}
	return 0;
}

/* irqpath-vmm: its fixed window; QEMU: each window the command line names. */
static int mmio_probe(const char **why)
{
	if (!mmio_ncands) {
		devinfo.window = base;
		devinfo.gsi = gsi;
		return mmio_probe_one(why);
	}
	for (unsigned i = 0; i < mmio_ncands; i++) {
		base = mmio_cands[i].base;
		gsi = mmio_cands[i].gsi;
		if (!mmio_probe_one(why)) {
			devinfo.window = base;
			devinfo.gsi = gsi;
			return 0;
		}
	}
	return -1;
}

static u8 mmio_get_status(void)
{
	return (u8)rd32(R(VIRTIO_MMIO_STATUS));
}

static void mmio_set_status(u8 s)
{
	wr32(R(VIRTIO_MMIO_STATUS), s);
}

static u64 mmio_get_features(void)
{
	wr32(R(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 1);
	u64 hi = rd32(R(VIRTIO_MMIO_DEVICE_FEATURES));
	wr32(R(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 0);
	return hi << 32 | rd32(R(VIRTIO_MMIO_DEVICE_FEATURES));
}

static void mmio_set_features(u64 f)
{
	wr32(R(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 1);
	wr32(R(VIRTIO_MMIO_DRIVER_FEATURES), (u32)(f >> 32));
	wr32(R(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 0);
	wr32(R(VIRTIO_MMIO_DRIVER_FEATURES), (u32)f);
}

static int mmio_setup_queue(struct gvq *q)
{
	wr32(R(VIRTIO_MMIO_QUEUE_SEL), q->index);
	if (rd32(R(VIRTIO_MMIO_QUEUE_READY)))
		return -1;
	if (rd32(R(VIRTIO_MMIO_QUEUE_NUM_MAX)) < VQ_SIZE)
		return -1;
	wr32(R(VIRTIO_MMIO_QUEUE_NUM), VQ_SIZE);
	u64 d = (uptr)q->desc, a = (uptr)q->avail, u = (uptr)q->used;
	wr32(R(VIRTIO_MMIO_QUEUE_DESC_LOW), (u32)d);
	wr32(R(VIRTIO_MMIO_QUEUE_DESC_HIGH), (u32)(d >> 32));
	wr32(R(VIRTIO_MMIO_QUEUE_AVAIL_LOW), (u32)a);
	wr32(R(VIRTIO_MMIO_QUEUE_AVAIL_HIGH), (u32)(a >> 32));
	wr32(R(VIRTIO_MMIO_QUEUE_USED_LOW), (u32)u);
	wr32(R(VIRTIO_MMIO_QUEUE_USED_HIGH), (u32)(u >> 32));
	wr32(R(VIRTIO_MMIO_QUEUE_READY), 1);

	q->notify_width = 4;
	q->notify_value = q->index;
	if (version == 3) {
		/* The reviewer's point: compute the doorbell once, not per kick. */
		u32 n = rd32(R(VIRTIO_MMIO_QUEUE_NOTIFY));
		q->notify_addr =
		    R(VIRTIO_MMIO_NOTIFY_BASE(n) + VIRTIO_MMIO_NOTIFY_MULTIPLIER(n) * q->index);
	} else {
		q->notify_addr = R(VIRTIO_MMIO_QUEUE_NOTIFY);
	}
	return 0;
}

/* ---- version 2: one level-triggered pin ---- */

static void legacy_interrupt(unsigned vector)
{
	(void)vector;
	u32 st = rd32(R(VIRTIO_MMIO_INTERRUPT_STATUS));
	count_status_read(!st);
	if (!st) {
		count_spurious();
		return;
	}
	wr32(R(VIRTIO_MMIO_INTERRUPT_ACK), st);
	count_ack();
	/* Every used ring: the owner of another pair is woken with an IPI. */
	if (st & VIRTIO_MMIO_INT_VRING)
		for (unsigned q = 0; q < 2 * npairs; q++)
			if (net_queue_event(q))
				cnt(&mb->q[q].interrupts);
	if (st & VIRTIO_MMIO_INT_CONFIG)
		net_config_changed();
}

/* ---- version 3: MSI per queue ---- */

/* The device's rule (virtio_mmio_v3.h), the plan of guest_abi.h. */
static unsigned queue_vector(unsigned q)
{
	return gabi_plan_entry(q, npairs, msi_count);
}

static void msi_interrupt(unsigned vector)
{
	unsigned idx = vector - GABI_VEC_CONFIG;
	bool any = false;
	if (idx == VIRTIO_MMIO_MSI_CONFIG_VECTOR)
		net_config_changed();
	for (unsigned q = 0; q < nqueues; q++) {
		if (queue_vector(q) != idx)
			continue;
		cnt(&mb->q[q].interrupts);
		any |= net_queue_event(q);
	}
	if (!any && idx != VIRTIO_MMIO_MSI_CONFIG_VECTOR)
		count_spurious(); /* a queue vector with nothing to do */
}

static void msi_program(unsigned idx, unsigned vector)
{
	/* aimed at the vCPU that owns the entry's first queue */
	wr32(R(VIRTIO_MMIO_MSI_ADDRESS_LOW), (u32)GABI_LAPIC_GPA | msi_dest(idx, msi_count) << 12);
	wr32(R(VIRTIO_MMIO_MSI_ADDRESS_HIGH), 0);
	wr32(R(VIRTIO_MMIO_MSI_DATA), vector); /* fixed delivery, edge */
	wr16(R(VIRTIO_MMIO_MSI_COMMAND), VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, idx));
	wr16(R(VIRTIO_MMIO_MSI_COMMAND), VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UNMASK, idx));
}

/* The masked-interrupt probe's hooks (mask_probe.c), on request only. */
static void msi_mask(unsigned q, bool masked)
{
	unsigned op = masked ? VIRTIO_MMIO_MSI_CMD_MASK : VIRTIO_MMIO_MSI_CMD_UNMASK;
	wr16(R(VIRTIO_MMIO_MSI_COMMAND), VIRTIO_MMIO_MSI_CMD(op, queue_vector(q)));
}

static const struct variant_mask v3_mask = {.mask = msi_mask, .entry = queue_vector};

static int mmio_setup_irqs(struct gvq *qs, unsigned n)
{
	(void)qs;
	if (version == 3) {
		unsigned count = rd16(R(VIRTIO_MMIO_MSI_STATUS)) & VIRTIO_MMIO_MSI_STATUS_COUNT;
		if (count) {
			/* Fewer vectors than queues + 1: share, as virtio-pci falls back. */
			msi_count = count < n + 1 ? count : n + 1;
			for (unsigned i = 0; i < msi_count; i++) {
				msi_program(i, GABI_VEC_CONFIG + i);
				irq_register(GABI_VEC_CONFIG + i, msi_interrupt);
			}
			u16 st = rd16(R(VIRTIO_MMIO_MSI_STATUS));
			wr16(R(VIRTIO_MMIO_MSI_STATUS), st | VIRTIO_MMIO_MSI_STATUS_ENABLE);
			mb->msi_vectors = msi_count;
			if (mb->mask_probe)
				variant_mask = &v3_mask;
			devinfo.vec_config = GABI_VEC_CONFIG;
			for (unsigned q = 0; q < n && q < GABI_MAX_QUEUES; q++)
				devinfo.vec_queue[q] = GABI_VEC_CONFIG + queue_vector(q);
			return 0;
		}
	}
	/* Version 2, or a v3 device with no vectors: the level pin. */
	irq_register(GABI_VEC_LEGACY, legacy_interrupt);
	ioapic_route_gsi(gsi, GABI_VEC_LEGACY, true);
	devinfo.vec_legacy = GABI_VEC_LEGACY;
	return 0;
}

static u8 mmio_config_read8(unsigned off)
{
	return rd8(R(VIRTIO_MMIO_CONFIG + off));
}

const struct transport mmio_transport = {
    .name = "virtio-mmio",
    .probe = mmio_probe,
    .get_status = mmio_get_status,
    .set_status = mmio_set_status,
    .get_features = mmio_get_features,
    .set_features = mmio_set_features,
    .setup_queue = mmio_setup_queue,
    .setup_irqs = mmio_setup_irqs,
    .config_read8 = mmio_config_read8,
};
