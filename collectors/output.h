/* SPDX-License-Identifier: MIT */
#ifndef IRQPATH_OUTPUT_H
#define IRQPATH_OUTPUT_H

#include <jansson.h>
#include <stddef.h>

/* Writes JSON to path atomically (temp file in the same directory, then
 * rename), or to stdout when path is NULL or "-". 0 ok, -1 err filled. */
int output_json(json_t *j, const char *path, char *err, size_t errlen);

#endif
