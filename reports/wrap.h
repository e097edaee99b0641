/* SPDX-License-Identifier: MIT */
/* Word wrap for the report's prose: Markdown bullets and explanation lines. */
#ifndef IRQPATH_REPORTS_WRAP_H
#define IRQPATH_REPORTS_WRAP_H
#include <stdio.h>

/*
 * Writes TEXT's words to F, lines at most WIDTH columns: the first line
 * starts with FIRST, the others with NEXT (give both the same width). A word
 * longer than a line (a path) stands on a line of its own, uncut. Ends with a
 * newline when anything was written.
 */
void wrap_words(FILE *f, const char *text, int width, const char *first, const char *next);

#endif
