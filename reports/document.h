/* SPDX-License-Identifier: MIT */
/* The report files: mailing-list text, Markdown and self-contained HTML. */
#ifndef IRQPATH_REPORTS_DOCUMENT_H
#define IRQPATH_REPORTS_DOCUMENT_H

#include <stdio.h>

#include "results.h"

/* Header, table (<= 72 columns) and notes, as pasted into a review. */
void document_text(const struct result_set *set, FILE *f);
/* CHARTS: directory of the charts relative to the document, or NULL. */
void document_markdown(const struct result_set *set, const char *charts, FILE *f);
/* CHARTS_DIR: where to read the SVGs to inline, or NULL. */
void document_html(const struct result_set *set, const char *charts_dir, FILE *f);

#endif
