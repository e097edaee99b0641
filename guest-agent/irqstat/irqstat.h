/* SPDX-License-Identifier: MIT */
/* /proc/interrupts: parse, filter by action name, difference of two samples. */
#ifndef IRQPATH_IRQSTAT_H
#define IRQPATH_IRQSTAT_H

#include <stddef.h>
#include <stdint.h>

#define IRQSTAT_MAX_CPUS 64 /* per-CPU columns kept; count sums them all */

struct irq_line {
	char irq[32];			/* "25", "NMI", ... */
	char chip[96];			/* "PCI-MSI 16385-edge" */
	char action[128];		/* "virtio0-input.0": the queue's name */
	uint64_t count;			/* summed over CPUs */
	uint64_t cpu[IRQSTAT_MAX_CPUS]; /* the CPU columns (CPU i took cpu[i]) */
};

struct irq_table {
	struct irq_line *v;
	size_t n;
	int ncpus;
};

/* Parses the text of /proc/interrupts. Returns 0, or -1 on bad input. */
int irqstat_parse(const char *text, struct irq_table *t);
/* Reads and parses a file (normally /proc/interrupts). -1 with errno set. */
int irqstat_read(const char *path, struct irq_table *t);
/* Keeps only the lines whose action contains match (NULL/"" keeps all). */
void irqstat_filter(struct irq_table *t, const char *match);
/*
 * Fills out with after - before per line (matched by irq and action);
 * lines absent before count from zero. Returns 0, or -1 out of memory.
 */
int irqstat_delta(const struct irq_table *before, const struct irq_table *after,
		  struct irq_table *out);
void irqstat_free(struct irq_table *t);

#endif
