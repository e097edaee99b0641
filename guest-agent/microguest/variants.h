/* SPDX-License-Identifier: MIT */
/*
 * The micro-guest's drivers for the virtio-mmio interrupt variants
 * (include/irqpath/virtio_mmio_variants.h): what they share
 * (virtio_mmio_variant.c: the version 2 registers, the MSI handler, the
 * pin handlers) and the masked-interrupt probe (mask_probe.c).
 */
#ifndef MICROGUEST_VARIANTS_H
#define MICROGUEST_VARIANTS_H

#include "irqpath/virtio_mmio_variants.h"
#include "transport.h"

extern const struct transport mmio_draft_transport;
extern const struct transport mmio_addrdata_transport;
extern const struct transport mmio_dragonball_transport;

#define VMV_R(off) (GABI_MMIO_DEV_GPA + (off))
#define VMV_CONFIG GABI_MAX_QUEUES /* index of the config event in vmv_entry[] */
#define VMV_NONE (-1)

/* MSI entry of each queue and of config ([VMV_CONFIG]); vector = GABI_VEC_CONFIG + entry. */
extern int vmv_entry[GABI_MAX_QUEUES + 1];

/* ---- version 2 operations every variant uses as they are ---- */
int vmv_probe(const char **why);
u8 vmv_get_status(void);
void vmv_set_status(u8 s);
u64 vmv_get_features(void);
void vmv_set_features(u64 f);
int vmv_setup_queue(struct gvq *q); /* notify: QueueNotify, value = index */
u8 vmv_config_read8(unsigned off);

/* Handlers for the entries in vmv_entry[] of n queues; returns how many vectors are in use. */
unsigned vmv_register_msi(unsigned n);
/* The level pin: InterruptStatus read + InterruptACK, as Linux's vm_interrupt. */
void vmv_use_level_pin(unsigned n);
/* An edge pin whose status need not be read (Dragonball INTR_USED). */
void vmv_use_edge_pin_no_status(unsigned n);

/* How the probe masks queue q's interrupt; NULL when the design has no mask. */
struct variant_mask {
	void (*mask)(unsigned q, bool masked);
	/* q's MSI entry; NULL: vmv_entry[q] (mmio-v3 has its own plan) */
	unsigned (*entry)(unsigned q);
};
extern const struct variant_mask *variant_mask;
/*
 * Masks rx, makes the device raise its interrupt (one request/response),
 * unmasks and records whether it arrived: on the console and in the
 * interrupt counts the VMM reads. No-op without a variant_mask.
 */
void mask_probe_run(const struct transport *t);

#endif
