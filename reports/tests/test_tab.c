// SPDX-License-Identifier: MIT
/* The text table: values wider than a column are printed whole, lines stay within 72. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../tab.h"

static char *render(const struct tab *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tab_print_text(t, f);
	fclose(f);
	return buf;
}

static int longest_line(const char *s)
{
	int best = 0, cur = 0;
	for (; *s; s++) {
		cur = *s == '\n' ? 0 : cur + 1;
		best = cur > best ? cur : best;
	}
	return best;
}

static void wide_values_are_whole(void **state)
{
	(void)state;
	struct tab t;
	tab_init(&t, 3);
	struct tab_row *h = tab_add(&t, TR_HEADER, "");
	tab_set(h, 0, "mmio-legacy");
	tab_set(h, 1, "mmio-v3");
	tab_set(h, 2, "pci");
	tab_add(&t, TR_RULE, "");
	struct tab_row *r = tab_add(&t, TR_ROW, "exits");
	tab_set(r, 0, "123456.78 / 123456.79"); /* 21 characters */
	tab_set(r, 1, "2.00");
	tab_set(r, 2, "4702111234474983745");
	char *out = render(&t);
	assert_non_null(strstr(out, "123456.78 / 123456.79"));
	assert_non_null(strstr(out, "4702111234474983745"));
	assert_true(longest_line(out) <= TAB_TEXT_WIDTH);
	free(out);
	tab_free(&t);
}

/* Narrow values keep the 3-columns-of-16 layout. */
static void narrow_values_keep_the_layout(void **state)
{
	(void)state;
	struct tab t;
	tab_init(&t, 3);
	struct tab_row *r = tab_add(&t, TR_ROW, "exits");
	tab_set(r, 0, "4.02");
	tab_set(r, 1, "2.00");
	tab_set(r, 2, "2.00");
	char *out = render(&t);
	assert_string_equal(out,
			    "exits                             4.02            2.00            "
			    "2.00\n");
	free(out);
	tab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(wide_values_are_whole),
	    cmocka_unit_test(narrow_values_keep_the_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
