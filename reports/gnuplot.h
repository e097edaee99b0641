/* SPDX-License-Identifier: MIT */
/* Running gnuplot on a generated script; PNG/SVG terminal set-up. */
#ifndef IRQPATH_REPORTS_GNUPLOT_H
#define IRQPATH_REPORTS_GNUPLOT_H

#include <stdio.h>

#define CHART_W 800
#define CHART_H 480

/* "pngcairo" when gnuplot has it, else "png" (libgd); NULL: no gnuplot. */
const char *gnuplot_png_terminal(void);

/* Emits "set terminal ...; set output 'BASE.EXT.tmp'" for ext png or svg. */
void gnuplot_set_output(FILE *gp, const char *ext, const char *base);

/* A string safe inside a gnuplot double-quoted string (into BUF). */
const char *gnuplot_quote(const char *s, char *buf, size_t len);

/*
 * Runs gnuplot on SCRIPT in directory DIR (gnuplot's output goes to
 * DIR/gnuplot.log), then renames each BASE.{png,svg}.tmp listed in BASES to
 * its final name. 0 on success, -1 with a message in err.
 */
int gnuplot_run(const char *dir, const char *script, const char *const *bases, size_t nbases,
		char *err, size_t errlen);

#endif
