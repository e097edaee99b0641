// SPDX-License-Identifier: MIT
/* proc_log_line: the tool's own last complaint, else the log's last line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../proc.h"

static char path[] = "/tmp/irqpath-test-proc.XXXXXX";

static void write_log(const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_prefix_wins(void **state)
{
	(void)state;
	char out[64];
	write_log("irqpath-vmm: bad guest\r\nother\nirqpath-trace: command failed\n\n");
	proc_log_line(path, "irqpath-vmm", out, sizeof out);
	assert_string_equal(out, "irqpath-vmm: bad guest");
}

static void test_last_line_otherwise(void **state)
{
	(void)state;
	char out[64];
	write_log("first\nsecond\n\n\r\n");
	proc_log_line(path, "irqpath-vmm", out, sizeof out);
	assert_string_equal(out, "second");
	proc_log_line(path, "", out, sizeof out);
	assert_string_equal(out, "second");
}

static void test_empty_and_missing(void **state)
{
	(void)state;
	char out[64] = "x";
	write_log("");
	proc_log_line(path, "", out, sizeof out);
	assert_string_equal(out, "");
	strcpy(out, "x");
	proc_log_line("/nonexistent/irqpath.log", "", out, sizeof out);
	assert_string_equal(out, "");
}

int main(void)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prefix_wins),
	    cmocka_unit_test(test_last_line_otherwise),
	    cmocka_unit_test(test_empty_and_missing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return rc;
}
