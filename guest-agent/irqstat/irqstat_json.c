// SPDX-License-Identifier: MIT
#include "irqpath/atomic_json.h"
#include "irqstat_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
		    json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:I}", "irq", l->irq,
							   "chip", l->chip, "name", name, "count",
							   (json_int_t)l->count)))
			goto fail;
	}
	if (json_object_set_new(obj, "irqs", irqs) || json_object_set_new(obj, "irq_lines", lines))
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
