/* SPDX-License-Identifier: MIT */
/* A small table model rendered as 72-column text, Markdown or HTML. */
#ifndef IRQPATH_REPORTS_TAB_H
#define IRQPATH_REPORTS_TAB_H

#include <stdio.h>

#define TAB_MAX_COLS 16
#define TAB_TEXT_WIDTH 72
#define TAB_LABEL_WIDTH 22
#define TAB_CELL_WIDTH 15 /* a value column's least width; wider values widen it */

enum tab_row_kind { TR_HEADER, TR_SECTION, TR_ROW, TR_RULE };

struct tab_row {
	enum tab_row_kind kind;
	char *label;
	char *cell[TAB_MAX_COLS];
};

struct tab {
	int ncols; /* value columns */
	int nrows;
	struct tab_row *rows;
};

void tab_init(struct tab *t, int ncols);
void tab_free(struct tab *t);
/* Adds a row; returns it so cells can be set with tab_set. */
struct tab_row *tab_add(struct tab *t, enum tab_row_kind kind, const char *label);
void tab_set(struct tab_row *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text: value columns split into blocks so no line passes 72 columns. */
void tab_print_text(const struct tab *t, FILE *f);
void tab_print_markdown(const struct tab *t, FILE *f);
void tab_print_html(const struct tab *t, FILE *f);

/* Writes S with &, <, >, " escaped. */
void html_escape(FILE *f, const char *s);

#endif
