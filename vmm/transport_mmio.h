/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio transport: the version 2 register file (one level interrupt,
 * InterruptStatus/InterruptACK, QueueNotify) and the version 3 extension
 * (per-queue MSI and doorbells, include/irqpath/virtio_mmio_v3.h).
 */
#ifndef IRQPATH_VMM_TRANSPORT_MMIO_H
#define IRQPATH_VMM_TRANSPORT_MMIO_H

#include <stdbool.h>
#include "irq_sink.h"
#include "virtio_dev.h"

#define MMIO_REG_SLOTS 64u /* 32-bit registers below the config space */

struct mmio_transport {
	struct virtio_dev *dev;
	struct irq_sink irq;
	unsigned version; /* 2 or 3 */
	uint64_t size;	  /* window size */

	uint32_t interrupt_status;
	uint32_t dev_features_sel, drv_features_sel, queue_sel;

	/* version 3 */
	bool msi_enabled;
	unsigned msi_count;
	unsigned pairs; /* the device's queue pairs: the vector plan shares by pair */
	uint32_t msi_addr_lo, msi_addr_hi, msi_data; /* latched until a command */
	struct msi_vector msi[MSI_MAX_VECTORS];
	uint32_t notify_base, notify_multiplier;

	/* counters */
	uint64_t reads[MMIO_REG_SLOTS], writes[MMIO_REG_SLOTS];
	uint64_t msi_status_reads, msi_status_writes, msi_commands;
	uint64_t config_reads, config_writes, doorbell_writes, bad_accesses;
	uint64_t pin_raises, resamples, resample_raises, msi_masked_pending;
	uint64_t msi_sent_on_unmask; /* pending MSIs sent by UNMASK */
};

/* version 2 or 3; msi_vectors only for 3 (1..MSI_MAX_VECTORS). */
int mmio_transport_init(struct mmio_transport *t, struct virtio_dev *dev, unsigned version,
			unsigned msi_vectors, const struct irq_sink *irq);

/* One guest access at offset off (lock taken inside). Reads fill data. */
void mmio_transport_access(struct mmio_transport *t, uint64_t off, bool is_write, uint8_t *data,
			   unsigned len);

/* The guest EOI'd the level interrupt: re-assert while status bits remain. */
void mmio_transport_resample(struct mmio_transport *t);

/* Doorbell address of queue q relative to the window (version 3). */
uint64_t mmio_transport_doorbell(const struct mmio_transport *t, unsigned q);

/* Name of a register of this device's version (e.g. "InterruptStatus"), NULL if none. */
const char *mmio_reg_name(const struct mmio_transport *t, uint64_t off);

/* MSI vector that carries queue q (device rule: virtio_mmio_v3.h, guest_abi.h's plan). */
unsigned mmio_v3_queue_vector(unsigned q, unsigned count, unsigned pairs);

#endif
