/* SPDX-License-Identifier: MIT */
/*
 * A transport as the VMM wires it into KVM: one operations table per
 * --profile. The register file (transport_mmio.c, virtio_pci.c) decodes
 * guest accesses and knows nothing of KVM; its wiring file (vmm_mmio.c,
 * vmm_pci.c) fills in this table: set-up (bus regions, interrupt lines),
 * where each queue's doorbell is, which MSI entry carries which queue (the
 * routes as the guest programmed them), the registers for the layout file
 * and the counters for the results file. Everything else in the VMM walks
 * the table and never asks which transport it is.
 *
 * Adding a variant of a transport (say of mmio-v3) is one more table in its
 * wiring file, with its settings in .params, plus what its register file
 * does differently; a new transport is a register file and a wiring file.
 * --profile, the layout file, the results file and the Linux command line
 * pick a registered table up from there.
 */
#ifndef IRQPATH_VMM_TRANSPORT_H
#define IRQPATH_VMM_TRANSPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "irq_sink.h"

struct vmm;

/* Where a queue's notifications land, as an ioeventfd matches them. */
struct vmm_doorbell {
	uint64_t gpa;	     /* guest-physical address */
	unsigned len;	     /* access size in bytes */
	long long datamatch; /* the value written names the queue; -1: any value */
};

/* Which interrupt carries queue q, or the config change (VMM_CONFIG). */
#define VMM_CONFIG (-1)

struct vmm_transport {
	const char *name;	 /* the --profile name, e.g. "mmio-v3" */
	const char *summary;	 /* one line for --help */
	uint32_t gabi_transport; /* the micro-guest mailbox's GABI_TRANSPORT_* */
	uint64_t window_gpa;	 /* register window: MMIO window or BAR0 */
	uint64_t window_size;
	int level_pin;	    /* IOAPIC pin that is the interrupt plan, -1 when MSIs are */
	const void *params; /* the wiring file's own settings for this profile */

	/* Register file, bus regions, interrupt lines and MSI irqfds. 0 or -1 (err). */
	int (*setup)(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen);
	void (*teardown)(struct vmm *m);
	/* Queue q's doorbell: the one place its address is computed. */
	void (*doorbell)(const struct vmm *m, unsigned q, struct vmm_doorbell *db);
	/* MSI entry idx as the guest programmed it; false if not (yet) or past the table. */
	bool (*msi)(const struct vmm *m, unsigned idx, struct msi_vector *out);
	/* MSI entry that carries queue q (or VMM_CONFIG); -1 when none. */
	int (*msi_index)(const struct vmm *m, int q);
	/* The guest EOI'd the level pin (resamplefd fired); may be NULL. */
	void (*resample)(struct vmm *m);
	/* Adds "registers" (offset -> name) to the layout file. */
	void (*layout_registers)(const struct vmm *m, json_t *registers);
	/* Adds the register-file counters to the results file's "vmm" object. */
	void (*report)(const struct vmm *m, json_t *vmm_obj);
	/* Where a Linux guest's driver finds the device (kernel command line). */
	void (*linux_cmdline)(const struct vmm_transport *t, char *buf, size_t len);
};

/* Registers a table at start-up; the registry is kept sorted by name. */
void vmm_transport_register(const struct vmm_transport *t);
#define VMM_TRANSPORT(table)                                                                       \
	__attribute__((constructor)) static void register_##table(void)                            \
	{                                                                                          \
		vmm_transport_register(&table);                                                    \
	}

const struct vmm_transport *vmm_transport_find(const char *name);
/* The registered names joined by sep ("mmio-legacy, mmio-v3, pci"). */
const char *vmm_transport_names(const char *sep, char *buf, size_t len);

/* The results file's "msi" object of a register file's vectors:
 * {"<idx>":{"fired","vector","masked","pending"}} for the first n. */
json_t *vmm_msi_vectors_json(const struct msi_vector *msi, unsigned n);
/* irqpath_virtio_mmio.devices= for an MMIO table's window and pin (vmm_mmio.c). */
void vmm_mmio_linux_cmdline(const struct vmm_transport *t, char *buf, size_t len);

/* Destination APIC ID of an MSI address (xAPIC format, bits 19:12). */
unsigned msi_dest_apic_id(uint64_t addr);

#endif
