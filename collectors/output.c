/* SPDX-License-Identifier: MIT */
#include "output.h"
#include "irqpath/atomic_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int output_json(json_t *j, const char *path, char *err, size_t errlen)
{
	if (irqpath_write_json(path ? path : "-", j, JSON_INDENT(1) | JSON_SORT_KEYS, NULL)) {
		snprintf(err, errlen, "cannot write %s: %s", path ? path : "standard output",
			 strerror(errno));
		return -1;
	}
	return 0;
}
