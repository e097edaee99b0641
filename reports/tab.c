/* SPDX-License-Identifier: MIT */
#include "tab.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void tab_init(struct tab *t, int ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols > TAB_MAX_COLS ? TAB_MAX_COLS : ncols;
}

void tab_free(struct tab *t)
{
	for (int i = 0; i < t->nrows; i++) {
		free(t->rows[i].label);
		for (int c = 0; c < TAB_MAX_COLS; c++)
			free(t->rows[i].cell[c]);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

struct tab_row *tab_add(struct tab *t, enum tab_row_kind kind, const char *label)
{
	struct tab_row *nr = realloc(t->rows, (size_t)(t->nrows + 1) * sizeof(*nr));
	if (!nr)
		abort(); /* a report of a few rows: nothing sensible to do */
	t->rows = nr;
	struct tab_row *r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->label = strdup(label ? label : "");
	return r;
}

void tab_set(struct tab_row *r, int col, const char *fmt, ...)
{
	if (col < 0 || col >= TAB_MAX_COLS)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(r->cell[col]);
	if (vasprintf(&r->cell[col], fmt, ap) < 0)
		r->cell[col] = NULL;
	va_end(ap);
}

static const char *cell(const struct tab_row *r, int c)
{
	return r->cell[c] ? r->cell[c] : "";
}

/* Column c's width: 15, or its widest cell; a value is never cut. */
static int col_width(const struct tab *t, int c)
{
	int w = TAB_CELL_WIDTH;
	for (int i = 0; i < t->nrows; i++) {
		int l = (int)strlen(cell(&t->rows[i], c));
		if (t->rows[i].kind != TR_SECTION && t->rows[i].kind != TR_RULE && l > w)
			w = l;
	}
	return w;
}

/* The columns from start that fit in TAB_TEXT_WIDTH (at least one); their end. */
static int block_end(const struct tab *t, int start, const int *w)
{
	int used = TAB_LABEL_WIDTH, c = start;
	for (; c < t->ncols; c++) {
		if (c > start && used + 1 + w[c] > TAB_TEXT_WIDTH)
			break;
		used += 1 + w[c];
	}
	return c;
}

static void print_block(const struct tab *t, FILE *f, int start, int end, const int *w)
{
	int width = TAB_LABEL_WIDTH;
	for (int c = start; c < end; c++)
		width += 1 + w[c];
	for (int i = 0; i < t->nrows; i++) {
		const struct tab_row *r = &t->rows[i];
		if (r->kind == TR_SECTION) {
			fprintf(f, "%s%.*s\n", i ? "\n" : "", TAB_TEXT_WIDTH, r->label);
			continue;
		}
		if (r->kind == TR_RULE) {
			for (int k = 0; k < width; k++)
				fputc('-', f);
			fputc('\n', f);
			continue;
		}
		fprintf(f, "%-*.*s", TAB_LABEL_WIDTH, TAB_LABEL_WIDTH, r->label);
		for (int c = start; c < end; c++)
			fprintf(f, " %*s", w[c], cell(r, c));
		fputc('\n', f);
	}
}

void tab_print_text(const struct tab *t, FILE *f)
{
	int w[TAB_MAX_COLS] = {0};
	for (int c = 0; c < t->ncols; c++)
		w[c] = col_width(t, c);
	if (t->ncols == 0) {
		print_block(t, f, 0, 0, w);
		return;
	}
	for (int start = 0; start < t->ncols;) {
		int end = block_end(t, start, w);
		if (start)
			fputc('\n', f);
		print_block(t, f, start, end, w);
		start = end;
	}
}

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void tab_print_markdown(const struct tab *t, FILE *f)
{
	int header_done = 0;
	for (int i = 0; i < t->nrows; i++) {
		const struct tab_row *r = &t->rows[i];
		if (r->kind == TR_RULE)
			continue;
		fputs("| ", f);
		if (r->kind == TR_SECTION)
			fputs("**", f);
		md_cell(f, r->label);
		if (r->kind == TR_SECTION)
			fputs("**", f);
		for (int c = 0; c < t->ncols; c++) {
			fputs(" | ", f);
			md_cell(f, cell(r, c));
		}
		fputs(" |\n", f);
		if (!header_done) {
			fputs("|---", f);
			for (int c = 0; c < t->ncols; c++)
				fputs("|---:", f);
			fputs("|\n", f);
			header_done = 1;
		}
	}
}

void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void tab_print_html(const struct tab *t, FILE *f)
{
	fputs("<table>\n", f);
	for (int i = 0; i < t->nrows; i++) {
		const struct tab_row *r = &t->rows[i];
		if (r->kind == TR_RULE)
			continue;
		const char *td = r->kind == TR_HEADER ? "th" : "td";
		if (r->kind == TR_SECTION) {
			fprintf(f, "<tr class=\"section\"><th colspan=\"%d\">", t->ncols + 1);
			html_escape(f, r->label);
			fputs("</th></tr>\n", f);
			continue;
		}
		fprintf(f, "<tr><%s class=\"label\">", td);
		html_escape(f, r->label);
		fprintf(f, "</%s>", td);
		for (int c = 0; c < t->ncols; c++) {
			fprintf(f, "<%s>", td);
			html_escape(f, cell(r, c));
			fprintf(f, "</%s>", td);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}
