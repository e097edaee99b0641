/* SPDX-License-Identifier: MIT */
#ifndef IRQPATH_VMM_JSON_UTIL_H
#define IRQPATH_VMM_JSON_UTIL_H

#include <jansson.h>

/* Writes j to path via a temp file in the same directory + rename. */
int json_write_atomic(json_t *j, const char *path);

#endif
