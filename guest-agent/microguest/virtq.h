/* SPDX-License-Identifier: MIT */
/* Driver side of a split virtqueue with one buffer per descriptor. */
#ifndef MICROGUEST_VIRTQ_H
#define MICROGUEST_VIRTQ_H

#include "guest.h"

#define VQ_SIZE 16u
#define VQ_BUF_SIZE 2048u
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags, next;
};
struct vring_avail {
	u16 flags, idx, ring[VQ_SIZE];
};
struct vring_used_elem {
	u32 id, len;
};
struct vring_used {
	u16 flags, idx;
	struct vring_used_elem ring[VQ_SIZE];
};

struct gvq {
	unsigned index;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u8 *bufs;	    /* VQ_SIZE buffers of VQ_BUF_SIZE, buffer i <-> desc i */
	u16 avail_idx;	    /* next avail slot */
	u16 last_used;	    /* next used entry to consume */
	unsigned in_flight; /* buffers the device holds */
	uptr notify_addr;   /* doorbell, computed once at setup */
	u32 notify_value;
	unsigned notify_width;	/* 4 (mmio) or 2 (pci) */
	volatile u64 callbacks; /* bumped by the interrupt handler */
};

void gvq_init(struct gvq *q, unsigned index);
/* Posts buffer id with len bytes (device-writable if writable). */
void gvq_post(struct gvq *q, u16 id, u32 len, bool writable);
/* A two-buffer command (ctrl queue): buffer 0 out, buffer 1 in. */
void gvq_post_cmd(struct gvq *q, u32 out_len, u32 in_len);
bool gvq_more_used(const struct gvq *q);
/* Takes one used entry; returns its id and written length. */
bool gvq_get_used(struct gvq *q, u16 *id, u32 *len);
/* Writes the doorbell unless the device asked not to be notified. */
void gvq_kick(struct gvq *q, bool respect_no_notify);
/* What Linux's vring_interrupt does: callback if there is work. */
bool gvq_interrupt(struct gvq *q);

#endif
