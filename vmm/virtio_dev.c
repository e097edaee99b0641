// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "virtio_dev.h"

void virtio_dev_init(struct virtio_dev *d, const struct virtio_dev_ops *ops, void *priv,
		     const struct guest_mem *mem)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->priv = priv;
	d->mem = mem;
	pthread_mutex_init(&d->lock, NULL);
}

static void reset_queues(struct virtio_dev *d)
{
	memset(d->vq, 0, sizeof(d->vq));
}

static void vlog(struct virtio_dev *d, const char *kind, const char *fmt, va_list ap)
{
	vsnprintf(d->last_error, sizeof(d->last_error), fmt, ap);
	d->errors++;
	/* Rate-limited: a hostile guest must not flood the console. */
	if (d->errors <= 10)
		fprintf(stderr, "irqpath-vmm: %s %s: %s\n", d->ops->name, kind, d->last_error);
}

void virtio_dev_fail(struct virtio_dev *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(d, "error (device needs reset)", fmt, ap);
	va_end(ap);
	if (d->broken)
		return;
	d->broken = true;
	d->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (d->status & VIRTIO_STATUS_DRIVER_OK) {
		d->config_interrupts++;
		if (d->tops && d->tops->signal_config)
			d->tops->signal_config(d);
	}
}

void virtio_dev_warn(struct virtio_dev *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(d, "dropped guest request", fmt, ap);
	va_end(ap);
}

void virtio_dev_set_status(struct virtio_dev *d, uint32_t status)
{
	/* The register holds 8 bits: a wider value is a driver bug, not a reset. */
	if (status > 0xff) {
		virtio_dev_warn(d, "status write %#x sets bits past the 8 defined; ignored",
				status);
		return;
	}
	if (status == 0) {
		d->status = 0;
		d->driver_features = 0;
		d->broken = false;
		reset_queues(d);
		if (d->ops->reset)
			d->ops->reset(d);
		return;
	}
	uint8_t old = d->status;
	if ((status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		/* Accept only a subset of what was offered, and require 1.0. */
		if ((d->driver_features & ~d->ops->features) ||
		    !(d->driver_features & VIRTIO_F_VERSION_1))
			status &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	/* No DRIVER_OK without accepted features (refused, or never asked). */
	if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK) &&
	    !(status & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_warn(d, "DRIVER_OK without FEATURES_OK accepted (status %#x); ignored",
				status);
		status &= ~VIRTIO_STATUS_DRIVER_OK;
	}
	/* The driver cannot clear NEEDS_RESET by writing; only a reset does. */
	d->status = (uint8_t)(status | (old & VIRTIO_STATUS_NEEDS_RESET));
	if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK) &&
	    !(status & VIRTIO_STATUS_FAILED)) {
		if (d->tops && d->tops->driver_ok)
			d->tops->driver_ok(d);
		if (d->on_driver_ok)
			d->on_driver_ok(d->on_driver_ok_opaque);
	}
}

/* Live: DRIVER_OK set, and neither the device (NEEDS_RESET) nor the driver (FAILED) gave up. */
bool virtio_dev_live(const struct virtio_dev *d)
{
	return (d->status & VIRTIO_STATUS_DRIVER_OK) && !(d->status & VIRTIO_STATUS_FAILED) &&
	       !d->broken;
}

void virtio_dev_notify(struct virtio_dev *d, unsigned q)
{
	virtio_dev_notify_n(d, q, 1);
}

void virtio_dev_notify_n(struct virtio_dev *d, unsigned q, uint64_t n)
{
	if (q >= d->ops->num_queues) {
		virtio_dev_warn(d, "notify for queue %u, device has %u", q, d->ops->num_queues);
		return;
	}
	d->q[q].notifies += n;
	if (!virtio_dev_live(d) || !d->vq[q].ready)
		return;
	d->ops->queue_notify(d, q);
}

void virtio_dev_used(struct virtio_dev *d, unsigned q)
{
	if (!vq_wants_interrupt(&d->vq[q], d->mem))
		return;
	d->q[q].interrupts++;
	d->tops->signal_queue(d, q);
}

const char *virtio_dev_queue_name(const struct virtio_dev *d, unsigned q)
{
	return q < d->ops->num_queues && d->ops->queue_names ? d->ops->queue_names[q] : "?";
}
