/* SPDX-License-Identifier: MIT */
/* Reading versioned JSON files and writing any file atomically. */
#ifndef IRQPATH_COMMON_JSONIO_H
#define IRQPATH_COMMON_JSONIO_H

#include <jansson.h>
#include <stddef.h>

/*
 * Loads PATH and checks its "schema" is "<NAME>/1" (NAME e.g. "irqpath-results").
 * Returns NULL with a message naming the file on error.
 */
json_t *jsonio_load(const char *path, const char *name, char *err, size_t errlen);

/* Writes via a temp file in the same directory + fsync + rename. 0 or -1 (errno kept). */
int atomic_write(const char *path, const void *data, size_t len);
int atomic_write_json(const char *path, const json_t *doc);

/* Whole file as a NUL-terminated string (malloc'd), or NULL. */
char *read_file_text(const char *path, size_t *len);

/* Number from a JSON value: integer or real; NaN if absent/null/other. */
double jnum(const json_t *v);

#endif
