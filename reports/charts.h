/* SPDX-License-Identifier: MIT */
/* The report's charts, PNG and SVG, drawn by gnuplot. */
#ifndef IRQPATH_REPORTS_CHARTS_H
#define IRQPATH_REPORTS_CHARTS_H

#include "results.h"

#define CHART_COUNT 3
/* Base names, written as DIR/<base>.png and DIR/<base>.svg */
extern const char *const chart_bases[CHART_COUNT];
extern const char *const chart_titles[CHART_COUNT];

/* Writes data files, the script and the charts into DIR (created). */
int charts_render(const struct result_set *set, const char *dir, char *err, size_t errlen);

#endif
