/* SPDX-License-Identifier: MIT */
/*
 * The closing sample of a run: /proc/interrupts read once the matched lines
 * have stopped moving. Right after the workload a TCP close is still in
 * flight (FIN, ACK); a sample taken then misses interrupts the host still
 * counts before its tracer stops, or counts ones it no longer does.
 * Waiting for a quiet interval makes the guest's final counts and the host
 * tracer's window end at the same, silent, point.
 */
#ifndef IRQPATH_IRQSTAT_SETTLE_H
#define IRQPATH_IRQSTAT_SETTLE_H

#include <stdbool.h>
#include "irqstat.h"

struct irq_settle {
	unsigned quiet_ms; /* the matched counts must not change for this long */
	unsigned max_ms;   /* give up (settled = false) after this long */
};

/*
 * Reads path (filtered by match) into t, repeating every quiet_ms until two
 * consecutive samples agree or max_ms passed. *waited_ms: time spent;
 * *settled: whether the last two samples agreed. 0, or -1 (errno) when a
 * read fails (t then holds nothing).
 */
int irqstat_read_settled(const char *path, const char *match, const struct irq_settle *s,
			 struct irq_table *t, unsigned *waited_ms, bool *settled);

/* Whether two filtered samples hold the same lines with the same counts. */
bool irqstat_same(const struct irq_table *a, const struct irq_table *b);

#endif
