// SPDX-License-Identifier: MIT
/*
 * Driver for the January 2020 spec draft (feature bits 39/40, MsiVecNum /
 * MsiState / MsiCmd / MsiVecSel / MsiAddr / MsiData). Like the kernel
 * series v2: with the fixed mapping (not sharing) it needs a vector per
 * queue + config; in sharing mode it maps config to vector 0 and all
 * queues to vector 1, or everything to vector 0 when the device offers
 * one vector. The doorbell address is computed once per queue.
 */
#include "variants.h"

#define F_NOTIFY (1ull << DRAFT_F_MMIO_NOTIFICATION)
#define F_MSI (1ull << DRAFT_F_MMIO_MSI)
#define R VMV_R

static u64 offered, accepted;

static u64 draft_get_features(void)
{
	offered = vmv_get_features();
	return offered;
}

/* The transport's own bits are the transport's to accept (vring_transport_features). */
static void draft_set_features(u64 f)
{
	accepted = f | (offered & (F_NOTIFY | F_MSI));
	vmv_set_features(accepted);
}

static int draft_setup_queue(struct gvq *q)
{
	if (vmv_setup_queue(q))
		return -1;
	if (accepted & F_NOTIFY) {
		u32 n = rd32(R(VIRTIO_MMIO_QUEUE_NOTIFY));
		q->notify_addr = R((n & 0xffff) + (n >> 16) * q->index);
	}
	return 0;
}

static void cmd(u32 sel, u32 c)
{
	wr32(R(DRAFT_MSI_VEC_SEL), sel);
	wr32(R(DRAFT_MSI_CMD), c);
}

static void configure(unsigned idx)
{
	wr32(R(DRAFT_MSI_ADDR_LOW), (u32)GABI_LAPIC_GPA | apic_id() << 12);
	wr32(R(DRAFT_MSI_ADDR_HIGH), 0);
	wr32(R(DRAFT_MSI_DATA), GABI_VEC_CONFIG + idx); /* fixed delivery, edge */
	cmd(idx, DRAFT_MSI_CMD_CONFIGURE);
}

static void draft_mask(unsigned q, bool masked)
{
	cmd((u32)vmv_entry[q], masked ? DRAFT_MSI_CMD_MASK : DRAFT_MSI_CMD_UNMASK);
}

static const struct variant_mask draft_masking = {.mask = draft_mask};

/* The event -> vector plan: fixed, or chosen by the driver in sharing mode. */
static bool plan(unsigned n, unsigned count, bool sharing)
{
	if (!sharing) {
		if (count < n + 1)
			return false; /* the fixed mapping needs them all (kernel v2 falls back) */
		vmv_entry[VMV_CONFIG] = 0;
		for (unsigned q = 0; q < n; q++)
			vmv_entry[q] = (int)variant_fixed_vector(q, count);
		return true;
	}
	if (!count)
		return false;
	vmv_entry[VMV_CONFIG] = 0;
	for (unsigned q = 0; q < n; q++)
		vmv_entry[q] = count >= 2 ? 1 : 0;
	return true;
}

static int draft_setup_irqs(struct gvq *qs, unsigned n)
{
	(void)qs;
	if (accepted & F_MSI) {
		unsigned count = rd32(R(DRAFT_MSI_VEC_NUM));
		bool sharing = rd32(R(DRAFT_MSI_STATE)) & DRAFT_MSI_STATE_SHARING;
		if (plan(n, count, sharing)) {
			unsigned used = sharing ? (count >= 2 ? 2 : 1) : n + 1;
			for (unsigned i = 0; i < used; i++)
				configure(i);
			if (sharing) {
				cmd((u32)vmv_entry[VMV_CONFIG], DRAFT_MSI_CMD_MAP_CONFIG);
				for (unsigned q = 0; q < n; q++) {
					wr32(R(VIRTIO_MMIO_QUEUE_SEL), q);
					cmd((u32)vmv_entry[q], DRAFT_MSI_CMD_MAP_QUEUE);
				}
			}
			vmv_register_msi(n);
			wr32(R(DRAFT_MSI_CMD), DRAFT_MSI_CMD_ENABLE);
			variant_mask = &draft_masking;
			return 0;
		}
	}
	vmv_use_level_pin(n);
	return 0;
}

const struct transport mmio_draft_transport = {
    .name = "virtio-mmio draft (bits 39/40)",
    .probe = vmv_probe,
    .get_status = vmv_get_status,
    .set_status = vmv_set_status,
    .get_features = draft_get_features,
    .set_features = draft_set_features,
    .setup_queue = draft_setup_queue,
    .setup_irqs = draft_setup_irqs,
    .config_read8 = vmv_config_read8,
};
