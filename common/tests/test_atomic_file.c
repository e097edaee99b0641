// SPDX-License-Identifier: MIT
/* The atomic writer: whole files or nothing, and device nodes left alone. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "irqpath/atomic_json.h"

static char dir[64];
static char seen_tmp[4096];
static int created, finished;

static void on_created(const char *tmp)
{
	created++;
	snprintf(seen_tmp, sizeof(seen_tmp), "%s", tmp);
}
static void on_finished(const char *tmp)
{
	finished++;
	assert_string_equal(tmp, seen_tmp);
}
static const struct irqpath_tmp_hooks hooks = {on_created, on_finished};

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/irqpath-atomic.XXXXXX");
	assert_non_null(mkdtemp(dir));
	created = finished = 0;
	return 0;
}

static int entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_whole_file_and_hooks(void **state)
{
	(void)state;
	char path[128], buf[32] = {0};
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	assert_int_equal(irqpath_write_atomic(path, "hello\n", 6, &hooks), 0);
	FILE *f = fopen(path, "r");
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 6);
	fclose(f);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(created, 1);
	assert_int_equal(finished, 1);
	assert_non_null(strstr(seen_tmp, "/out.txt.tmp."));
	assert_int_equal(access(seen_tmp, F_OK), -1); /* the temp file is gone */
	assert_int_equal(entries(), 1);
	struct stat st;
	stat(path, &st);
	assert_int_equal(st.st_mode & 0777, 0644);
}

static void test_json(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/doc.json", dir);
	json_t *doc = json_pack("{s:s,s:i}", "schema", "x/1", "n", 7);
	assert_int_equal(irqpath_write_json(path, doc, JSON_COMPACT, NULL), 0);
	json_decref(doc);
	json_t *back = json_load_file(path, 0, NULL);
	assert_non_null(back);
	assert_int_equal(json_integer_value(json_object_get(back, "n")), 7);
	json_decref(back);
}

static void test_failure_leaves_nothing(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/missing-dir/out.txt", dir);
	errno = 0;
	assert_int_equal(irqpath_write_atomic(path, "x", 1, &hooks), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(created, 0); /* no temp file could even be made */
	assert_int_equal(entries(), 0);
}

static void test_dev_null_stays_a_device(void **state)
{
	(void)state;
	assert_int_equal(irqpath_write_atomic("/dev/null", "data", 4, &hooks), 0);
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(created, 0); /* written in place */
}

static void test_fifo_written_in_place(void **state)
{
	(void)state;
	char path[128], buf[16] = {0};
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	int rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(irqpath_write_atomic(path, "abc", 3, NULL), 0);
	assert_int_equal(read(rd, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	close(rd);
	struct stat st;
	stat(path, &st);
	assert_true(S_ISFIFO(st.st_mode));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_whole_file_and_hooks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dev_null_stays_a_device, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fifo_written_in_place, setup, teardown),
	};
	return cmocka_run_group_tests_name("atomic_file", tests, NULL, NULL);
}
