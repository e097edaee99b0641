// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio register interface (versions 2 and 3) in front of the
 * virtio-net device and the reflect backend, the way the guest sees it.
 *
 * Input: header (version, MSI vector count, RAM size, reflect response
 * size, image length), the guest memory image, then a program of steps:
 * register accesses (offset, width 1/2/4/8, read/write, value), I/O-thread
 * events (ioeventfd notify with a count, level-pin resample) and guest
 * memory pokes between steps. Queue notifies walk whatever rings the
 * program set up in the fuzzed memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "fuzz_net.h"
#include "irqpath/guest_abi.h"
#include "net_backend.h"
#include "transport_mmio.h"
#include "virtio_net.h"

#define MAX_STEPS 256u

struct sink_state {
	struct mmio_transport *t;
	uint64_t pins, fires, programs;
	bool refuse_routes;
};

static void sink_raise_pin(void *opaque)
{
	struct sink_state *s = opaque;
	FUZZ_ASSERT(!s->t->msi_enabled);
	s->pins++;
}

static int sink_msi_program(void *opaque, unsigned idx, uint64_t addr, uint32_t data)
{
	struct sink_state *s = opaque;
	(void)data;
	FUZZ_ASSERT(idx < s->t->msi_count);
	FUZZ_ASSERT((addr >> 20) == 0xfee);
	s->programs++;
	return s->refuse_routes ? -1 : 0;
}

static void sink_msi_fire(void *opaque, unsigned idx)
{
	struct sink_state *s = opaque;
	FUZZ_ASSERT(idx < s->t->msi_count);
	FUZZ_ASSERT(s->t->msi[idx].valid && !s->t->msi[idx].masked);
	s->fires++;
}

/* A queue the device accepted must keep lying inside guest RAM. */
static void check_device(const struct virtio_dev *d, const struct guest_mem *m)
{
	char err[192];
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if (d->vq[q].ready)
			FUZZ_ASSERT(vq_validate(&d->vq[q], m, err, sizeof(err)) == 0);
	FUZZ_ASSERT(!d->broken || (d->status & VIRTIO_STATUS_NEEDS_RESET));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct sink_state sink = {0};
	struct mmio_transport t;

	uint8_t hdr = fin_u8(&in);
	unsigned version = hdr & 1 ? 3 : 2;
	sink.refuse_routes = hdr & 2;
	unsigned msi_vectors = fin_u8(&in) % MSI_MAX_VECTORS + 1;
	struct fuzz_net fn;
	if (fuzz_net_open(&in, &fn))
		return 0;
	struct guest_mem *m = &fn.m;
	struct virtio_dev *d = virtio_net_dev(fn.net);
	struct irq_sink irq = {sink_raise_pin, sink_msi_program, sink_msi_fire, &sink};
	sink.t = &t;
	FUZZ_ASSERT(mmio_transport_init(&t, d, version, msi_vectors, &irq) == 0);

	for (unsigned step = 0; step < MAX_STEPS && in.left; step++) {
		uint8_t kind = fin_u8(&in);
		uint8_t buf[8];
		switch (kind % 8) {
		default: { /* a register access; mostly in the window, sometimes past */
			uint16_t off = fin_u16(&in);
			unsigned len = 1u << (kind >> 3 & 3);
			bool is_write = kind & 0x20;
			uint64_t where = kind & 0x40 ? off : off % GABI_MMIO_DEV_SIZE;
			uint64_t v = is_write ? fin_u64(&in) : 0;
			memcpy(buf, &v, 8);
			mmio_transport_access(&t, where, is_write, buf, len);
			break;
		}
		case 5: { /* the I/O thread drained n ioeventfd kicks for a queue */
			unsigned q = fin_u8(&in) % (VIRTIO_MAX_QUEUES + 1);
			uint64_t n = fin_u8(&in) + 1;
			pthread_mutex_lock(&d->lock);
			virtio_dev_notify_n(d, q, n);
			pthread_mutex_unlock(&d->lock);
			break;
		}
		case 6: /* the guest EOI'd the level interrupt */
			mmio_transport_resample(&t);
			break;
		case 7: { /* the guest rewrites 8 bytes of its memory */
			uint32_t at = fin_u32(&in);
			uint64_t v = fin_u64(&in);
			memcpy(m->host + at % (m->size - 7), &v, 8);
			break;
		}
		}
		check_device(d, m);
	}
	FUZZ_ASSERT(t.msi_count == (version == 3 ? msi_vectors : 0));
	fuzz_net_close(&fn);
	return 0;
}
