// SPDX-License-Identifier: MIT
/* Unit tests: the settled closing sample (irqstat_settle.c) on real files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../irqstat_settle.h"

static void write_counts(const char *path, unsigned long rx)
{
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	FILE *f = fopen(tmp, "w");
	assert_non_null(f);
	fprintf(f,
		"           CPU0\n 25:  %lu   PCI-MSI 16385-edge   virtio0-input.0\n"
		"LOC:  %lu   Local timer interrupts\n",
		rx, rx * 3);
	fclose(f);
	assert_int_equal(rename(tmp, path), 0);
}

static void temp_path(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/irqstat-settle.%d", (int)getpid());
}

static void test_quiet_file_settles_at_once(void **state)
{
	(void)state;
	char p[64];
	temp_path(p, sizeof(p));
	write_counts(p, 41);
	struct irq_settle s = {.quiet_ms = 20, .max_ms = 1000};
	struct irq_table t;
	unsigned waited;
	bool settled;
	assert_int_equal(irqstat_read_settled(p, "virtio", &s, &t, &waited, &settled), 0);
	assert_true(settled);
	assert_int_equal(waited, 20);
	assert_int_equal(t.n, 1); /* filtered: the timer line is not a virtio line */
	assert_int_equal(t.v[0].count, 41);
	irqstat_free(&t);
	unlink(p);
}

/* A child keeps raising the count: never settles, gives up at max_ms. */
static void test_moving_counts_give_up(void **state)
{
	(void)state;
	char p[64];
	temp_path(p, sizeof(p));
	write_counts(p, 1);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		for (unsigned long n = 2;; n++) {
			write_counts(p, n);
			usleep(5000);
		}
	}
	struct irq_settle s = {.quiet_ms = 30, .max_ms = 150};
	struct irq_table t;
	unsigned waited;
	bool settled = true;
	int rc = irqstat_read_settled(p, "virtio", &s, &t, &waited, &settled);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(rc, 0);
	assert_false(settled);
	assert_true(waited >= 150);
	assert_true(t.v[0].count > 1);
	irqstat_free(&t);
	unlink(p);
}

static void test_missing_file_fails(void **state)
{
	(void)state;
	struct irq_settle s = {.quiet_ms = 10, .max_ms = 100};
	struct irq_table t;
	unsigned waited;
	bool settled;
	assert_int_equal(
	    irqstat_read_settled("/nonexistent/interrupts", "virtio", &s, &t, &waited, &settled),
	    -1);
	assert_null(t.v);
}

static void test_same_compares_counts_and_names(void **state)
{
	(void)state;
	struct irq_line a1 = {.irq = "25", .action = "virtio0-input.0", .count = 5};
	struct irq_line b1 = a1;
	struct irq_table a = {.v = &a1, .n = 1}, b = {.v = &b1, .n = 1};
	assert_true(irqstat_same(&a, &b));
	b1.count = 6;
	assert_false(irqstat_same(&a, &b));
	b1.count = 5;
	strcpy(b1.action, "virtio0-output.0");
	assert_false(irqstat_same(&a, &b));
	b.n = 0;
	assert_false(irqstat_same(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quiet_file_settles_at_once),
	    cmocka_unit_test(test_moving_counts_give_up),
	    cmocka_unit_test(test_missing_file_fails),
	    cmocka_unit_test(test_same_compares_counts_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
