// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio variant register files (draft, addrdata, dragonball;
 * vmm/transport_mmio_variant.h) in front of the virtio-net device, the
 * way the guest sees them. Same input as fuzz_mmio (its seeds start this
 * corpus): header (byte 0 picks the design, its sharing mode and the
 * dragonball features; byte 1 the MSI entry count), RAM size, reflect
 * response size, the memory image, then register accesses, ioeventfd
 * kicks, resamples and memory pokes. Checked after every step: rings stay
 * in RAM, an MSI is sent only on a programmed, unmasked entry the device
 * offers, the pin only while the design routes that event to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "fuzz_net.h"
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_variants.h"
#include "net_backend.h"
#include "transport_mmio_variant.h"
#include "virtio_net.h"

#define MAX_STEPS 256u

struct sink_state {
	struct mmio_variant *v;
	uint64_t pins, fires;
	bool refuse_routes;
};

static void sink_raise_pin(void *opaque)
{
	((struct sink_state *)opaque)->pins++;
}

static int sink_msi_program(void *opaque, unsigned idx, uint64_t addr, uint32_t data)
{
	struct sink_state *s = opaque;
	(void)data;
	FUZZ_ASSERT(idx < s->v->entries);
	FUZZ_ASSERT((addr >> 20) == 0xfee);
	return s->refuse_routes ? -1 : 0;
}

static void sink_msi_fire(void *opaque, unsigned idx)
{
	struct sink_state *s = opaque;
	FUZZ_ASSERT(idx < s->v->entries);
	FUZZ_ASSERT(s->v->msi[idx].valid && !s->v->msi[idx].masked);
	s->fires++;
}

static void check_device(const struct virtio_dev *d, const struct guest_mem *m)
{
	char err[192];
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if (d->vq[q].ready)
			FUZZ_ASSERT(vq_validate(&d->vq[q], m, err, sizeof(err)) == 0);
	FUZZ_ASSERT(!d->broken || (d->status & VIRTIO_STATUS_NEEDS_RESET));
}

static const struct mmio_variant_desc *pick(uint8_t hdr, struct mmio_variant *v)
{
	static const struct mmio_variant_desc *const descs[] = {
	    &mmio_draft_desc, &mmio_addrdata_desc, &mmio_dragonball_desc};
	(void)v;
	return descs[(hdr >> 2) % 3];
}

static void step(struct fuzz_in *in, struct mmio_variant *v, struct virtio_dev *d,
		 struct guest_mem *m)
{
	uint8_t kind = fin_u8(in);
	uint8_t buf[8];
	switch (kind % 8) {
	default: { /* a register access; mostly in the window, sometimes past */
		uint16_t off = fin_u16(in);
		unsigned len = 1u << (kind >> 3 & 3);
		bool is_write = kind & 0x20;
		uint64_t where = kind & 0x40 ? off : off % v->desc->window_size;
		uint64_t val = is_write ? fin_u64(in) : 0;
		memcpy(buf, &val, 8);
		mmio_variant_access(v, where, is_write, buf, len);
		break;
	}
	case 5: { /* the I/O thread drained n ioeventfd kicks for a queue */
		unsigned q = fin_u8(in) % (VIRTIO_MAX_QUEUES + 1);
		uint64_t n = fin_u8(in) + 1;
		pthread_mutex_lock(&d->lock);
		virtio_dev_notify_n(d, q, n);
		pthread_mutex_unlock(&d->lock);
		break;
	}
	case 6: /* the guest EOI'd the level interrupt */
		mmio_transport_resample(&v->v2);
		break;
	case 7: { /* the guest rewrites 8 bytes of its memory */
		uint32_t at = fin_u32(in);
		uint64_t val = fin_u64(in);
		memcpy(m->host + at % (m->size - 7), &val, 8);
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct sink_state sink = {0};
	struct mmio_variant v;

	uint8_t hdr = fin_u8(&in);
	sink.refuse_routes = hdr & 2;
	unsigned entries = fin_u8(&in) % 4; /* 0 (no MSI) .. 3 */
	struct fuzz_net fn;
	if (fuzz_net_open(&in, &fn))
		return 0;
	struct guest_mem *m = &fn.m;
	struct virtio_dev *d = virtio_net_dev(fn.net);
	struct irq_sink irq = {sink_raise_pin, sink_msi_program, sink_msi_fire, &sink};
	sink.v = &v;
	const struct mmio_variant_desc *desc = pick(hdr, &v);
	FUZZ_ASSERT(mmio_variant_init(&v, desc, d, (enum variant_share)(hdr >> 4 & 1 ? 1 : 0),
				      entries, &irq) == 0);
	v.features = hdr >> 5 & 7;
	v.edge_pin = hdr & 1;
	for (unsigned s = 0; s < MAX_STEPS && in.left; s++) {
		step(&in, &v, d, m);
		check_device(d, m);
	}
	FUZZ_ASSERT(v.entries == entries);
	fuzz_net_close(&fn);
	return 0;
}
