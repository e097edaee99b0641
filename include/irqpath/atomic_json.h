/* SPDX-License-Identifier: MIT */
/* JSON documents through irqpath_write_atomic (include/irqpath/atomic_file.h). */
#ifndef IRQPATH_ATOMIC_JSON_H
#define IRQPATH_ATOMIC_JSON_H

#include <jansson.h>
#include "atomic_file.h"

/*
 * Writes doc (jansson dump flags, plus a final newline) to path atomically,
 * or to standard output when path is "-". 0, or -1 with errno set.
 */
int irqpath_write_json(const char *path, const json_t *doc, size_t flags,
		       const struct irqpath_tmp_hooks *hooks);

#endif
