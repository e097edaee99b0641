// SPDX-License-Identifier: MIT
/*
 * A Linux guest's console, fed byte by byte as the UART delivers it, and
 * the run's verdict: nothing printed, no report, a bad report, an agent
 * error, zero transactions, and a good run; CRLF and cut lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../guest_console.h"

static void feed(struct guest_console *c, const char *s)
{
	while (*s)
		guest_console_feed(c, (uint8_t)*s++);
}

static enum guest_verdict judge(const char *text, char *why, size_t len, json_t **agent)
{
	struct guest_console c;
	guest_console_init(&c);
	feed(&c, text);
	guest_console_flush(&c);
	enum guest_verdict v = guest_console_verdict(&c, agent, why, len);
	guest_console_free(&c);
	return v;
}

static void no_console(void **state)
{
	(void)state;
	char why[512];
	json_t *a;
	assert_int_equal(judge("", why, sizeof(why), &a), GV_NO_CONSOLE);
	assert_null(a);
	assert_non_null(strstr(why, "nothing on its serial console"));
}

static void no_report_names_the_panic(void **state)
{
	(void)state;
	char why[512];
	json_t *a;
	assert_int_equal(judge("[ 0.1] Linux version 6.1\r\n[ 0.2] Kernel panic - not syncing: "
			       "IO-APIC + timer doesn't work!\r\n[ 0.3] ---[ end ]---\r\n",
			       why, sizeof(why), &a),
			 GV_NO_REPORT);
	assert_non_null(strstr(why, "IO-APIC + timer"));
	assert_non_null(strstr(why, "never reached its init"));
	assert_string_equal(guest_verdict_name(GV_NO_REPORT), "no-report");
}

static void bad_and_error_reports(void **state)
{
	(void)state;
	char why[512];
	json_t *a;
	assert_int_equal(
	    judge("IRQPATH-INIT: kernel 6.1\nIRQPATH-RESULT {not json\n", why, sizeof(why), &a),
	    GV_BAD_REPORT);
	assert_null(a);
	assert_int_equal(judge("IRQPATH-ERROR: no eth0\nIRQPATH-RESULT "
			       "{\"status\":\"error\",\"error\":\"no eth0\"}\n",
			       why, sizeof(why), &a),
			 GV_GUEST_ERROR);
	assert_non_null(strstr(why, "no eth0"));
	json_decref(a);
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"idle\"}\n", why, sizeof(why), &a),
			 GV_GUEST_ERROR);
	assert_non_null(strstr(why, "no workload"));
	json_decref(a);
}

/* printk does not wait for a user line: its messages land inside the report */
static void kernel_message_inside_the_report(void **state)
{
	(void)state;
	char why[512];
	json_t *a;
	/* after the object, before the newline */
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"ok\",\"rr\":{\"transactions\":5}}"
			       "[   41.553351] clocksource: Long readout interval\r\n",
			       why, sizeof(why), &a),
			 GV_OK);
	json_decref(a);
	/* in the middle: the line ends at the message's newline and goes on */
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"ok\",\"rr\":{\"transac"
			       "[   41.553351] clocksource: Long readout interval\r\n"
			       "tions\":7}}\r\nIRQPATH-IRQS {}\r\n",
			       why, sizeof(why), &a),
			 GV_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(a, "rr"), "transactions")), 7);
	json_decref(a);
	/* a broken line without a kernel message stays broken */
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"ok\",\"rr\":[1.5]\r\nmore}\r\n", why,
			       sizeof(why), &a),
			 GV_BAD_REPORT);
}

static void zero_transactions(void **state)
{
	(void)state;
	char why[512];
	json_t *a;
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"ok\",\"rr\":{\"transactions\":0}}\r\n",
			       why, sizeof(why), &a),
			 GV_NO_TRANSACTIONS);
	json_decref(a);
	assert_int_equal(judge("IRQPATH-RESULT {\"status\":\"ok\"}\n", why, sizeof(why), &a),
			 GV_NO_TRANSACTIONS);
	json_decref(a);
}

static void good_run(void **state)
{
	(void)state;
	struct guest_console c;
	guest_console_init(&c);
	feed(&c, "IRQPATH-INIT: kernel 6.1.0\r\nIRQPATH-INIT: clocksource kvm-clock\r\n");
	feed(&c, "IRQPATH-RESULT {\"status\":\"ok\",\"rr\":{\"transactions\":1234}}\r\n");
	feed(&c, "IRQPATH-IRQS {\"virtio0-input.0\":7,\"virtio0-output.0\":9}\r\n");
	feed(&c, "[ 9.9] Kernel panic - not syncing: Attempted to kill init!\r\n");
	char why[512];
	json_t *a;
	assert_int_equal(guest_console_verdict(&c, &a, why, sizeof(why)), GV_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(a, "rr"), "transactions")), 1234);
	json_decref(a);
	assert_string_equal(c.clocksource, "kvm-clock");
	assert_true(c.init_seen);
	assert_non_null(strstr(c.panic, "Attempted to kill init"));
	assert_int_equal(c.lines, 5);
	json_t *irqs = guest_console_irqs(&c);
	assert_int_equal(json_integer_value(json_object_get(irqs, "virtio0-output.0")), 9);
	json_decref(irqs);
	assert_false(c.halted);
	feed(&c, "[ 10.1] reboot: System halted\r\n");
	assert_true(c.halted);
	guest_console_free(&c);
}

static void report_start_is_signalled(void **state)
{
	(void)state;
	struct guest_console c;
	guest_console_init(&c);
	const char *text = "x IRQPATH-RESULT \nIRQPATH-RESULT {}\nIRQPATH-IRQS {}\n";
	unsigned hits = 0, at = 0;
	for (unsigned i = 0; text[i]; i++)
		if (guest_console_feed(&c, (uint8_t)text[i]) == GCE_REPORT) {
			hits++;
			at = i;
		}
	assert_int_equal(hits, 1); /* only at the start of a line */
	assert_int_equal(at, strlen("x IRQPATH-RESULT \nIRQPATH-RESULT ") - 1);
	guest_console_free(&c);
}

static void long_line_is_cut(void **state)
{
	(void)state;
	struct guest_console c;
	guest_console_init(&c);
	for (unsigned i = 0; i < GUEST_CONSOLE_LINE_MAX + 100; i++)
		guest_console_feed(&c, 'x');
	feed(&c, "\nlast words\n");
	assert_false(c.oom);
	assert_null(guest_console_irqs(&c));
	feed(&c, "IRQPATH-IRQS [1]\n"); /* not an object */
	assert_null(guest_console_irqs(&c));
	feed(&c, "last words\n");
	assert_string_equal(c.last, "last words");
	assert_int_equal(c.lines, 4);
	guest_console_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(no_console),
	    cmocka_unit_test(no_report_names_the_panic),
	    cmocka_unit_test(bad_and_error_reports),
	    cmocka_unit_test(kernel_message_inside_the_report),
	    cmocka_unit_test(zero_transactions),
	    cmocka_unit_test(good_run),
	    cmocka_unit_test(report_start_is_signalled),
	    cmocka_unit_test(long_line_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
