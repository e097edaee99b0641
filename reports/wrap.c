// SPDX-License-Identifier: MIT
#include "wrap.h"
#include <string.h>

void wrap_words(FILE *f, const char *text, int width, const char *first, const char *next)
{
	int col = 0, lines = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (!w)
			break;
		if (col && col + 1 + (int)w > width) {
			fputc('\n', f);
			col = 0;
		}
		if (!col) {
			const char *prefix = lines++ ? next : first;
			fputs(prefix, f);
			col = (int)strlen(prefix);
		} else {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, p);
		col += (int)w;
		p += w;
	}
	if (col)
		fputc('\n', f);
}
