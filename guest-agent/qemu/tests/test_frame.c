// SPDX-License-Identifier: MIT
/* The report-line parser and stream assembler against good, damaged and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../mg_frame.h"
#include "irqpath/guest_abi.h"

static char err[256];
static struct mg_line line;

/* "IRQPATH-MG/1 <body> crc32=<crc of the rest>" */
static void framed(char *out, size_t len, const char *body)
{
	char head[GABI_REPORT_LINE_MAX + 64];
	snprintf(head, sizeof head, "%s%s", GABI_REPORT_PREFIX, body);
	snprintf(out, len, "%s crc32=%08x", head, mg_crc32(head, strlen(head)));
}

static int parse(const char *s)
{
	return mg_parse_line(s, strlen(s), &line, err, sizeof err);
}

static void crc_is_ieee(void **state)
{
	(void)state;
	assert_int_equal(mg_crc32("123456789", 9), 0xcbf43926u); /* the standard check value */
}

static void good_lines(void **state)
{
	(void)state;
	char buf[512];
	uint64_t v;
	framed(buf, sizeof buf,
	       "result status=0 state=done done=300 window=0x00000000feb00e00 vec48=7");
	assert_int_equal(parse(buf), 0);
	assert_int_equal(line.kind, MG_RESULT);
	assert_int_equal(line.nkeys, 5);
	assert_string_equal(mg_get(&line, "state"), "done");
	assert_int_equal(mg_get_u64(&line, "done", &v), 0);
	assert_int_equal(v, 300);
	assert_int_equal(mg_get_u64(&line, "window", &v), 0);
	assert_int_equal(v, 0xfeb00e00u);
	assert_int_equal(mg_get_u64(&line, "state", &v), -1); /* not a number */
	assert_int_equal(mg_get_u64(&line, "absent", &v), -1);
	framed(buf, sizeof buf, "run");
	assert_int_equal(parse(buf), 0);
	assert_int_equal(line.kind, MG_RUN);
	assert_int_equal(line.nkeys, 0);
}

static void damaged_lines(void **state)
{
	(void)state;
	char buf[512];
	framed(buf, sizeof buf, "end done=300");
	buf[strlen(GABI_REPORT_PREFIX) + 9] = '4'; /* one digit changed: crc no longer matches */
	assert_int_equal(parse(buf), -1);
	assert_non_null(strstr(err, "crc32 mismatch"));

	framed(buf, sizeof buf, "end done=300");
	buf[strlen(buf) - 8] = 'X'; /* not hex */
	assert_int_equal(parse(buf), -1);

	framed(buf, sizeof buf, "end done=300");
	buf[strlen(buf) - 16] = 0; /* truncated: no crc */
	assert_int_equal(parse(buf), -1);

	assert_int_equal(parse("hello world"), -1);
	assert_non_null(strstr(err, "prefix"));
}

static void hostile_lines(void **state)
{
	(void)state;
	char buf[GABI_REPORT_LINE_MAX * 2];
	framed(buf, sizeof buf, "result done=1 done=2");
	assert_int_equal(parse(buf), -1);
	assert_non_null(strstr(err, "twice"));
	framed(buf, sizeof buf, "reboot now=1");
	assert_int_equal(parse(buf), -1);
	assert_non_null(strstr(err, "unknown line kind"));
	framed(buf, sizeof buf, "result  done=1"); /* two spaces */
	assert_int_equal(parse(buf), -1);
	framed(buf, sizeof buf, "result Done=1"); /* keys are lower case */
	assert_int_equal(parse(buf), -1);
	framed(buf, sizeof buf, "result done=");
	assert_int_equal(parse(buf), -1);
	framed(buf, sizeof buf, "result done=1\x01");
	assert_int_equal(parse(buf), -1);
	assert_non_null(strstr(err, "printable"));
	/* a value over MG_VAL_MAX */
	char body[256] = "result error=";
	memset(body + strlen(body), 'a', MG_VAL_MAX + 1);
	framed(buf, sizeof buf, body);
	assert_int_equal(parse(buf), -1);
	/* a line over the limit */
	char big[GABI_REPORT_LINE_MAX + 16];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(mg_parse_line(big, strlen(big), &line, err, sizeof err), -1);
	assert_non_null(strstr(err, "max"));
	/* more fields than the parser keeps */
	char many[GABI_REPORT_LINE_MAX];
	int n = snprintf(many, sizeof many, "result");
	for (int i = 0; i <= MG_MAX_KEYS; i++)
		n += snprintf(many + n, sizeof many - (size_t)n, " k%d=1", i);
	framed(buf, sizeof buf, many);
	assert_int_equal(parse(buf), -1);
	assert_non_null(strstr(err, "more than"));
}

static void stream_assembles_lines(void **state)
{
	(void)state;
	struct mg_stream s;
	mg_stream_init(&s);
	int ready;
	const char *in = "IRQPATH-MG/1 run crc32=00000000\nIRQ";
	long used = mg_stream_feed(&s, in, strlen(in), &ready, err, sizeof err);
	assert_int_equal(ready, 1);
	assert_int_equal(used, 32);
	assert_string_equal(s.buf, "IRQPATH-MG/1 run crc32=00000000");
	used = mg_stream_feed(&s, in + 32, strlen(in) - 32, &ready, err, sizeof err);
	assert_int_equal(ready, 0);
	assert_int_equal(used, 3);
	assert_int_equal(s.len, 3); /* the next line started afresh */
	/* a control byte */
	assert_int_equal(mg_stream_feed(&s, "\x1b[2J", 4, &ready, err, sizeof err), -1);
	/* an endless line */
	mg_stream_init(&s);
	static char flood[GABI_REPORT_LINE_MAX + 1];
	memset(flood, 'a', sizeof flood);
	assert_int_equal(mg_stream_feed(&s, flood, sizeof flood, &ready, err, sizeof err), -1);
	assert_non_null(strstr(err, "longer"));
	/* a flood of short lines is bounded in total */
	mg_stream_init(&s);
	long total = 0, r = 0;
	while (total <= (long)MG_STREAM_MAX &&
	       (r = mg_stream_feed(&s, "a\n", 2, &ready, err, sizeof err)) > 0)
		total += r;
	assert_int_equal(r, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(crc_is_ieee),
	    cmocka_unit_test(good_lines),
	    cmocka_unit_test(damaged_lines),
	    cmocka_unit_test(hostile_lines),
	    cmocka_unit_test(stream_assembles_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
