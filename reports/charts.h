/* SPDX-License-Identifier: MIT */
/* The report's charts, PNG and SVG, drawn by gnuplot. */
#ifndef IRQPATH_REPORTS_CHARTS_H
#define IRQPATH_REPORTS_CHARTS_H

#include "results.h"

#include <stdio.h>

#define CHART_COUNT 4
/* Base names, written as DIR/<base>.png and DIR/<base>.svg */
extern const char *const chart_bases[CHART_COUNT];
extern const char *const chart_titles[CHART_COUNT];

/* Writes data files, the script and the charts into DIR (created). */
int charts_render(const struct result_set *set, const char *dir, char *err, size_t errlen);

/*
 * charts_exits.c: exits.dat (in-kernel, userspace and total exits per
 * transaction, mean and stddev over the runs, one line per profile named
 * LABELS[i]); returns 1 when some profile has host counts. The plot
 * commands for it (EMPTY_NOTE when none has).
 */
int charts_exits_data(const struct result_set *set, FILE *d, const char *const *labels);
void charts_exits_script(FILE *gp, size_t nprofiles, int any, const char *empty_note);

#endif
