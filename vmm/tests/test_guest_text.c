// SPDX-License-Identifier: MIT
/*
 * Guest text: what a hostile guest's error string or serial bytes become on
 * the host. Bounded (never past the array, never past the budget), escaped
 * (no control byte, no non-ASCII byte survives) and valid JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "../guest_text.h"

static void plain_string_passes(void **state)
{
	(void)state;
	char err[64] = "queue setup failed";
	assert_string_equal(GTEXT(err), "queue setup failed");
}

/* No NUL in the array: the copy stops at its end, not at the next zero byte. */
static void unterminated_array_is_bounded(void **state)
{
	(void)state;
	struct {
		char error[64];
		char after[4096];
	} mb;
	memset(&mb, 'A', sizeof(mb));
	mb.after[sizeof(mb.after) - 1] = 0;
	const char *s = GTEXT(mb.error);
	assert_int_equal(strlen(s), 64);
	assert_int_equal(strspn(s, "A"), 64);
}

static void control_and_high_bytes_are_escaped(void **state)
{
	(void)state;
	char err[64] = "\x1b[2J\x1b]0;owned\x07\xff\xfe\\ok\r\n";
	const char *s = GTEXT(err);
	assert_string_equal(s, "\\x1b[2J\\x1b]0;owned\\x07\\xff\\xfe\\\\ok\\x0d\\x0a");
	for (const char *p = s; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	json_t *j = json_pack("{s:s}", "error", s);
	assert_non_null(j); /* valid UTF-8: json_pack accepts it */
	json_decref(j);
}

/* 64 bytes that each escape to 4 characters fit GTEXT_FIELD_MAX exactly. */
static void worst_case_fits_the_field(void **state)
{
	(void)state;
	char err[64];
	memset(err, 0x1b, sizeof(err));
	const char *s = GTEXT(err);
	assert_int_equal(strlen(s), 64 * 4);
	assert_int_equal(strlen(s), GTEXT_FIELD_MAX - 4);
}

static void small_destination_is_cut_with_a_marker(void **state)
{
	(void)state;
	char out[12];
	gtext_escape(out, sizeof(out), "abcdefghijklmnop", 16);
	assert_string_equal(out, "abcdefgh...");
	gtext_escape(out, sizeof(out), "abcdefghijk", 11); /* fits exactly */
	assert_string_equal(out, "abcdefghijk");
	gtext_escape(out, sizeof(out), "\x01\x02\x03", 3);
	assert_string_equal(out, "\\x01\\x02...");
}

static char *slurp(FILE *f, size_t *len)
{
	fflush(f);
	long n = ftell(f);
	char *b = calloc(1, (size_t)n + 1);
	rewind(f);
	*len = fread(b, 1, (size_t)n, f);
	return b;
}

static void stream_escapes_and_keeps_lines(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	struct gtext_stream s = {0};
	const char *in = "boot\r\n\x1b[31mred\tx\x80\n";
	for (const char *p = in; *p; p++)
		gtext_stream_put(&s, f, (uint8_t)*p);
	size_t len;
	char *out = slurp(f, &len);
	assert_string_equal(out, "boot\n\\x1b[31mred\tx\\x80\n");
	assert_int_equal(s.written, len);
	assert_int_equal(s.dropped, 0);
	free(out);
	fclose(f);
}

/* A flood: the file holds the budget and one line saying so, nothing more. */
static void stream_stops_at_its_budget(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	struct gtext_stream s = {.budget = 1000};
	for (int i = 0; i < 100000; i++)
		gtext_stream_put(&s, f, i % 3 ? 'x' : 0x1b);
	size_t len;
	char *out = slurp(f, &len);
	assert_true(s.written <= 1000);
	assert_true(len < 1000 + 200);
	assert_non_null(strstr(out, "budget of 1000 bytes"));
	assert_int_equal(s.written + 0, len - strlen(strstr(out, "\n[irqpath-vmm")));
	assert_true(s.dropped > 90000);
	free(out);
	fclose(f);
}

static void default_budget_applies(void **state)
{
	(void)state;
	struct gtext_stream s = {0};
	for (uint64_t i = 0; i < GTEXT_STREAM_BUDGET + 10; i++)
		gtext_stream_put(&s, NULL, 'y');
	assert_int_equal(s.written, GTEXT_STREAM_BUDGET);
	assert_int_equal(s.dropped, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_string_passes),
	    cmocka_unit_test(unterminated_array_is_bounded),
	    cmocka_unit_test(control_and_high_bytes_are_escaped),
	    cmocka_unit_test(worst_case_fits_the_field),
	    cmocka_unit_test(small_destination_is_cut_with_a_marker),
	    cmocka_unit_test(stream_escapes_and_keeps_lines),
	    cmocka_unit_test(stream_stops_at_its_budget),
	    cmocka_unit_test(default_budget_applies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
