/* SPDX-License-Identifier: MIT */
/* irqpath-vmm command line. */
#ifndef IRQPATH_VMM_OPTIONS_H
#define IRQPATH_VMM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_transport;

struct vmm_options {
	const struct vmm_transport *profile; /* the device's transport (vmm_transport.h) */
	const char *guest;
	const char *kernel, *initrd, *append; /* a Linux guest instead of --guest */
	uint64_t transactions;
	double duration_s;
	unsigned req, resp;
	const char *backend; /* "reflect" | "tap" */
	const char *tap;
	bool notify_exit; /* QueueNotify as a plain MMIO exit, not ioeventfd */
	unsigned hostile;
	bool mask_probe;	/* mmio-v3: the micro-guest runs the masked-interrupt probe */
	unsigned msi_vectors;	/* entries offered: --msi-vectors, else one per queue + config */
	bool msi_vectors_given; /* --msi-vectors was on the command line */
	unsigned vcpus;		/* --vcpus N: vCPU i has x2APIC ID i */
	unsigned queues;	/* --queues P: virtio-net queue pairs */
	unsigned mem_mib;
	const char *json, *layout, *console;
	uint64_t console_budget; /* bytes of guest console output a run may write */
	double timeout_s;
	bool quiet;
};

const char *vmm_profile_name(const struct vmm_transport *p);
const char *vmm_hostile_name(unsigned h);

/*
 * Parses argv. Returns 0 on success, 1 when --help was printed (exit 0),
 * 2 on a usage error (message already printed).
 */
int vmm_options_parse(struct vmm_options *o, int argc, char **argv);

#endif
