// SPDX-License-Identifier: MIT
#include <string.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_reg_names.h"
#include "transport_mmio.h"

const char *mmio_reg_name(const struct mmio_transport *t, uint64_t off)
{
	return off > 0xffff ? NULL : irqpath_mmio_reg_name((unsigned)off, t->version);
}

unsigned mmio_v3_queue_vector(unsigned q, unsigned count, unsigned pairs)
{
	return gabi_plan_entry(q, pairs ? pairs : 1, count);
}

static const struct virtio_transport_ops mmio_tops;

int mmio_transport_init(struct mmio_transport *t, struct virtio_dev *dev, unsigned version,
			unsigned msi_vectors, const struct irq_sink *irq)
{
	if (version != 2 && version != 3)
		return -1;
	if (version == 3 && (msi_vectors == 0 || msi_vectors > MSI_MAX_VECTORS))
		return -1;
	memset(t, 0, sizeof(*t));
	t->dev = dev;
	t->irq = *irq;
	t->version = version;
	t->size = GABI_MMIO_DEV_SIZE;
	t->msi_count = version == 3 ? msi_vectors : 0;
	t->pairs = dev->ops->num_queues > 2 ? dev->ops->num_queues / 2 : 1;
	t->notify_base = IRQPATH_V3_NOTIFY_BASE;
	t->notify_multiplier = IRQPATH_V3_NOTIFY_MULT;
	dev->tops = &mmio_tops;
	dev->tpriv = t;
	return 0;
}

uint64_t mmio_transport_doorbell(const struct mmio_transport *t, unsigned q)
{
	return irqpath_doorbell_off(t->notify_base, t->notify_multiplier, q);
}

/* ---- interrupts ---- */

static void msi_send(struct mmio_transport *t, unsigned idx)
{
	struct msi_vector *v = &t->msi[idx];
	if (!v->valid) {
		virtio_dev_warn(t->dev, "MSI vector %u fired before it was programmed", idx);
		return;
	}
	if (v->masked) {
		v->pending = 1;
		t->msi_masked_pending++;
		return;
	}
	v->fired++;
	t->irq.msi_fire(t->irq.opaque, idx);
}

static void raise_status(struct mmio_transport *t, uint32_t bit)
{
	t->interrupt_status |= bit;
	t->pin_raises++;
	t->irq.raise_pin(t->irq.opaque);
}

static void mmio_signal_queue(struct virtio_dev *d, unsigned q)
{
	struct mmio_transport *t = d->tpriv;
	if (t->msi_enabled)
		msi_send(t, mmio_v3_queue_vector(q, t->msi_count, t->pairs));
	else
		raise_status(t, VIRTIO_MMIO_INT_VRING);
}

static void mmio_signal_config(struct virtio_dev *d)
{
	struct mmio_transport *t = d->tpriv;
	if (t->msi_enabled)
		msi_send(t, VIRTIO_MMIO_MSI_CONFIG_VECTOR);
	else
		raise_status(t, VIRTIO_MMIO_INT_CONFIG);
}

static const struct virtio_transport_ops mmio_tops = {
    .signal_queue = mmio_signal_queue,
    .signal_config = mmio_signal_config,
};

void mmio_transport_resample(struct mmio_transport *t)
{
	pthread_mutex_lock(&t->dev->lock);
	t->resamples++;
	if (t->interrupt_status && !t->msi_enabled) {
		t->resample_raises++;
		t->irq.raise_pin(t->irq.opaque);
	}
	pthread_mutex_unlock(&t->dev->lock);
}

/* ---- register file ---- */

static struct virtqueue *sel_vq(struct mmio_transport *t)
{
	return t->queue_sel < t->dev->ops->num_queues ? &t->dev->vq[t->queue_sel] : NULL;
}

static uint32_t reg_read(struct mmio_transport *t, uint64_t off)
{
	struct virtio_dev *d = t->dev;
	struct virtqueue *vq = sel_vq(t);
	uint64_t f;

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return t->version;
	case VIRTIO_MMIO_DEVICE_ID:
		return d->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		f = d->ops->features;
		return t->dev_features_sel == 0	  ? (uint32_t)f
		       : t->dev_features_sel == 1 ? (uint32_t)(f >> 32)
						  : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? VQ_MAX_SIZE : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq ? vq->ready : 0;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		/* Version 3: where the doorbells are. Write-only before that. */
		return t->version == 3 ? (t->notify_base | t->notify_multiplier << 16) : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return t->msi_enabled ? 0 : t->interrupt_status;
	case VIRTIO_MMIO_STATUS:
		return d->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return d->config_generation;
	case VIRTIO_MMIO_MSI_ADDRESS_LOW:
		return t->version == 3 ? t->msi_addr_lo : 0;
	case VIRTIO_MMIO_MSI_ADDRESS_HIGH:
		return t->version == 3 ? t->msi_addr_hi : 0;
	case VIRTIO_MMIO_MSI_DATA:
		return t->version == 3 ? t->msi_data : 0;
	default:
		return 0;
	}
}

static void set_addr(uint64_t *a, uint32_t v, bool high)
{
	*a = high ? (*a & 0xffffffffull) | (uint64_t)v << 32 : (*a & ~0xffffffffull) | v;
}

static void msi_command(struct mmio_transport *t, uint16_t cmd)
{
	unsigned op = VIRTIO_MMIO_MSI_CMD_OP(cmd), idx = VIRTIO_MMIO_MSI_CMD_ARG(cmd);
	t->msi_commands++;
	if (idx >= t->msi_count) {
		virtio_dev_warn(t->dev, "MSI command %#x names vector %u, device has %u", cmd, idx,
				t->msi_count);
		return;
	}
	struct msi_vector *v = &t->msi[idx];
	switch (op) {
	case VIRTIO_MMIO_MSI_CMD_UPDATE: {
		uint64_t addr = (uint64_t)t->msi_addr_hi << 32 | t->msi_addr_lo;
		if ((addr >> 20) != 0xfee) {
			virtio_dev_warn(t->dev,
					"MSI vector %u address %#llx is not an APIC address", idx,
					(unsigned long long)addr);
			v->valid = 0;
			return;
		}
		if (t->irq.msi_program(t->irq.opaque, idx, addr, t->msi_data)) {
			virtio_dev_warn(t->dev, "MSI vector %u could not be routed", idx);
			v->valid = 0;
			return;
		}
		v->addr = addr;
		v->data = t->msi_data;
		v->valid = 1;
		return;
	}
	case VIRTIO_MMIO_MSI_CMD_MASK:
		v->masked = 1;
		return;
	case VIRTIO_MMIO_MSI_CMD_UNMASK:
		v->masked = 0;
		if (v->pending) {
			v->pending = 0;
			t->msi_sent_on_unmask++;
			msi_send(t, idx);
		}
		return;
	default:
		virtio_dev_warn(t->dev, "unknown MSI command op %u", op);
	}
}

static void reg_write(struct mmio_transport *t, uint64_t off, uint32_t v)
{
	struct virtio_dev *d = t->dev;
	struct virtqueue *vq = sel_vq(t);
	uint64_t *feat = &d->driver_features;

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		t->dev_features_sel = v;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->drv_features_sel < 2)
			*feat = t->drv_features_sel ? (*feat & 0xffffffffull) | (uint64_t)v << 32
						    : (*feat & ~0xffffffffull) | v;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		t->drv_features_sel = v;
		return;
	case VIRTIO_MMIO_QUEUE_SEL:
		t->queue_sel = v;
		return;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		virtio_dev_notify(d, v);
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		if (!t->msi_enabled)
			t->interrupt_status &= ~v;
		return;
	case VIRTIO_MMIO_STATUS:
		if (v == 0) {
			t->interrupt_status = 0;
			t->msi_enabled = false;
		}
		virtio_dev_set_status(d, v);
		return;
	case VIRTIO_MMIO_MSI_ADDRESS_LOW:
		t->msi_addr_lo = v;
		return;
	case VIRTIO_MMIO_MSI_ADDRESS_HIGH:
		t->msi_addr_hi = v;
		return;
	case VIRTIO_MMIO_MSI_DATA:
		t->msi_data = v;
		return;
	}
	if (!vq) {
		virtio_dev_warn(d, "write %#x to %s with QueueSel %u past the last queue", v,
				mmio_reg_name(t, off) ? mmio_reg_name(t, off) : "register",
				t->queue_sel);
		return;
	}
	if (vq->ready && off != VIRTIO_MMIO_QUEUE_READY) {
		virtio_dev_warn(d, "queue %u reconfigured while ready", t->queue_sel);
		return;
	}
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		vq->num = (uint16_t)(v > VQ_MAX_SIZE ? 0 : v);
		return;
	case VIRTIO_MMIO_QUEUE_READY:
		if (v & 1) {
			char err[160];
			if (vq_validate(vq, d->mem, err, sizeof(err))) {
				virtio_dev_fail(d, "queue %u: %s", t->queue_sel, err);
				return;
			}
		}
		vq->ready = v & 1;
		return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_addr(&vq->desc_gpa, v, off == VIRTIO_MMIO_QUEUE_DESC_HIGH);
		return;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_addr(&vq->avail_gpa, v, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH);
		return;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_addr(&vq->used_gpa, v, off == VIRTIO_MMIO_QUEUE_USED_HIGH);
		return;
	}
}

static void msi_status_access(struct mmio_transport *t, bool is_write, uint8_t *data)
{
	uint16_t v;
	if (!is_write) {
		t->msi_status_reads++;
		v = (uint16_t)((t->msi_enabled ? VIRTIO_MMIO_MSI_STATUS_ENABLE : 0) |
			       (t->msi_count & VIRTIO_MMIO_MSI_STATUS_COUNT));
		memcpy(data, &v, 2);
		return;
	}
	t->msi_status_writes++;
	memcpy(&v, data, 2);
	t->msi_enabled = v & VIRTIO_MMIO_MSI_STATUS_ENABLE;
	if (t->msi_enabled)
		t->interrupt_status = 0;
}

void mmio_transport_access(struct mmio_transport *t, uint64_t off, bool is_write, uint8_t *data,
			   unsigned len)
{
	struct virtio_dev *d = t->dev;
	pthread_mutex_lock(&d->lock);
	if (!is_write)
		memset(data, 0, len);

	if (off >= VIRTIO_MMIO_CONFIG && off < VIRTIO_MMIO_CONFIG + VIRTIO_CONFIG_MAX) {
		/* Device config: any width, bounded by the config size. */
		uint64_t c = off - VIRTIO_MMIO_CONFIG;
		if (len > 8 || c + len > d->config_len) {
			t->bad_accesses++;
		} else if (is_write) {
			t->config_writes++; /* net config is read-only */
		} else {
			t->config_reads++;
			memcpy(data, d->config + c, len);
		}
	} else if (t->version == 3 && off >= t->notify_base && off < t->size) {
		/* Per-queue doorbells (used when not served by an ioeventfd). */
		uint64_t rel = off - t->notify_base;
		unsigned q = (unsigned)(rel / t->notify_multiplier);
		if (!is_write || rel % t->notify_multiplier || q >= d->ops->num_queues) {
			t->bad_accesses++;
			virtio_dev_warn(d, "doorbell %s at window offset %#llx is not a queue's",
					is_write ? "write" : "read", (unsigned long long)off);
		} else {
			t->doorbell_writes++;
			virtio_dev_notify(d, q);
		}
	} else if (t->version == 3 && off == VIRTIO_MMIO_MSI_STATUS && len == 2) {
		msi_status_access(t, is_write, data);
	} else if (t->version == 3 && off == VIRTIO_MMIO_MSI_COMMAND && len == 2 && is_write) {
		uint16_t cmd;
		memcpy(&cmd, data, 2);
		msi_command(t, cmd);
	} else if (off < MMIO_REG_SLOTS * 4 && len == 4 && !(off & 3) && mmio_reg_name(t, off)) {
		uint32_t v;
		if (is_write) {
			t->writes[off / 4]++;
			memcpy(&v, data, 4);
			reg_write(t, off, v);
		} else {
			t->reads[off / 4]++;
			v = reg_read(t, off);
			memcpy(data, &v, 4);
		}
	} else {
		t->bad_accesses++;
		virtio_dev_warn(d, "%u-byte %s at window offset %#llx is not a register", len,
				is_write ? "write" : "read", (unsigned long long)off);
	}
	pthread_mutex_unlock(&d->lock);
}
