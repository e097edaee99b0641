// SPDX-License-Identifier: MIT
/*
 * The split-virtqueue walker over a guest memory image the fuzzer writes.
 *
 * Input: header (RAM size, ring geometry, device indices), image bytes
 * copied to guest-physical 0, then operations (pop, push, chain copies,
 * flag updates). Guest RAM is a heap block of exactly its size, so ASan
 * reports any host access the walker lets escape it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "virtqueue.h"

#define PAGE 4096u
#define MAX_PAGES 16u
#define COPY_MAX (VQ_MAX_SEGS * MAX_PAGES * PAGE)

static uint8_t copybuf[COPY_MAX];

static void check_chain(const struct guest_mem *m, const struct virtqueue *vq,
			const struct vq_chain *c)
{
	uint64_t r = 0, w = 0;
	bool seen_w = false;

	FUZZ_ASSERT(c->head < vq->num);
	FUZZ_ASSERT(c->nsegs >= 1 && c->nsegs <= VQ_MAX_SEGS);
	for (unsigned i = 0; i < c->nsegs; i++) {
		const struct vq_seg *s = &c->seg[i];
		FUZZ_ASSERT(s->len > 0);
		FUZZ_ASSERT(s->host >= m->host && s->host <= m->host + m->size);
		FUZZ_ASSERT(s->len <= (uint64_t)(m->host + m->size - s->host));
		FUZZ_ASSERT(!(seen_w && !s->writable)); /* readable never after writable */
		seen_w |= s->writable;
		if (s->writable)
			w += s->len;
		else
			r += s->len;
	}
	FUZZ_ASSERT(r == c->readable_len);
	FUZZ_ASSERT(w == c->writable_len);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct guest_mem m;
	struct virtqueue vq = {0};
	char err[192];

	m.size = (uint64_t)(fin_u8(&in) % MAX_PAGES + 1) * PAGE;
	unsigned nops = fin_u8(&in) % 64 + 1;
	vq.num = fin_u16(&in);
	vq.desc_gpa = fin_u32(&in);
	vq.avail_gpa = fin_u32(&in);
	vq.used_gpa = fin_u32(&in);
	vq.last_avail = fin_u16(&in);
	vq.used_idx = fin_u16(&in);
	vq.ready = true;
	uint64_t image_len = min64(fin_u16(&in), m.size);

	m.host = calloc(1, m.size);
	if (!m.host)
		return 0;
	fin_bytes(&in, m.host, image_len);

	bool valid = vq_validate(&vq, &m, err, sizeof(err)) == 0;
	for (unsigned op = 0; op < nops; op++) {
		uint8_t kind = fin_u8(&in);
		uint32_t arg = fin_u32(&in);
		struct vq_chain c;
		uint16_t before = vq.last_avail;
		enum vq_status st;

		switch (kind % 4) {
		case 0: /* pop, complete with a guest-chosen length */
		case 1: /* pop, copy through the chain, complete with bytes written */
			st = vq_pop(&vq, &m, &c, err, sizeof(err));
			FUZZ_ASSERT(st == VQ_GOT || st == VQ_EMPTY || st == VQ_ERR);
			FUZZ_ASSERT(valid || st == VQ_ERR);
			if (st != VQ_GOT) {
				FUZZ_ASSERT(vq.last_avail == before);
				break;
			}
			FUZZ_ASSERT(vq.last_avail == (uint16_t)(before + 1));
			check_chain(&m, &vq, &c);
			uint32_t len = arg;
			if (kind % 4 == 1) {
				uint64_t cap = arg % (COPY_MAX + 1);
				uint64_t got = vq_chain_read(&c, copybuf, cap);
				FUZZ_ASSERT(got == min64(cap, c.readable_len));
				uint64_t put = vq_chain_write(&c, copybuf, cap);
				FUZZ_ASSERT(put == min64(cap, c.writable_len));
				len = (uint32_t)put;
			}
			FUZZ_ASSERT(vq_push(&vq, &m, c.head, len) == 0);
			uint16_t used_idx;
			memcpy(&used_idx, m.host + vq.used_gpa + 2, 2);
			FUZZ_ASSERT(used_idx == vq.used_idx);
			break;
		case 2:
			vq_set_no_notify(&vq, &m, arg & 1);
			(void)vq_wants_interrupt(&vq, &m);
			break;
		case 3: /* the guest rewrites 4 bytes of its memory between steps */
			if (m.size >= 4)
				memcpy(m.host + (arg >> 8) % (m.size - 3), &arg, 4);
			break;
		}
	}
	free(m.host);
	return 0;
}
