// SPDX-License-Identifier: MIT
/*
 * Driver for the per-queue address/data design: for each queue, select
 * it and write its own MSI message and ENABLE; the config pair likewise.
 * No vectors to count or map. In the shared mode
 * (GABI_TRANSPORT_MMIO_ADDRDATA_SHARED) the driver gives every queue the
 * same message, so one vector carries all queues.
 */
#include "variants.h"

#define R VMV_R

static void program(uptr lo, unsigned idx)
{
	wr32(lo, (u32)GABI_LAPIC_GPA | apic_id() << 12);
	wr32(lo + 4, 0);
	wr32(lo + 8, GABI_VEC_CONFIG + idx);
	wr32(lo + 12, ADDRDATA_CTRL_ENABLE);
}

static void addrdata_mask(unsigned q, bool masked)
{
	wr32(R(VIRTIO_MMIO_QUEUE_SEL), q);
	wr32(R(ADDRDATA_QUEUE_CTRL), ADDRDATA_CTRL_ENABLE | (masked ? ADDRDATA_CTRL_MASK : 0));
}

static const struct variant_mask addrdata_masking = {.mask = addrdata_mask};

static int addrdata_setup_irqs(struct gvq *qs, unsigned n)
{
	(void)qs;
	if (rd32(R(ADDRDATA_PAIR_COUNT)) < n + 1) {
		vmv_use_level_pin(n);
		return 0;
	}
	bool shared = mb->transport == GABI_TRANSPORT_MMIO_ADDRDATA_SHARED;
	vmv_entry[VMV_CONFIG] = 0;
	program(R(ADDRDATA_CONFIG_ADDR_LOW), 0);
	for (unsigned q = 0; q < n; q++) {
		vmv_entry[q] = shared ? 1 : (int)q + 1;
		wr32(R(VIRTIO_MMIO_QUEUE_SEL), q);
		program(R(ADDRDATA_QUEUE_ADDR_LOW), (unsigned)vmv_entry[q]);
	}
	vmv_register_msi(n);
	variant_mask = &addrdata_masking;
	return 0;
}

const struct transport mmio_addrdata_transport = {
    .name = "virtio-mmio per-queue address/data",
    .probe = vmv_probe,
    .get_status = vmv_get_status,
    .set_status = vmv_set_status,
    .get_features = vmv_get_features,
    .set_features = vmv_set_features,
    .setup_queue = vmv_setup_queue,
    .setup_irqs = addrdata_setup_irqs,
    .config_read8 = vmv_config_read8,
};
