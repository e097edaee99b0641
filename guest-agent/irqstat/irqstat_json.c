// SPDX-License-Identifier: MIT
#include "irqpath/atomic_json.h"
#include "irqstat_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int shown_cpus(const struct irq_table *t)
{
	return t->ncpus < IRQSTAT_MAX_CPUS ? t->ncpus : IRQSTAT_MAX_CPUS;
}

static json_t *cpu_array(const struct irq_table *t, const struct irq_line *l)
{
	json_t *a = json_array();
	for (int c = 0; a && c < shown_cpus(t); c++)
		json_array_append_new(a, json_integer((json_int_t)l->cpu[c]));
	return a;
}

/*
 * "per_cpu": {"0": {"virtio0-input.0": n, ...}, "1": {...}}: the CPU x
 * vector table /proc/interrupts shows (a name on two lines is summed).
 */
static json_t *per_cpu_json(const struct irq_table *t)
{
	json_t *pc = json_object();
	for (int c = 0; pc && c < shown_cpus(t); c++) {
		char key[16];
		json_t *row = json_object();
		snprintf(key, sizeof(key), "%d", c);
		for (size_t i = 0; row && i < t->n; i++) {
			const struct irq_line *l = &t->v[i];
			const char *name = l->action[0] ? l->action : l->irq;
			json_t *old = json_object_get(row, name);
			json_int_t sum =
			    (json_int_t)l->cpu[c] + (old ? json_integer_value(old) : 0);
			json_object_set_new(row, name, json_integer(sum));
		}
		json_object_set_new(pc, key, row ? row : json_null());
	}
	return pc;
}

int irqstat_to_json(const struct irq_table *t, json_t *obj)
{
	json_t *irqs = json_object(), *lines = json_array();
	if (!irqs || !lines)
		goto fail;
	for (size_t i = 0; i < t->n; i++) {
		const struct irq_line *l = &t->v[i];
		const char *name = l->action[0] ? l->action : l->irq;
		/* one action on two lines (rare): sum them */
		json_t *old = json_object_get(irqs, name);
		json_int_t sum = (json_int_t)l->count + (old ? json_integer_value(old) : 0);
		if (json_object_set_new(irqs, name, json_integer(sum)) ||
		    json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:I, s:o}", "irq",
							   l->irq, "chip", l->chip, "name", name,
							   "count", (json_int_t)l->count, "per_cpu",
							   cpu_array(t, l))))
			goto fail;
	}
	if (json_object_set_new(obj, "irqs", irqs) ||
	    json_object_set_new(obj, "irq_lines", lines) ||
	    json_object_set_new(obj, "per_cpu", per_cpu_json(t)))
		return -1;
	return 0;
fail:
	json_decref(irqs);
	json_decref(lines);
	return -1;
}

int irqstat_write_json(const char *path, json_t *j)
{
	if (strcmp(path, "-") == 0) {
		int rc = json_dumpf(j, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		fflush(stdout);
		return rc;
	}
	if (irqpath_write_json(path, j, JSON_INDENT(2), NULL)) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
