/* SPDX-License-Identifier: MIT */
/*
 * The guest's RAM as QEMU left it in its memory-backend file: the mailbox
 * (a second copy of the counts the debugcon report carries) and the ring of
 * per-transaction TSC deltas at GABI_LATENCY_GPA, which irqpath-vmm turns
 * into latency percentiles the same way. Guest-written: bounds-checked.
 */
#ifndef IRQPATH_MG_RAM_H
#define IRQPATH_MG_RAM_H

#include <stddef.h>
#include <stdint.h>

#include "irqpath/guest_abi.h"

struct mg_latency {
	uint64_t n;
	double mean, p50, p90, p99; /* microseconds */
};

/* Reads the mailbox from the RAM file; 0, or -1 with err set (short file,
 * wrong magic/version). */
int mg_ram_mailbox(const char *path, struct gabi_mailbox *mb, char *err, size_t errlen);
/* Percentiles of the first n deltas of the ring (n <= GABI_LATENCY_MAX), at tsc_khz. */
int mg_ram_latency(const char *path, uint64_t n, unsigned long tsc_khz, struct mg_latency *l,
		   char *err, size_t errlen);
/* The same percentiles (index (n-1)*p/100 of the sorted deltas, as irqpath-vmm). */
void mg_latency_of(uint32_t *deltas, uint64_t n, unsigned long tsc_khz, struct mg_latency *l);

#endif
