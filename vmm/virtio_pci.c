// SPDX-License-Identifier: MIT
#include <string.h>
#include "virtio_pci.h"

int virtio_pci_common_index(unsigned off)
{
	for (unsigned i = 0; i < IRQPATH_PCI_NCOMMON; i++)
		if (irqpath_pci_common[i].offset == off)
			return (int)i;
	return -1;
}

const char *virtio_pci_reg_name(uint64_t off)
{
	if (off < VPCI_COMMON_LEN) {
		int i = virtio_pci_common_index((unsigned)off);
		return i >= 0 ? irqpath_pci_common[i].name : NULL;
	}
	for (unsigned i = 0; i < IRQPATH_PCI_NREGIONS; i++)
		if (off >= irqpath_pci_regions[i].offset &&
		    off < irqpath_pci_regions[i].offset + IRQPATH_VPCI_REGION_SIZE)
			return irqpath_pci_regions[i].name;
	return NULL;
}

/* ---- interrupts ---- */

static bool msix_on(struct virtio_pci *p)
{
	return pci_msix_flags(&p->ep) & PCI_MSIX_FLAGS_ENABLE;
}

static void msix_send(struct virtio_pci *p, uint16_t idx)
{
	if (idx == VIRTIO_MSI_NO_VECTOR)
		return; /* the driver asked for no interrupt */
	if (idx >= p->msix_count) {
		p->msix_dropped++;
		return;
	}
	struct msi_vector *v = &p->msix[idx];
	if (v->masked || (pci_msix_flags(&p->ep) & PCI_MSIX_FLAGS_MASKALL)) {
		v->pending = 1;
		return;
	}
	if (p->msix_dirty[idx]) {
		p->msix_dirty[idx] = 0;
		v->valid = 0;
		if ((v->addr >> 20) != 0xfee)
			virtio_dev_warn(p->dev,
					"MSI-X entry %u address %#llx is not an APIC address", idx,
					(unsigned long long)v->addr);
		else if (p->irq.msi_program(p->irq.opaque, idx, v->addr, v->data))
			virtio_dev_warn(
			    p->dev, "MSI-X entry %u (address %#llx, data %#x) could not be routed",
			    idx, (unsigned long long)v->addr, v->data);
		else
			v->valid = 1;
	}
	if (!v->valid) {
		p->msix_dropped++;
		return;
	}
	v->fired++;
	p->irq.msi_fire(p->irq.opaque, idx);
}

static void intx_raise(struct virtio_pci *p, uint8_t bit)
{
	p->isr |= bit;
	if (p->ep.cfg[PCI_COMMAND + 1] & (PCI_COMMAND_INTX_DISABLE >> 8))
		return;
	p->intx_raises++;
	p->irq.raise_pin(p->irq.opaque);
}

static void pci_signal_queue(struct virtio_dev *d, unsigned q)
{
	struct virtio_pci *p = d->tpriv;
	if (msix_on(p))
		msix_send(p, p->queue_vector[q]);
	else
		intx_raise(p, 1);
}

static void pci_signal_config(struct virtio_dev *d)
{
	struct virtio_pci *p = d->tpriv;
	if (msix_on(p))
		msix_send(p, p->config_vector);
	else
		intx_raise(p, 2);
}

static const struct virtio_transport_ops pci_tops = {
    .signal_queue = pci_signal_queue,
    .signal_config = pci_signal_config,
};

uint64_t virtio_pci_doorbell(unsigned q)
{
	/* queue_notify_off reads back q: the doorbells are consecutive */
	return irqpath_doorbell_off(VPCI_NOTIFY_OFF, VPCI_NOTIFY_MULT, q);
}

int virtio_pci_init(struct virtio_pci *p, struct virtio_dev *dev, uint32_t bar0_addr,
		    unsigned msix_vectors, const struct irq_sink *irq)
{
	if (msix_vectors == 0 || msix_vectors > MSI_MAX_VECTORS)
		return -1;
	memset(p, 0, sizeof(*p));
	p->dev = dev;
	p->irq = *irq;
	p->msix_count = msix_vectors;
	p->config_vector = VIRTIO_MSI_NO_VECTOR;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		p->queue_vector[q] = VIRTIO_MSI_NO_VECTOR;
	for (unsigned i = 0; i < MSI_MAX_VECTORS; i++)
		p->msix[i].masked = 1; /* the spec's reset state */
	pci_endpoint_init(&p->ep, 0x1af4, (uint16_t)(0x1040 + dev->ops->device_id),
			  0x02000001u /* network controller, revision 1 */, 0x1af4, 0x1100,
			  bar0_addr, VPCI_BAR0_SIZE);
	pci_bus_init(&p->bus, &p->ep);

	/* virtio_pci_cap: vndr, next, len, cfg_type, bar, id, pad[2], offset, length */
	struct {
		uint8_t type;
		uint32_t off, len;
	} caps[] = {
	    {1, VPCI_COMMON_OFF, VPCI_COMMON_LEN},
	    {3, VPCI_ISR_OFF, 4},
	    {4, VPCI_DEVCFG_OFF, dev->config_len},
	};
	for (unsigned i = 0; i < 3; i++) {
		uint8_t c[16] = {PCI_CAP_ID_VNDR, 0, 16, caps[i].type, 0};
		memcpy(c + 8, &caps[i].off, 4);
		memcpy(c + 12, &caps[i].len, 4);
		pci_add_cap(&p->ep, c, 16);
	}
	uint8_t n[20] = {PCI_CAP_ID_VNDR, 0, 20, 2, 0};
	uint32_t noff = VPCI_NOTIFY_OFF, nlen = VPCI_NOTIFY_MULT * dev->ops->num_queues,
		 mult = VPCI_NOTIFY_MULT;
	memcpy(n + 8, &noff, 4);
	memcpy(n + 12, &nlen, 4);
	memcpy(n + 16, &mult, 4);
	pci_add_cap(&p->ep, n, 20);
	uint8_t m[12] = {PCI_CAP_ID_MSIX, 0};
	uint16_t flags = (uint16_t)(msix_vectors - 1);
	uint32_t table = VPCI_MSIX_TABLE_OFF, pba = VPCI_MSIX_PBA_OFF; /* BIR 0 */
	memcpy(m + 2, &flags, 2);
	memcpy(m + 4, &table, 4);
	memcpy(m + 8, &pba, 4);
	pci_add_cap(&p->ep, m, 12);

	dev->tops = &pci_tops;
	dev->tpriv = p;
	return 0;
}

/* ---- BAR0 ---- */

static struct virtqueue *sel_vq(struct virtio_pci *p)
{
	return p->queue_select < p->dev->ops->num_queues ? &p->dev->vq[p->queue_select] : NULL;
}

static uint32_t common_read(struct virtio_pci *p, unsigned off)
{
	struct virtio_dev *d = p->dev;
	struct virtqueue *vq = sel_vq(p);
	switch (off) {
	case VPCI_DFSELECT:
		return p->dfselect;
	case VPCI_DF:
		return p->dfselect == 0	  ? (uint32_t)d->ops->features
		       : p->dfselect == 1 ? (uint32_t)(d->ops->features >> 32)
					  : 0;
	case VPCI_GFSELECT:
		return p->gfselect;
	case VPCI_GF:
		return p->gfselect < 2 ? (uint32_t)(d->driver_features >> (32 * p->gfselect)) : 0;
	case VPCI_MSIX_CONFIG:
		return p->config_vector;
	case VPCI_NUM_QUEUES:
		return d->ops->num_queues;
	case VPCI_STATUS:
		return d->status;
	case VPCI_CFG_GENERATION:
		return d->config_generation;
	case VPCI_Q_SELECT:
		return p->queue_select;
	case VPCI_Q_SIZE:
		return vq ? (vq->num ? vq->num : VQ_MAX_SIZE) : 0;
	case VPCI_Q_MSIX:
		return vq ? p->queue_vector[p->queue_select] : VIRTIO_MSI_NO_VECTOR;
	case VPCI_Q_ENABLE:
		return vq ? vq->ready : 0;
	case VPCI_Q_NOFF:
		return vq ? p->queue_select : 0;
	case VPCI_Q_DESCLO:
		return vq ? (uint32_t)vq->desc_gpa : 0;
	case VPCI_Q_DESCHI:
		return vq ? (uint32_t)(vq->desc_gpa >> 32) : 0;
	case VPCI_Q_AVAILLO:
		return vq ? (uint32_t)vq->avail_gpa : 0;
	case VPCI_Q_AVAILHI:
		return vq ? (uint32_t)(vq->avail_gpa >> 32) : 0;
	case VPCI_Q_USEDLO:
		return vq ? (uint32_t)vq->used_gpa : 0;
	case VPCI_Q_USEDHI:
		return vq ? (uint32_t)(vq->used_gpa >> 32) : 0;
	}
	return 0;
}

static void set_half(uint64_t *a, uint32_t v, bool high)
{
	*a = high ? (*a & 0xffffffffull) | (uint64_t)v << 32 : (*a & ~0xffffffffull) | v;
}

/* A vector index the driver may use: in the table, or NO_VECTOR. */
static uint16_t checked_vector(struct virtio_pci *p, uint32_t v)
{
	if (v == VIRTIO_MSI_NO_VECTOR || v < p->msix_count)
		return (uint16_t)v;
	virtio_dev_warn(p->dev, "MSI-X vector %u past the table (%u entries)", v, p->msix_count);
	return VIRTIO_MSI_NO_VECTOR; /* reads back as NO_VECTOR: the driver sees the refusal */
}

static void common_write(struct virtio_pci *p, unsigned off, uint32_t v)
{
	struct virtio_dev *d = p->dev;
	struct virtqueue *vq = sel_vq(p);
	switch (off) {
	case VPCI_DFSELECT:
		p->dfselect = v;
		return;
	case VPCI_GFSELECT:
		p->gfselect = v;
		return;
	case VPCI_GF:
		if (p->gfselect < 2)
			set_half(&d->driver_features, v, p->gfselect == 1);
		return;
	case VPCI_MSIX_CONFIG:
		p->config_vector = checked_vector(p, v);
		return;
	case VPCI_STATUS:
		if (v == 0) {
			p->isr = 0;
			p->config_vector = VIRTIO_MSI_NO_VECTOR;
			for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
				p->queue_vector[q] = VIRTIO_MSI_NO_VECTOR;
		}
		virtio_dev_set_status(d, v);
		return;
	case VPCI_Q_SELECT:
		p->queue_select = (uint16_t)v;
		return;
	case VPCI_DF:
	case VPCI_NUM_QUEUES:
	case VPCI_CFG_GENERATION:
	case VPCI_Q_NOFF:
		return; /* read-only */
	}
	if (!vq) {
		virtio_dev_warn(d,
				"queue register %#x written with queue_select %u past the last "
				"queue",
				off, p->queue_select);
		return;
	}
	if (off == VPCI_Q_MSIX) {
		p->queue_vector[p->queue_select] = checked_vector(p, v);
		return;
	}
	if (vq->ready) {
		virtio_dev_warn(d, "queue %u reconfigured while enabled", p->queue_select);
		return;
	}
	switch (off) {
	case VPCI_Q_SIZE:
		vq->num = (uint16_t)(v > VQ_MAX_SIZE ? 0 : v);
		return;
	case VPCI_Q_ENABLE:
		if (v == 1) {
			char err[160];
			if (vq_validate(vq, d->mem, err, sizeof(err))) {
				virtio_dev_fail(d, "queue %u: %s", p->queue_select, err);
				return;
			}
			vq->ready = true;
		}
		return;
	case VPCI_Q_DESCLO:
	case VPCI_Q_DESCHI:
		set_half(&vq->desc_gpa, v, off == VPCI_Q_DESCHI);
		return;
	case VPCI_Q_AVAILLO:
	case VPCI_Q_AVAILHI:
		set_half(&vq->avail_gpa, v, off == VPCI_Q_AVAILHI);
		return;
	case VPCI_Q_USEDLO:
	case VPCI_Q_USEDHI:
		set_half(&vq->used_gpa, v, off == VPCI_Q_USEDHI);
		return;
	}
}

static void common_access(struct virtio_pci *p, unsigned off, bool is_write, uint8_t *data,
			  unsigned len)
{
	int i = virtio_pci_common_index(off);
	/* 64-bit queue addresses may come as one 8-byte access: split it. */
	if (i >= 0 && len == 8 && irqpath_pci_common[i].width == 4 && off >= VPCI_Q_DESCLO &&
	    !(off & 7)) {
		common_access(p, off, is_write, data, 4);
		common_access(p, off + 4, is_write, data + 4, 4);
		return;
	}
	if (i < 0 || irqpath_pci_common[i].width != len) {
		p->bad_accesses++;
		virtio_dev_warn(p->dev, "%u-byte access at common config %#x is not a field", len,
				off);
		return;
	}
	uint32_t v = 0;
	if (is_write) {
		p->common_writes[i]++;
		memcpy(&v, data, len);
		common_write(p, off, v);
	} else {
		p->common_reads[i]++;
		v = common_read(p, off);
		memcpy(data, &v, len);
	}
}

static void msix_table_access(struct virtio_pci *p, uint64_t off, bool is_write, uint8_t *data,
			      unsigned len)
{
	unsigned idx = (unsigned)(off / 16), field = (unsigned)(off % 16);
	if (idx >= p->msix_count || (len != 4 && len != 8) || (off & (len - 1))) {
		p->bad_accesses++;
		virtio_dev_warn(p->dev, "%u-byte MSI-X table access at %#llx is not an entry", len,
				(unsigned long long)off);
		return;
	}
	if (len == 8) {
		msix_table_access(p, off, is_write, data, 4);
		msix_table_access(p, off + 4, is_write, data + 4, 4);
		return;
	}
	struct msi_vector *v = &p->msix[idx];
	uint32_t val = 0;
	if (!is_write) {
		p->msix_table_reads++;
		val = field == 0   ? (uint32_t)v->addr
		      : field == 4 ? (uint32_t)(v->addr >> 32)
		      : field == 8 ? v->data
				   : v->masked;
		memcpy(data, &val, 4);
		return;
	}
	p->msix_table_writes++;
	memcpy(&val, data, 4);
	switch (field) {
	case 0:
		set_half(&v->addr, val, false);
		p->msix_dirty[idx] = 1;
		break;
	case 4:
		set_half(&v->addr, val, true);
		p->msix_dirty[idx] = 1;
		break;
	case 8:
		v->data = val;
		p->msix_dirty[idx] = 1;
		break;
	default:
		v->masked = val & 1;
		if (!v->masked && v->pending) {
			v->pending = 0;
			msix_send(p, (uint16_t)idx);
		}
	}
}

void virtio_pci_bar_access(struct virtio_pci *p, uint64_t off, bool is_write, uint8_t *data,
			   unsigned len)
{
	struct virtio_dev *d = p->dev;
	pthread_mutex_lock(&d->lock);
	if (!is_write)
		memset(data, 0, len);
	if (!pci_memory_enabled(&p->ep)) {
		p->disabled_accesses++; /* memory decoding off: the access goes nowhere */
		if (!is_write)
			memset(data, 0xff, len);
	} else if (off < VPCI_COMMON_LEN) {
		common_access(p, (unsigned)off, is_write, data, len);
	} else if (off == VPCI_ISR_OFF && len == 1 && !is_write) {
		/* Reading the ISR returns and clears it (and lowers INTx). */
		p->isr_reads++;
		data[0] = p->isr;
		p->isr = 0;
	} else if (off >= VPCI_DEVCFG_OFF && off + len <= VPCI_DEVCFG_OFF + d->config_len &&
		   !is_write) {
		p->devcfg_reads++;
		memcpy(data, d->config + (off - VPCI_DEVCFG_OFF), len);
	} else if (off >= VPCI_NOTIFY_OFF && off < VPCI_NOTIFY_OFF + 0x1000 && is_write) {
		uint64_t rel = off - VPCI_NOTIFY_OFF;
		unsigned q = (unsigned)(rel / VPCI_NOTIFY_MULT);
		if (rel % VPCI_NOTIFY_MULT || q >= d->ops->num_queues) {
			p->bad_accesses++;
			virtio_dev_warn(
			    d, "notify write at BAR offset %#llx is not a queue's doorbell",
			    (unsigned long long)off);
		} else {
			p->notify_writes++;
			virtio_dev_notify(d, q);
		}
	} else if (off >= VPCI_MSIX_TABLE_OFF && off < VPCI_MSIX_PBA_OFF) {
		msix_table_access(p, off - VPCI_MSIX_TABLE_OFF, is_write, data, len);
	} else if (off >= VPCI_MSIX_PBA_OFF && off < VPCI_MSIX_PBA_OFF + 8 && !is_write &&
		   (len == 4 || len == 8) && !(off & (len - 1))) {
		p->pba_reads++;
		uint64_t bits = 0;
		for (unsigned i = 0; i < p->msix_count; i++)
			bits |= (uint64_t)p->msix[i].pending << i;
		bits >>= 8 * (off - VPCI_MSIX_PBA_OFF);
		memcpy(data, &bits, len);
	} else {
		p->bad_accesses++;
		virtio_dev_warn(d, "%u-byte %s at BAR0 offset %#llx is not a register", len,
				is_write ? "write" : "read", (unsigned long long)off);
	}
	pthread_mutex_unlock(&d->lock);
}

void virtio_pci_cfg_io(struct virtio_pci *p, uint16_t port, bool is_write, uint8_t *data,
		       unsigned len)
{
	pthread_mutex_lock(&p->dev->lock);
	pci_bus_io(&p->bus, port, is_write, data, len);
	/* Unmasking the function or enabling MSI-X releases pending vectors. */
	if (is_write && msix_on(p) && !(pci_msix_flags(&p->ep) & PCI_MSIX_FLAGS_MASKALL))
		for (unsigned i = 0; i < p->msix_count; i++)
			if (p->msix[i].pending && !p->msix[i].masked) {
				p->msix[i].pending = 0;
				msix_send(p, (uint16_t)i);
			}
	pthread_mutex_unlock(&p->dev->lock);
}
