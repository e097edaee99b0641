/* SPDX-License-Identifier: MIT */
/*
 * reconcile: an SVM host's fixtures (no VMM register counts, no guest
 * interrupt counts) reconcile with nothing unexplained, unknown sides shown
 * as "-" rather than 0; a host count changed by hand is UNEXPLAINED; the
 * EOI row names the host kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../reconcile.h"
#include "fixture.h"

static void svm_host_reconciles(void **state)
{
	(void)state;
	struct result_set s = {0};
	fixture_load(&s, "svm-tcg");
	results_finish(&s);
	char *t = NULL;
	int bad = -1;
	CAPTURE(t, bad = reconcile_print(&s, f));
	assert_int_equal(bad, 0);
	assert_null(strstr(t, "UNEXPLAINED"));
	assert_non_null(strstr(t, "Counts reconciled, mmio-legacy (2 runs, totals):"));
	/* the VMM's register counts are not in these files: unknown, not 0 */
	assert_non_null(strstr(t, "InterruptStatus reads       2000         -      2000  agree"));
	assert_non_null(strstr(t, "this host (svm-tcg, nested, exits svm)"));
	free(t);
	results_free(&s);
}

static void changed_count_unexplained(void **state)
{
	(void)state;
	struct result_set s = {0};
	fixture_load(&s, "svm-tcg/mmio-legacy.json");
	json_t *rep = json_array_get(json_object_get(s.r[0].doc, "repetitions"), 0);
	json_t *n =
	    json_object_get(json_object_get(json_object_get(rep, "raw"), "trace"), "notifies");
	json_object_set_new(n, "tx",
			    json_integer(json_integer_value(json_object_get(n, "tx")) + 1));
	char *t = NULL;
	int bad = 0;
	CAPTURE(t, bad = reconcile_print(&s, f));
	assert_int_equal(bad, 1);
	assert_non_null(
	    strstr(t, "notifies tx                 2001         -      2000  guest -1"));
	assert_non_null(strstr(t, "UNEXPLAINED"));
	free(t);
	results_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(svm_host_reconciles),
	    cmocka_unit_test(changed_count_unexplained),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
