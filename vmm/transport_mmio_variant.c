// SPDX-License-Identifier: MIT
#include <string.h>
#include "irqpath/virtio_mmio_v3.h"
#include "transport_mmio_variant.h"

static const struct virtio_transport_ops variant_tops;

int mmio_variant_init(struct mmio_variant *v, const struct mmio_variant_desc *desc,
		      struct virtio_dev *dev, enum variant_share share, unsigned entries,
		      const struct irq_sink *irq)
{
	if (entries > MSI_MAX_VECTORS)
		return -1;
	memset(v, 0, sizeof(*v));
	if (mmio_transport_init(&v->v2, dev, 2, 0, irq))
		return -1;
	v->v2.size = desc->window_size;
	v->desc = desc;
	v->share = share;
	v->entries = entries;
	for (unsigned i = 0; i <= VIRTIO_MAX_QUEUES; i++)
		v->map[i] = -1;
	/* The variant decides where events go; version 2's file keeps the registers. */
	dev->tops = &variant_tops;
	dev->tpriv = v;
	return 0;
}

void variant_count(struct mmio_variant *v, uint64_t off, bool is_write)
{
	if (off < 0x0c0) { /* a version 2 register the variant reads differently */
		uint64_t *c = is_write ? v->v2.writes : v->v2.reads;
		c[off / 4]++;
		return;
	}
	if (off >= 0x0c0 + VARIANT_REG_SLOTS * 4)
		return;
	if (is_write)
		v->writes[(off - 0x0c0) / 4]++;
	else
		v->reads[(off - 0x0c0) / 4]++;
}

bool variant_msi_program(struct mmio_variant *v, unsigned idx, uint64_t addr, uint32_t data)
{
	struct msi_vector *e = &v->msi[idx];
	if (idx >= v->entries || (addr >> 20) != 0xfee ||
	    v->v2.irq.msi_program(v->v2.irq.opaque, idx, addr, data)) {
		virtio_dev_warn(v->v2.dev, "MSI entry %u: address %#llx not routable", idx,
				(unsigned long long)addr);
		if (idx < v->entries)
			e->valid = 0;
		return false;
	}
	e->addr = addr;
	e->data = data;
	e->valid = 1;
	return true;
}

static void msi_send(struct mmio_variant *v, unsigned idx)
{
	struct msi_vector *e = &v->msi[idx];
	if (!e->valid) {
		v->unrouted++;
		virtio_dev_warn(v->v2.dev, "MSI entry %u fired before it was programmed", idx);
		return;
	}
	if (e->masked) {
		v->masked_raises++;
		if (v->desc->mask_rule == MASK_PENDING)
			e->pending = 1;
		else
			v->lost_while_masked++;
		return;
	}
	e->fired++;
	v->v2.irq.msi_fire(v->v2.irq.opaque, idx);
}

void variant_msi_mask(struct mmio_variant *v, unsigned idx, bool masked)
{
	if (idx >= v->entries)
		return;
	struct msi_vector *e = &v->msi[idx];
	e->masked = masked;
	if (!masked && e->pending) {
		e->pending = 0;
		v->sent_on_unmask++;
		msi_send(v, idx);
	}
}

void variant_raise_pin(struct mmio_variant *v, uint32_t bit)
{
	/* An edge pin with INTR_USED has nothing to ack for used buffers. */
	if (!(v->edge_pin && bit == VIRTIO_MMIO_INT_VRING))
		v->v2.interrupt_status |= bit;
	v->pin_raises++;
	v->v2.irq.raise_pin(v->v2.irq.opaque);
}

void variant_signal(struct mmio_variant *v, int q)
{
	int idx = v->desc->route(v, q);
	if (idx >= 0)
		msi_send(v, (unsigned)idx);
	else if (idx == ROUTE_NONE)
		v->unrouted++; /* the driver asked for no interrupt */
	else
		variant_raise_pin(v, q == VARIANT_CONFIG ? VIRTIO_MMIO_INT_CONFIG
							 : VIRTIO_MMIO_INT_VRING);
}

static void variant_signal_queue(struct virtio_dev *d, unsigned q)
{
	variant_signal(d->tpriv, (int)q);
}

static void variant_signal_config(struct virtio_dev *d)
{
	variant_signal(d->tpriv, VARIANT_CONFIG);
}

static const struct virtio_transport_ops variant_tops = {
    .signal_queue = variant_signal_queue,
    .signal_config = variant_signal_config,
};

static void variant_reset(struct mmio_variant *v)
{
	v->msi_on = false;
	v->acked_transport = 0;
	for (unsigned i = 0; i <= VIRTIO_MAX_QUEUES; i++) {
		v->map[i] = -1;
		v->ctrl[i] = 0;
	}
	for (unsigned i = 0; i < v->entries; i++)
		v->msi[i].masked = v->msi[i].pending = 0;
	if (v->desc->reset)
		v->desc->reset(v);
}

void mmio_variant_access(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data,
			 unsigned len)
{
	struct virtio_dev *d = v->v2.dev;
	pthread_mutex_lock(&d->lock);
	if (is_write && off == VIRTIO_MMIO_STATUS && len == 4) {
		uint32_t s;
		memcpy(&s, data, 4);
		if (s == 0)
			variant_reset(v);
	}
	if (!is_write)
		memset(data, 0, len);
	/* The device config space stays version 2's; everything else may be the variant's. */
	bool cfg = off >= VIRTIO_MMIO_CONFIG && off < VIRTIO_MMIO_CONFIG + VIRTIO_CONFIG_MAX;
	bool mine = !cfg && v->desc->access(v, off, is_write, data, len);
	pthread_mutex_unlock(&d->lock);
	if (!mine)
		mmio_transport_access(&v->v2, off, is_write, data, len);
}

const char *mmio_variant_reg_name(const struct mmio_variant *v, uint64_t off)
{
	const char *n = v->desc->reg_name(v, off);
	return n ? n : mmio_reg_name(&v->v2, off);
}
