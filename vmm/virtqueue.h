/* SPDX-License-Identifier: MIT */
/*
 * Device side of a split virtqueue (virtio 1.x, section 2.7). The walker
 * treats every index, address and length in guest memory as hostile:
 * out-of-range heads, descriptor loops, chains longer than the ring,
 * zero or huge lengths and buffers outside RAM are all reported as errors
 * instead of being followed.
 */
#ifndef IRQPATH_VMM_VIRTQUEUE_H
#define IRQPATH_VMM_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include "guest_mem.h"

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1

#define VQ_MAX_SIZE 256u
#define VQ_MAX_SEGS 16u

struct vq_seg {
	uint8_t *host; /* validated host pointer */
	uint32_t len;
	bool writable; /* device writes into it */
};

struct vq_chain {
	uint16_t head;
	unsigned nsegs;
	uint64_t readable_len, writable_len;
	struct vq_seg seg[VQ_MAX_SEGS];
};

struct virtqueue {
	uint16_t num; /* size the driver chose (power of 2, <= VQ_MAX_SIZE) */
	bool ready;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t last_avail; /* next avail entry the device will take */
	uint16_t used_idx;   /* device's copy of used->idx */
};

enum vq_status {
	VQ_EMPTY = 0,
	VQ_GOT = 1,
	VQ_ERR = -1,
};

/* Checks that the three ring areas lie in RAM and num is a power of 2. */
int vq_validate(const struct virtqueue *vq, const struct guest_mem *m, char *err, size_t errlen);

/* Takes the next available chain. On VQ_ERR, err says what the guest did. */
enum vq_status vq_pop(struct virtqueue *vq, const struct guest_mem *m, struct vq_chain *c,
		      char *err, size_t errlen);

/* Returns a chain to the driver with len bytes written. */
int vq_push(struct virtqueue *vq, const struct guest_mem *m, uint16_t head, uint32_t len);

/* True unless the driver set VRING_AVAIL_F_NO_INTERRUPT. */
bool vq_wants_interrupt(const struct virtqueue *vq, const struct guest_mem *m);

/* Sets or clears VRING_USED_F_NO_NOTIFY. */
void vq_set_no_notify(struct virtqueue *vq, const struct guest_mem *m, bool no_notify);

/* Copies a chain's readable bytes into buf (at most cap); returns bytes copied. */
uint64_t vq_chain_read(const struct vq_chain *c, void *buf, uint64_t cap);
/* Copies len bytes into the chain's writable segments; returns bytes written. */
uint64_t vq_chain_write(const struct vq_chain *c, const void *buf, uint64_t len);

#endif
