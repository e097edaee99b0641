// SPDX-License-Identifier: MIT
/* Word wrap: widths kept, prefixes on first and continuation lines, long words whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../wrap.h"

static char *wrap(const char *text, int width, const char *first, const char *next)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	wrap_words(f, text, width, first, next);
	fclose(f);
	return buf;
}

static void test_prefixes_and_width(void **state)
{
	(void)state;
	char *s = wrap("one two three four five", 12, "- ", "  ");
	assert_string_equal(s, "- one two\n  three four\n  five\n");
	free(s);
}

static void test_long_word_whole(void **state)
{
	(void)state;
	char *s = wrap("see /a/very/long/path/name here", 10, "    ", "    ");
	assert_string_equal(s, "    see\n    /a/very/long/path/name\n    here\n");
	free(s);
}

static void test_spaces_and_empty(void **state)
{
	(void)state;
	char *s = wrap("  a   b  ", 72, "> ", "> ");
	assert_string_equal(s, "> a b\n");
	free(s);
	s = wrap("   ", 72, "> ", "> ");
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prefixes_and_width),
	    cmocka_unit_test(test_long_word_whole),
	    cmocka_unit_test(test_spaces_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
