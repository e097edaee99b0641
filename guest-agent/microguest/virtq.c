// SPDX-License-Identifier: MIT
#include "virtq.h"

/* Ring memory: each queue gets 16 KiB of heap, buffers live above them. */
#define RING_REGION(i) (GABI_HEAP_GPA + (uptr)(i)*0x4000)
#define BUF_REGION(i) (GABI_HEAP_GPA + 0x100000 + (uptr)(i)*VQ_SIZE * VQ_BUF_SIZE)

void gvq_init(struct gvq *q, unsigned index)
{
	uptr r = RING_REGION(index);
	memset((void *)r, 0, 0x4000);
	q->index = index;
	q->desc = (struct vring_desc *)r;
	q->avail = (struct vring_avail *)(r + 0x1000);
	q->used = (struct vring_used *)(r + 0x2000);
	q->bufs = (u8 *)BUF_REGION(index);
	q->avail_idx = q->last_used = 0;
	q->in_flight = 0;
	q->callbacks = 0;
	for (unsigned i = 0; i < VQ_SIZE; i++)
		q->desc[i].addr = (u64)(uptr)(q->bufs + i * VQ_BUF_SIZE);
}

void gvq_post(struct gvq *q, u16 id, u32 len, bool writable)
{
	q->desc[id].len = len;
	q->desc[id].flags = writable ? VRING_DESC_F_WRITE : 0;
	q->avail->ring[q->avail_idx % VQ_SIZE] = id;
	wmb(); /* descriptor and ring entry before the index */
	q->avail_idx++;
	*(volatile u16 *)&q->avail->idx = q->avail_idx;
	q->in_flight++;
}

bool gvq_more_used(const struct gvq *q)
{
	return *(volatile u16 *)&q->used->idx != q->last_used;
}

bool gvq_get_used(struct gvq *q, u16 *id, u32 *len)
{
	if (!gvq_more_used(q))
		return false;
	rmb();
	struct vring_used_elem *e = &q->used->ring[q->last_used % VQ_SIZE];
	*id = (u16)e->id;
	*len = e->len;
	q->last_used++;
	q->in_flight--;
	cnt(&mb->q[q->index].used);
	return true;
}

void gvq_kick(struct gvq *q, bool respect_no_notify)
{
	mb_full(); /* the new avail idx must be visible before we read used->flags */
	if (respect_no_notify && (*(volatile u16 *)&q->used->flags & VRING_USED_F_NO_NOTIFY))
		return;
	if (q->notify_width == 2)
		wr16(q->notify_addr, (u16)q->notify_value);
	else
		wr32(q->notify_addr, q->notify_value);
	cnt(&mb->q[q->index].notifies);
}

bool gvq_interrupt(struct gvq *q)
{
	if (!gvq_more_used(q))
		return false;
	q->callbacks++;
	cnt(&mb->q[q->index].callbacks);
	return true;
}

void gvq_post_cmd(struct gvq *q, u32 out_len, u32 in_len)
{
	/* buffer 0 device-readable, chained to buffer 1 device-writable */
	q->desc[0].len = out_len;
	q->desc[0].flags = VRING_DESC_F_NEXT;
	q->desc[0].next = 1;
	q->desc[1].len = in_len;
	q->desc[1].flags = VRING_DESC_F_WRITE;
	q->avail->ring[q->avail_idx % VQ_SIZE] = 0;
	wmb();
	q->avail_idx++;
	*(volatile u16 *)&q->avail->idx = q->avail_idx;
	q->in_flight++;
}
