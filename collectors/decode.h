/* SPDX-License-Identifier: MIT */
/* Decodes a counter key once into the names every output uses: the
 * snapshot's keys (register, queue, exit reason, port, vector...) and the
 * live view's row label. The one place that knows what a key means. */
#ifndef IRQPATH_DECODE_H
#define IRQPATH_DECODE_H

#include <stddef.h>

#include "counts.h"
#include "exit_names.h"
#include "layout.h"

struct decode_ctx {
	const struct layout *layout;	/* NULL: no register / queue names */
	const struct exit_names *names; /* NULL: exit reasons as 0x<hex> */
};

struct decoded {
	/* USERSPACE_EXIT: KVM_EXIT_* name; MMIO: register name or 0x<gpa>;
	 * PIO, MSR: 0x<port/index>; MSI, IOAPIC, ACK_IRQ, APIC_ACCEPT,
	 * SET_IRQ: the number; EOI: the signed vector; EXIT, EXIT_LAT_LOG2,
	 * EXIT_OPEN: the kernel's reason name */
	char name[64];
	char queue[LAYOUT_JOINED]; /* MMIO: the queue notified; MSI: the vector's queue(s),
				      joined by '+' when shared; "" none */
	int is_register;	   /* MMIO: counted under mmio_by_register (not a doorbell) */
	const char *derived; /* the exit class when exits are derived: MMIO, IO, MSR; or NULL */
	char label[LAYOUT_JOINED + 64]; /* the live view's row */
};

void decode_key(const struct irqt_key *k, const struct decode_ctx *dc, struct decoded *d);

/* Name of a KVM_EXIT_* reason (values >= 0x10000 are KVM_RUN errnos). */
const char *decode_userspace_exit(uint64_t reason, char *buf, size_t len);

#endif
