// SPDX-License-Identifier: MIT
/*
 * Dragonball's virtio-mmio extensions, signalled in VendorID
 * (0xdbfcdb00 | feature bits), Version 2:
 *  - INTR_USED: InterruptStatus always reports a used buffer, so a driver
 *    may run its queues without reading it; the pin pulses (edge), with
 *    nothing to acknowledge for used buffers (config changes still latch);
 *  - MSI_INTR: a 16-bit control/status register (enable, vector count) and
 *    a 16-bit command register (update vector N from address/data), no
 *    mask command; config on vector 0, queue q on q + 1 (clamped);
 *  - PER_QUEUE_NOTIFY: QueueNotify reads doorbell base | scale << 16, the
 *    doorbells filling a second 4 KiB page of the window.
 */
#include <string.h>
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_mmio_variants.h"
#include "transport_mmio_variant.h"

static const char *const redefines[] = {"VendorID (feature bits)", "QueueNotify (readable)",
					"InterruptStatus (used bit always set)", NULL};
static const char *const collides[] = {NULL};

static int route(const struct mmio_variant *v, int q)
{
	if (!v->msi_on)
		return -1;
	return q == VARIANT_CONFIG ? 0 : (int)variant_fixed_vector((unsigned)q, v->entries);
}

static bool has(const struct mmio_variant *v, unsigned f)
{
	return v->features & f;
}

static bool doorbell(struct mmio_variant *v, uint64_t off, bool is_write, unsigned len)
{
	uint64_t rel = off - DRAGONBALL_DOORBELL_OFFSET;
	unsigned q = (unsigned)(rel / DRAGONBALL_DOORBELL_SCALE);
	if (!has(v, DRAGONBALL_F_PER_QUEUE_NOTIFY) || !is_write || len != 4 ||
	    rel % DRAGONBALL_DOORBELL_SCALE || q >= v->v2.dev->ops->num_queues)
		return false;
	v->doorbell_writes++;
	virtio_dev_notify(v->v2.dev, q);
	return true;
}

static bool msi16(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data)
{
	uint16_t w;
	memcpy(&w, data, 2);
	if (off == DRAGONBALL_MSI_CSR && !is_write) {
		w = (uint16_t)((v->msi_on ? DRAGONBALL_MSI_CSR_ENABLE : 0) |
			       (v->entries & DRAGONBALL_MSI_CSR_COUNT));
		memcpy(data, &w, 2);
	} else if (off == DRAGONBALL_MSI_CSR) {
		v->msi_on = w & DRAGONBALL_MSI_CSR_ENABLE;
		if (v->msi_on)
			v->v2.interrupt_status = 0;
	} else if (off == DRAGONBALL_MSI_COMMAND && is_write) {
		unsigned op = w >> 12, idx = w & 0x0fffu;
		if (op != DRAGONBALL_MSI_CMD_UPDATE || idx >= v->entries)
			virtio_dev_warn(v->v2.dev, "MSI command %#x refused", w);
		else
			variant_msi_program(v, idx, (uint64_t)v->addr_hi << 32 | v->addr_lo,
					    v->data);
		v->v2.msi_commands++; /* 0x0c2 shares the CSR's 32-bit slot */
		return true;
	} else {
		return false;
	}
	variant_count(v, off, is_write);
	return true;
}

static bool reg32(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data)
{
	uint32_t w;
	memcpy(&w, data, 4);
	if (!is_write && off == VIRTIO_MMIO_VENDOR_ID) {
		w = DRAGONBALL_VENDOR_ID | v->features;
	} else if (!is_write && off == VIRTIO_MMIO_QUEUE_NOTIFY &&
		   has(v, DRAGONBALL_F_PER_QUEUE_NOTIFY)) {
		w = DRAGONBALL_DOORBELL_OFFSET | DRAGONBALL_DOORBELL_SCALE << 16;
	} else if (!is_write && off == VIRTIO_MMIO_INTERRUPT_STATUS &&
		   has(v, DRAGONBALL_F_INTR_USED) && !v->msi_on) {
		w = v->v2.interrupt_status | VIRTIO_MMIO_INT_VRING;
	} else if (is_write && off == DRAGONBALL_MSI_ADDR_LOW) {
		v->addr_lo = w;
	} else if (is_write && off == DRAGONBALL_MSI_ADDR_HIGH) {
		v->addr_hi = w;
	} else if (is_write && off == DRAGONBALL_MSI_DATA) {
		v->data = w;
	} else {
		return false;
	}
	if (!is_write)
		memcpy(data, &w, 4);
	variant_count(v, off, is_write);
	return true;
}

static bool access(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	if (off >= DRAGONBALL_DOORBELL_OFFSET)
		return doorbell(v, off, is_write, len);
	if (len == 2 && has(v, DRAGONBALL_F_MSI_INTR))
		return msi16(v, off, is_write, data);
	if (len == 4 && !(off & 3))
		return reg32(v, off, is_write, data);
	return false;
}

static const char *reg_name(const struct mmio_variant *v, uint64_t off)
{
	if (!has(v, DRAGONBALL_F_MSI_INTR))
		return NULL;
	switch (off) {
	case DRAGONBALL_MSI_CSR:
		return "MsiCsr";
	case DRAGONBALL_MSI_COMMAND:
		return "MsiCommand";
	case DRAGONBALL_MSI_ADDR_LOW:
		return "MsiAddrLow";
	case DRAGONBALL_MSI_ADDR_HIGH:
		return "MsiAddrHigh";
	case DRAGONBALL_MSI_DATA:
		return "MsiData";
	}
	return NULL;
}

const struct mmio_variant_desc mmio_dragonball_desc = {
    .name = "dragonball",
    .version = 2,
    .window_size = DRAGONBALL_WINDOW_SIZE,
    .mask_rule = MASK_NONE,
    .collides = collides,
    .redefines = redefines,
    .access = access,
    .route = route,
    .reg_name = reg_name,
};
