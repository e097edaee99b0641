// SPDX-License-Identifier: MIT
/*
 * The masked-interrupt probe, run once after DRIVER_OK on the variants
 * that can mask, and on mmio-v3 when the VMM asks (irqpath-vmm
 * --mask-probe, mailbox mask_probe; its normal runs stay unprobed): mask rx's entry, send one
 * request, wait (polling, not sleeping) until the response is in the used ring and a little longer
 * so the device has raised its interrupt into the mask, unmask, and see
 * whether the interrupt arrives. Delivered = the design keeps a pending
 * bit; not delivered = the event was lost. The device counts the same
 * event from its side (results "vmm.variant.mask_probe").
 */
#include "variants.h"

#define RXQ 0
#define TXQ 1
#define SETTLE 20000u

const struct variant_mask *variant_mask;

static void send_probe(const struct transport *t)
{
	struct gvq *q = &vqs[TXQ];
	u16 id = q->avail_idx % VQ_SIZE;
	u8 *b = q->bufs + id * VQ_BUF_SIZE;
	memset(b, 0, 12 + 14 + 8);
	u8 *eth = b + 12;
	memset(eth, 0xff, 6);
	for (unsigned i = 0; i < 6; i++)
		eth[6 + i] = t->config_read8(i);
	eth[12] = 0x88;
	eth[13] = 0xb5;
	gvq_post(q, id, 12 + 14 + (mb->req_bytes < 8 ? 8 : mb->req_bytes), false);
	gvq_kick(q, false);
}

static u64 irqs(unsigned vector)
{
	return mb->irqs_by_vector[vector];
}

static void window(void)
{
	for (unsigned i = 0; i < 1000; i++)
		__asm__ volatile("sti; nop; cli" ::: "memory");
}

void mask_probe_run(const struct transport *t)
{
	if (!variant_mask)
		return;
	unsigned vec = GABI_VEC_CONFIG +
		       (variant_mask->entry ? variant_mask->entry(RXQ) : (unsigned)vmv_entry[RXQ]);
	variant_mask->mask(RXQ, true);
	u64 before = irqs(vec);
	send_probe(t);
	for (u64 spin = 0; !gvq_more_used(&vqs[RXQ]); spin++)
		if (spin > (1ull << 32))
			fail("mask probe: no response", spin);
	for (unsigned i = 0; i < SETTLE; i++)
		__asm__ volatile("pause");
	window();
	u64 while_masked = irqs(vec) - before;
	variant_mask->mask(RXQ, false);
	window();
	u64 after_unmask = irqs(vec) - before - while_masked;
	u16 id;
	u32 len;
	while (gvq_get_used(&vqs[RXQ], &id, &len))
		gvq_post(&vqs[RXQ], id, VQ_BUF_SIZE, true);
	gvq_kick(&vqs[RXQ], true);
	print("mask-probe: ");
	print(while_masked ? "leaked-while-masked" : after_unmask ? "delivered" : "lost");
	print("\n");
}
