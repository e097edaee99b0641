/* SPDX-License-Identifier: MIT */
/*
 * A virtio device as its transports see it: status state machine, feature
 * negotiation, queues, config space and counters. Device models (net) fill
 * in virtio_dev_ops; transports (mmio, pci) fill in virtio_transport_ops
 * and drive the device through the virtio_dev_* calls, always under
 * dev->lock.
 */
#ifndef IRQPATH_VMM_VIRTIO_DEV_H
#define IRQPATH_VMM_VIRTIO_DEV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "guest_mem.h"
#include "virtqueue.h"

#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_MAX_QUEUES 33u /* 16 rx/tx pairs + ctrl (GABI_MAX_QUEUES) */
#define VIRTIO_CONFIG_MAX 64u

struct virtio_dev;

struct virtio_dev_ops {
	const char *name;
	uint32_t device_id;
	unsigned num_queues;
	uint64_t features; /* offered to the driver */
	const char *const *queue_names;
	/* The driver made buffers available on queue q (lock held). */
	void (*queue_notify)(struct virtio_dev *d, unsigned q);
	/* The driver reset the device (lock held). */
	void (*reset)(struct virtio_dev *d);
};

struct virtio_transport_ops {
	/* Tell the driver queue q has used buffers (lock held). */
	void (*signal_queue)(struct virtio_dev *d, unsigned q);
	/* Tell the driver the config space / status changed (lock held). */
	void (*signal_config)(struct virtio_dev *d);
	/* DRIVER_OK was just set (lock held). */
	void (*driver_ok)(struct virtio_dev *d);
};

struct virtio_queue_counts {
	uint64_t notifies;   /* notifications the device received */
	uint64_t interrupts; /* used-buffer notifications it sent */
	uint64_t buffers;    /* chains completed */
};

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	void *priv;
	const struct virtio_transport_ops *tops;
	void *tpriv;
	const struct guest_mem *mem;
	pthread_mutex_t lock;

	uint8_t status;
	uint64_t driver_features;
	uint32_t config_generation;
	uint8_t config[VIRTIO_CONFIG_MAX];
	unsigned config_len;
	struct virtqueue vq[VIRTIO_MAX_QUEUES];

	bool broken;
	uint64_t errors;
	char last_error[192];
	struct virtio_queue_counts q[VIRTIO_MAX_QUEUES];
	uint64_t config_interrupts;

	/* Whoever wired the device in: called (lock held) when DRIVER_OK is set. */
	void (*on_driver_ok)(void *opaque);
	void *on_driver_ok_opaque;
};

void virtio_dev_init(struct virtio_dev *d, const struct virtio_dev_ops *ops, void *priv,
		     const struct guest_mem *mem);
/*
 * Status register write: handles reset (0), FEATURES_OK checks, DRIVER_OK.
 * A value past 8 bits is ignored (logged); DRIVER_OK needs accepted
 * features; FAILED makes the device stop until a reset.
 */
void virtio_dev_set_status(struct virtio_dev *d, uint32_t status);
/* Driver-side notification of queue q (any transport). */
void virtio_dev_notify(struct virtio_dev *d, unsigned q);
/* n notifications that arrived together (an ioeventfd counter): one pass. */
void virtio_dev_notify_n(struct virtio_dev *d, unsigned q, uint64_t n);
/* Device model finished buffers on q: interrupt unless the driver opted out. */
void virtio_dev_used(struct virtio_dev *d, unsigned q);
/*
 * The guest misprogrammed the device: log it, count it, set
 * DEVICE_NEEDS_RESET and stop processing until the driver resets.
 */
void virtio_dev_fail(struct virtio_dev *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A guest mistake that is dropped without breaking the device. */
void virtio_dev_warn(struct virtio_dev *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* True once the driver may use the queues. */
bool virtio_dev_live(const struct virtio_dev *d);
const char *virtio_dev_queue_name(const struct virtio_dev *d, unsigned q);

#endif
