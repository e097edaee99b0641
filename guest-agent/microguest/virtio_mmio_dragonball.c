// SPDX-License-Identifier: MIT
/*
 * Driver for Dragonball's VendorID-signalled features: PER_QUEUE_NOTIFY
 * (doorbell from the readable QueueNotify, computed once per queue),
 * MSI_INTR (16-bit CSR and command, config on vector 0, queue q on q + 1)
 * and INTR_USED (on the pin: run the queues without reading or acking
 * InterruptStatus). There is no mask command, so no masked-interrupt probe.
 */
#include "variants.h"

#define R VMV_R

static u32 features;

static int db_probe(const char **why)
{
	if (vmv_probe(why))
		return -1;
	u32 vendor = rd32(R(VIRTIO_MMIO_VENDOR_ID));
	features = (vendor & DRAGONBALL_VENDOR_MASK) == DRAGONBALL_VENDOR_ID ? vendor & 0xff : 0;
	return 0;
}

static int db_setup_queue(struct gvq *q)
{
	if (vmv_setup_queue(q))
		return -1;
	if (features & DRAGONBALL_F_PER_QUEUE_NOTIFY) {
		u32 n = rd32(R(VIRTIO_MMIO_QUEUE_NOTIFY));
		q->notify_addr = R((n & 0xffff) + (n >> 16) * q->index);
	}
	return 0;
}

static void update(unsigned idx)
{
	wr32(R(DRAGONBALL_MSI_ADDR_LOW), (u32)GABI_LAPIC_GPA | apic_id() << 12);
	wr32(R(DRAGONBALL_MSI_ADDR_HIGH), 0);
	wr32(R(DRAGONBALL_MSI_DATA), GABI_VEC_CONFIG + idx);
	wr16(R(DRAGONBALL_MSI_COMMAND), (u16)(DRAGONBALL_MSI_CMD_UPDATE << 12 | idx));
}

static int db_setup_irqs(struct gvq *qs, unsigned n)
{
	(void)qs;
	unsigned count = 0;
	if (features & DRAGONBALL_F_MSI_INTR)
		count = rd16(R(DRAGONBALL_MSI_CSR)) & DRAGONBALL_MSI_CSR_COUNT;
	if (count) {
		unsigned used = count < n + 1 ? count : n + 1;
		vmv_entry[VMV_CONFIG] = 0;
		for (unsigned q = 0; q < n; q++)
			vmv_entry[q] = (int)variant_fixed_vector(q, used);
		for (unsigned i = 0; i < used; i++)
			update(i);
		vmv_register_msi(n);
		wr16(R(DRAGONBALL_MSI_CSR), DRAGONBALL_MSI_CSR_ENABLE);
		return 0;
	}
	if (features & DRAGONBALL_F_INTR_USED)
		vmv_use_edge_pin_no_status(n);
	else
		vmv_use_level_pin(n);
	return 0;
}

const struct transport mmio_dragonball_transport = {
    .name = "virtio-mmio Dragonball",
    .probe = db_probe,
    .get_status = vmv_get_status,
    .set_status = vmv_set_status,
    .get_features = vmv_get_features,
    .set_features = vmv_set_features,
    .setup_queue = db_setup_queue,
    .setup_irqs = db_setup_irqs,
    .config_read8 = vmv_config_read8,
};
