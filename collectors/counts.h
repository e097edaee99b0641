/* SPDX-License-Identifier: MIT */
/* A table of event counters keyed by struct irqt_key, filled by either
 * backend and read by the reporters. */
#ifndef IRQPATH_COUNTS_H
#define IRQPATH_COUNTS_H

#include <linux/types.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/irqpath_trace.h"

struct count_entry {
	struct irqt_key key;
	uint64_t value;
	int used;
};

struct counts {
	struct count_entry *slots;
	size_t cap, len;
};

void counts_init(struct counts *c);
void counts_free(struct counts *c);
void counts_clear(struct counts *c);
/* Adds n to key's counter; -1 when out of memory. */
int counts_add(struct counts *c, const struct irqt_key *key, uint64_t n);
uint64_t counts_get(const struct counts *c, const struct irqt_key *key);
/* out = a - b, per key (for per-interval rates); -1 when out of memory. */
int counts_diff(struct counts *out, const struct counts *a, const struct counts *b);
int counts_copy(struct counts *dst, const struct counts *src);

#define counts_for_each(c, e)                                                                      \
	for (struct count_entry *e = (c)->slots; e && e < (c)->slots + (c)->cap; e++)              \
		if (e->used)

#endif
