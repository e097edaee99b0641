/* SPDX-License-Identifier: MIT */
#ifndef IRQPATH_VMM_JSON_UTIL_H
#define IRQPATH_VMM_JSON_UTIL_H

#include <jansson.h>

/*
 * Writes j to path via a temp file in the same directory + rename, so a
 * reader never sees half a file. A path that exists and is not a regular
 * file (/dev/null, /dev/stdout, a FIFO) is written in place instead.
 */
int json_write_atomic(json_t *j, const char *path);

#endif
