// SPDX-License-Identifier: MIT
/*
 * The per-queue address/data design: no vector table and no mapping.
 * Each queue (selected by QueueSel) and the config event own one MSI
 * message: address low/high, data and a control word (enable, mask).
 * An enabled pair carries its event; a pair that is not enabled leaves
 * its event on the level pin. Mask has no pending bit: lost. Pair i is
 * MSI entry i (config 0, queue q at q + 1), so routing is the identity.
 */
#include <string.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_mmio_variants.h"
#include "transport_mmio_variant.h"

static const char *const redefines[] = {NULL};
static const char *const collides[] = {NULL};

/* Pair index of queue q / config: config 0, queue q at q + 1 (= its MSI entry). */
static unsigned pair_of(int q)
{
	return q == VARIANT_CONFIG ? 0 : (unsigned)q + 1;
}

static int route(const struct mmio_variant *v, int q)
{
	unsigned p = pair_of(q);
	unsigned slot = q == VARIANT_CONFIG ? v->v2.dev->ops->num_queues : (unsigned)q;
	return p < v->entries && (v->ctrl[slot] & ADDRDATA_CTRL_ENABLE) ? (int)p : -1;
}

/* The selected pair's control word: enabling (re)programs the route. */
static void set_ctrl(struct mmio_variant *v, unsigned slot, unsigned pair, uint32_t w)
{
	uint32_t old = v->ctrl[slot];
	if ((w & ADDRDATA_CTRL_ENABLE) && pair < v->entries &&
	    !variant_msi_program(v, pair, (uint64_t)v->msi[pair].addr, v->msi[pair].data))
		w &= ~ADDRDATA_CTRL_ENABLE; /* a message KVM cannot route stays off */
	v->ctrl[slot] = w & (ADDRDATA_CTRL_ENABLE | ADDRDATA_CTRL_MASK);
	if ((old ^ w) & ADDRDATA_CTRL_MASK)
		variant_msi_mask(v, pair, w & ADDRDATA_CTRL_MASK);
}

/* Addresses and data are kept in the entry itself until enable routes it. */
static bool pair_reg(struct mmio_variant *v, unsigned slot, unsigned pair, unsigned reg,
		     bool is_write, uint32_t *val)
{
	if (pair >= v->entries)
		return false;
	struct msi_vector *e = &v->msi[pair];
	switch (reg) {
	case 0:
		if (is_write)
			e->addr = (e->addr & ~0xffffffffull) | *val;
		*val = (uint32_t)e->addr;
		return true;
	case 1:
		if (is_write)
			e->addr = (e->addr & 0xffffffffull) | (uint64_t)*val << 32;
		*val = (uint32_t)(e->addr >> 32);
		return true;
	case 2:
		if (is_write)
			e->data = *val;
		*val = e->data;
		return true;
	case 3:
		if (is_write)
			set_ctrl(v, slot, pair, *val);
		*val = v->ctrl[slot];
		return true;
	}
	return false;
}

static bool access(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	unsigned nq = v->v2.dev->ops->num_queues;
	uint32_t val = 0;
	bool mine = false;
	if (len != 4 || (off & 3))
		return false;
	if (is_write)
		memcpy(&val, data, 4);
	if (off == ADDRDATA_PAIR_COUNT && !is_write) {
		val = v->entries;
		mine = true;
	} else if (off >= ADDRDATA_QUEUE_ADDR_LOW && off <= ADDRDATA_QUEUE_CTRL) {
		unsigned q = v->v2.queue_sel;
		mine = q < nq &&
		       pair_reg(v, q, pair_of((int)q), (unsigned)(off - 0x0c8) / 4, is_write, &val);
		if (!mine)
			virtio_dev_warn(v->v2.dev, "MSI pair of QueueSel %u: no such queue", q);
		mine = true;
	} else if (off >= ADDRDATA_CONFIG_ADDR_LOW && off <= ADDRDATA_CONFIG_CTRL) {
		mine = pair_reg(v, nq, 0, (unsigned)(off - 0x0d8) / 4, is_write, &val);
	}
	if (!mine)
		return false;
	if (!is_write)
		memcpy(data, &val, 4);
	variant_count(v, off, is_write);
	return true;
}

static const char *reg_name(const struct mmio_variant *v, uint64_t off)
{
	(void)v;
	static const char *const names[] = {
	    "MsiPairCount",	 "QueueMsiAddrLow", "QueueMsiAddrHigh",
	    "QueueMsiData",	 "QueueMsiCtrl",    "ConfigMsiAddrLow",
	    "ConfigMsiAddrHigh", "ConfigMsiData",   "ConfigMsiCtrl",
	};
	if (off < ADDRDATA_PAIR_COUNT || off > ADDRDATA_CONFIG_CTRL || (off & 3))
		return NULL;
	return names[(off - ADDRDATA_PAIR_COUNT) / 4];
}

static void reset(struct mmio_variant *v)
{
	/* Pairs are off after a reset; their messages need routing again. */
	for (unsigned i = 0; i < v->entries; i++)
		v->msi[i].valid = 0;
}

const struct mmio_variant_desc mmio_addrdata_desc = {
    .name = "addrdata",
    .version = 2,
    .window_size = GABI_MMIO_DEV_SIZE,
    .mask_rule = MASK_LOST,
    .collides = collides,
    .redefines = redefines,
    .access = access,
    .route = route,
    .reg_name = reg_name,
    .reset = reset,
};
