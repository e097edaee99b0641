// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include "virtqueue.h"

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* Ring layout sizes for a queue of num entries (split ring, no event idx). */
static uint64_t desc_bytes(uint16_t num)
{
	return 16ull * num;
}
static uint64_t avail_bytes(uint16_t num)
{
	return 4 + 2ull * num;
}
static uint64_t used_bytes(uint16_t num)
{
	return 4 + 8ull * num;
}

int vq_validate(const struct virtqueue *vq, const struct guest_mem *m, char *err, size_t errlen)
{
	if (vq->num == 0 || vq->num > VQ_MAX_SIZE || (vq->num & (vq->num - 1))) {
		snprintf(err, errlen, "queue size %u is not a power of 2 in 1..%u", vq->num,
			 VQ_MAX_SIZE);
		return -1;
	}
	if (!gm_ptr(m, vq->desc_gpa, desc_bytes(vq->num)) || (vq->desc_gpa & 15)) {
		snprintf(err, errlen, "descriptor table at %#llx is outside RAM or misaligned",
			 (unsigned long long)vq->desc_gpa);
		return -1;
	}
	if (!gm_ptr(m, vq->avail_gpa, avail_bytes(vq->num)) || (vq->avail_gpa & 1)) {
		snprintf(err, errlen, "avail ring at %#llx is outside RAM or misaligned",
			 (unsigned long long)vq->avail_gpa);
		return -1;
	}
	if (!gm_ptr(m, vq->used_gpa, used_bytes(vq->num)) || (vq->used_gpa & 3)) {
		snprintf(err, errlen, "used ring at %#llx is outside RAM or misaligned",
			 (unsigned long long)vq->used_gpa);
		return -1;
	}
	return 0;
}

static uint16_t load16(const void *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
}

enum vq_status vq_pop(struct virtqueue *vq, const struct guest_mem *m, struct vq_chain *c,
		      char *err, size_t errlen)
{
	if (vq_validate(vq, m, err, errlen))
		return VQ_ERR;
	uint8_t *avail = gm_ptr(m, vq->avail_gpa, avail_bytes(vq->num));
	const struct vring_desc *desc = gm_ptr(m, vq->desc_gpa, desc_bytes(vq->num));
	uint16_t avail_idx = load16(avail + 2);
	uint16_t pending = (uint16_t)(avail_idx - vq->last_avail);

	if (pending == 0)
		return VQ_EMPTY;
	if (pending > vq->num) {
		snprintf(err, errlen,
			 "avail idx %u is %u entries ahead of the device (ring has %u)", avail_idx,
			 pending, vq->num);
		return VQ_ERR;
	}
	uint16_t head = load16(avail + 4 + 2 * (vq->last_avail % vq->num));
	if (head >= vq->num) {
		snprintf(err, errlen, "avail entry names descriptor %u, ring has %u", head,
			 vq->num);
		return VQ_ERR;
	}

	memset(c, 0, sizeof(*c));
	c->head = head;
	uint16_t i = head;
	bool seen_writable = false;
	for (unsigned steps = 0;; steps++) {
		if (steps >= vq->num) {
			snprintf(err, errlen, "descriptor chain from %u loops or exceeds the ring",
				 head);
			return VQ_ERR;
		}
		struct vring_desc d;
		memcpy(&d, &desc[i], sizeof(d)); /* one snapshot: the guest may race us */
		if (d.flags & VRING_DESC_F_INDIRECT) {
			snprintf(err, errlen, "descriptor %u is indirect, which was not offered",
				 i);
			return VQ_ERR;
		}
		if (d.len == 0) {
			snprintf(err, errlen, "descriptor %u has length 0", i);
			return VQ_ERR;
		}
		uint8_t *host = gm_ptr(m, d.addr, d.len);
		if (!host) {
			snprintf(
			    err, errlen,
			    "descriptor %u buffer %#llx+%u lies outside guest RAM (%llu bytes)", i,
			    (unsigned long long)d.addr, d.len, (unsigned long long)m->size);
			return VQ_ERR;
		}
		bool w = d.flags & VRING_DESC_F_WRITE;
		if (!w && seen_writable) {
			snprintf(err, errlen, "descriptor %u is readable after a writable one", i);
			return VQ_ERR;
		}
		seen_writable |= w;
		if (c->nsegs == VQ_MAX_SEGS) {
			snprintf(err, errlen, "descriptor chain from %u has more than %u segments",
				 head, VQ_MAX_SEGS);
			return VQ_ERR;
		}
		c->seg[c->nsegs++] = (struct vq_seg){.host = host, .len = d.len, .writable = w};
		if (w)
			c->writable_len += d.len;
		else
			c->readable_len += d.len;
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		if (d.next >= vq->num) {
			snprintf(err, errlen, "descriptor %u links to %u, ring has %u", i, d.next,
				 vq->num);
			return VQ_ERR;
		}
		i = d.next;
	}
	vq->last_avail++;
	return VQ_GOT;
}

int vq_push(struct virtqueue *vq, const struct guest_mem *m, uint16_t head, uint32_t len)
{
	uint8_t *used = gm_ptr(m, vq->used_gpa, used_bytes(vq->num));
	if (!used)
		return -1;
	uint8_t *elem = used + 4 + 8 * (vq->used_idx % vq->num);
	uint32_t id = head;
	memcpy(elem, &id, 4);
	memcpy(elem + 4, &len, 4);
	vq->used_idx++;
	/* Publish the element before the index the driver polls. */
	__atomic_store_n((uint16_t *)(used + 2), vq->used_idx, __ATOMIC_RELEASE);
	return 0;
}

bool vq_wants_interrupt(const struct virtqueue *vq, const struct guest_mem *m)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	const uint8_t *avail = gm_ptr(m, vq->avail_gpa, avail_bytes(vq->num));
	return avail && !(load16(avail) & VRING_AVAIL_F_NO_INTERRUPT);
}

void vq_set_no_notify(struct virtqueue *vq, const struct guest_mem *m, bool no_notify)
{
	uint8_t *used = gm_ptr(m, vq->used_gpa, used_bytes(vq->num));
	if (used)
		__atomic_store_n((uint16_t *)used, no_notify ? VRING_USED_F_NO_NOTIFY : 0,
				 __ATOMIC_RELEASE);
}

uint64_t vq_chain_read(const struct vq_chain *c, void *buf, uint64_t cap)
{
	uint64_t done = 0;
	for (unsigned i = 0; i < c->nsegs && done < cap; i++) {
		if (c->seg[i].writable)
			continue;
		uint64_t n = c->seg[i].len;
		if (n > cap - done)
			n = cap - done;
		memcpy((uint8_t *)buf + done, c->seg[i].host, n);
		done += n;
	}
	return done;
}

uint64_t vq_chain_write(const struct vq_chain *c, const void *buf, uint64_t len)
{
	uint64_t done = 0;
	for (unsigned i = 0; i < c->nsegs && done < len; i++) {
		if (!c->seg[i].writable)
			continue;
		uint64_t n = c->seg[i].len;
		if (n > len - done)
			n = len - done;
		memcpy(c->seg[i].host, (const uint8_t *)buf + done, n);
		done += n;
	}
	return done;
}
