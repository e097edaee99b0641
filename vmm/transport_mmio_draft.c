// SPDX-License-Identifier: MIT
/*
 * The January 2020 spec draft's register file: MsiVecNum / MsiState /
 * MsiCmd / MsiVecSel / MsiAddrLow/High / MsiData at 0x0c0..0x0dc, feature
 * bits 39 (notification: QueueNotify readable, per-queue doorbells) and
 * 40 (MSI). Fixed mapping (config 0, queue q on q + 1) unless the device
 * is in sharing mode, where the driver maps events with MAP_CONFIG /
 * MAP_QUEUE. Masking has no pending bit (the review's point): an event
 * raised while masked is counted and lost.
 */
#include <string.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_mmio_variants.h"
#include "transport_mmio_variant.h"

#define F_NOTIFY (1ull << DRAFT_F_MMIO_NOTIFICATION)
#define F_MSI (1ull << DRAFT_F_MMIO_MSI)

static const char *const redefines[] = {"DeviceFeatures (bits 39/40)", "QueueNotify (readable)",
					NULL};
static const char *const collides[] = {
    "feature bit 39 is VIRTIO_F_NOTIF_CONFIG_DATA",
    "feature bit 40 is VIRTIO_F_RING_RESET",
    "offset 0x0c0 is QueueReset",
    NULL,
};

static bool sharing(const struct mmio_variant *v)
{
	return v->share != SHARE_PER_QUEUE;
}

static int route(const struct mmio_variant *v, int q)
{
	if (!v->msi_on || !(v->acked_transport & F_MSI))
		return ROUTE_PIN;
	unsigned nq = v->v2.dev->ops->num_queues;
	if (sharing(v)) {
		int e = q == VARIANT_CONFIG ? v->map[nq] : v->map[q];
		return e < 0 ? ROUTE_NONE : e;
	}
	return q == VARIANT_CONFIG ? 0 : (int)variant_fixed_vector((unsigned)q, v->entries);
}

static void command(struct mmio_variant *v, uint32_t cmd)
{
	unsigned nq = v->v2.dev->ops->num_queues, sel = v->vec_sel;
	bool in_range = sel < v->entries || sel == DRAFT_MSI_NO_VECTOR;
	switch (cmd) {
	case DRAFT_MSI_CMD_ENABLE:
	case DRAFT_MSI_CMD_DISABLE:
		v->msi_on = cmd == DRAFT_MSI_CMD_ENABLE;
		if (v->msi_on)
			v->v2.interrupt_status = 0;
		return;
	case DRAFT_MSI_CMD_CONFIGURE:
		if (sel < v->entries)
			variant_msi_program(v, sel, (uint64_t)v->addr_hi << 32 | v->addr_lo,
					    v->data);
		break;
	case DRAFT_MSI_CMD_MASK:
	case DRAFT_MSI_CMD_UNMASK:
		variant_msi_mask(v, sel, cmd == DRAFT_MSI_CMD_MASK);
		break;
	case DRAFT_MSI_CMD_MAP_CONFIG:
	case DRAFT_MSI_CMD_MAP_QUEUE: {
		unsigned ev = cmd == DRAFT_MSI_CMD_MAP_CONFIG ? nq : v->v2.queue_sel;
		if (!sharing(v) || ev > nq || !in_range) {
			virtio_dev_warn(v->v2.dev, "MSI map of event %u to %#x refused", ev, sel);
			return;
		}
		v->map[ev] = sel == DRAFT_MSI_NO_VECTOR ? -1 : (int)sel;
		return;
	}
	default:
		virtio_dev_warn(v->v2.dev, "unknown MSI command %#x", cmd);
		return;
	}
	if (sel >= v->entries)
		virtio_dev_warn(v->v2.dev, "MSI command %u names vector %u, device has %u", cmd,
				sel, v->entries);
}

static uint32_t features_word(const struct mmio_variant *v)
{
	uint64_t f = v->v2.dev->ops->features | F_NOTIFY | F_MSI;
	unsigned sel = v->v2.dev_features_sel;
	return sel == 0 ? (uint32_t)f : sel == 1 ? (uint32_t)(f >> 32) : 0;
}

/* The driver's feature word: keep the draft's bits here, hand the device's on. */
static void driver_features(struct mmio_variant *v, uint8_t *data)
{
	uint32_t w;
	if (v->v2.drv_features_sel != 1)
		return;
	memcpy(&w, data, 4);
	uint32_t mine = (uint32_t)((F_NOTIFY | F_MSI) >> 32);
	v->acked_transport = (uint64_t)(w & mine) << 32;
	w &= ~mine;
	memcpy(data, &w, 4);
}

static bool read_reg(struct mmio_variant *v, uint64_t off, uint32_t *out)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES:
		*out = features_word(v);
		return true;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		*out = DRAFT_NOTIFY_BASE | DRAFT_NOTIFY_MULT << 16;
		return true;
	case DRAFT_MSI_VEC_NUM:
		*out = v->entries;
		return true;
	case DRAFT_MSI_STATE:
		*out = (v->msi_on ? DRAFT_MSI_STATE_ENABLED : 0) |
		       (sharing(v) ? DRAFT_MSI_STATE_SHARING : 0);
		return true;
	}
	return false;
}

static bool write_reg(struct mmio_variant *v, uint64_t off, uint8_t *data)
{
	uint32_t w;
	memcpy(&w, data, 4);
	switch (off) {
	case VIRTIO_MMIO_DRIVER_FEATURES:
		driver_features(v, data);
		return false; /* the rest is version 2's */
	case DRAFT_MSI_CMD:
		command(v, w);
		return true;
	case DRAFT_MSI_VEC_SEL:
		v->vec_sel = w;
		return true;
	case DRAFT_MSI_ADDR_LOW:
		v->addr_lo = w;
		return true;
	case DRAFT_MSI_ADDR_HIGH:
		v->addr_hi = w;
		return true;
	case DRAFT_MSI_DATA:
		v->data = w;
		return true;
	}
	return false;
}

static bool access(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	struct virtio_dev *d = v->v2.dev;
	if (off >= DRAFT_NOTIFY_BASE) {
		/* Doorbells (when not served by an ioeventfd). */
		uint64_t rel = off - DRAFT_NOTIFY_BASE;
		unsigned q = (unsigned)(rel / DRAFT_NOTIFY_MULT);
		if (is_write && len == 4 && !(rel % DRAFT_NOTIFY_MULT) && q < d->ops->num_queues) {
			v->doorbell_writes++;
			virtio_dev_notify(d, q);
			return true;
		}
		return false; /* version 2 counts and logs it */
	}
	if (len != 4 || (off & 3))
		return false;
	bool mine = is_write ? write_reg(v, off, data) : false;
	if (!is_write) {
		uint32_t r;
		mine = read_reg(v, off, &r);
		if (mine)
			memcpy(data, &r, 4);
	}
	if (mine)
		variant_count(v, off, is_write);
	return mine;
}

static const char *reg_name(const struct mmio_variant *v, uint64_t off)
{
	(void)v;
	switch (off) {
	case DRAFT_MSI_VEC_NUM:
		return "MsiVecNum";
	case DRAFT_MSI_STATE:
		return "MsiState";
	case DRAFT_MSI_CMD:
		return "MsiCmd";
	case DRAFT_MSI_VEC_SEL:
		return "MsiVecSel";
	case DRAFT_MSI_ADDR_LOW:
		return "MsiAddrLow";
	case DRAFT_MSI_ADDR_HIGH:
		return "MsiAddrHigh";
	case DRAFT_MSI_DATA:
		return "MsiData";
	}
	return NULL;
}

const struct mmio_variant_desc mmio_draft_desc = {
    .name = "draft",
    .version = 2,
    .window_size = GABI_MMIO_DEV_SIZE,
    .mask_rule = MASK_LOST,
    .collides = collides,
    .redefines = redefines,
    .access = access,
    .route = route,
    .reg_name = reg_name,
};
