/* SPDX-License-Identifier: MIT */
#ifndef IRQPATH_IRQSTAT_JSON_H
#define IRQPATH_IRQSTAT_JSON_H

#include <jansson.h>

#include "irqstat.h"

/* Adds "irqs": {action: count} and "irq_lines": [{irq, chip, name, count}]
 * to obj. Returns 0, or -1 out of memory. */
int irqstat_to_json(const struct irq_table *t, json_t *obj);
/* Writes j to path ("-": stdout, compact) atomically; returns 0 or -1. */
int irqstat_write_json(const char *path, json_t *j);

#endif
