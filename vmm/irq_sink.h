/* SPDX-License-Identifier: MIT */
/*
 * How a transport gets interrupts into the guest, independent of KVM so
 * the register files can be unit-tested: a level pin that the transport
 * (re)asserts, and MSI vectors it programs and fires.
 */
#ifndef IRQPATH_VMM_IRQ_SINK_H
#define IRQPATH_VMM_IRQ_SINK_H

#include <stdint.h>

struct irq_sink {
	/* Assert the level pin; it drops when the guest EOIs (then resample). */
	void (*raise_pin)(void *opaque);
	/* Program MSI vector index idx with address/data (0 on success). */
	int (*msi_program)(void *opaque, unsigned idx, uint64_t addr, uint32_t data);
	/* Send MSI vector index idx. */
	void (*msi_fire)(void *opaque, unsigned idx);
	void *opaque;
};

#define MSI_MAX_VECTORS 64u

/* One MSI vector as the guest programmed it. */
struct msi_vector {
	uint64_t addr;
	uint32_t data;
	uint8_t valid, masked, pending;
	uint64_t fired; /* messages sent to the guest */
};

#endif
