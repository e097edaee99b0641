/* SPDX-License-Identifier: MIT */
/* CI history: one JSON line per run; time-series charts; regression flags. */
#ifndef IRQPATH_REPORTS_HISTORY_H
#define IRQPATH_REPORTS_HISTORY_H

#include <jansson.h>
#include <stdio.h>

#include "results.h"

#define HISTORY_SCHEMA_NAME "irqpath-history"
#define HISTORY_WINDOW 5 /* a point is judged against this many before it */

/* The history line for a run (irqpath-history/1). COMMIT/DATE override. */
json_t *history_entry(const struct result_set *set, const char *commit, const char *date);

/* Appends ENTRY to PATH atomically (rewrites the file via temp + rename). */
int history_append(const char *path, const json_t *entry, char *err, size_t errlen);

/*
 * Reads PATH, draws one PNG+SVG per headline metric into OUTDIR and prints
 * flagged regressions to F. Returns -1 on error, else the number of
 * regressions flagged at the newest point (*total gets all flagged).
 */
int history_render(const char *path, const char *outdir, int window, FILE *f, int *total, char *err,
		   size_t errlen);

#endif
