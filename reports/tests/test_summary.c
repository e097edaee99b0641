/* SPDX-License-Identifier: MIT */
/*
 * The report's summary on an SVM host's results (fixtures/svm-tcg, made by
 * bench/tests/test_svm.c): exits per transaction by SVM reason, marginal
 * next to whole-run, the host kind and TCG timings in the header, and the
 * "mmio-legacy - mmio-v3" table with each row attributed to its events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../document.h"
#include "../summary.h"
#include "../tab.h"
#include "fixture.h"

/* the line starting with LABEL, or fail */
static const char *line_of(const char *text, const char *label, char *out, size_t len)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, label, strlen(label))) {
			size_t n = strcspn(p, "\n");
			snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
			return out;
		}
	}
	fail_msg("no line '%s' in:\n%s", label, text);
	return NULL;
}

static void svm_table_by_reason(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "svm-tcg");
	results_finish(&set);
	assert_int_equal(set.n, 3);
	char *t = NULL, l[256];
	CAPTURE(t, document_text(&set, f));
	/* columns: pci, mmio-legacy, mmio-v3; cells "marginal / whole-run" */
	line_of(t, "  NPF", l, sizeof(l));
	assert_non_null(strstr(l, "1.00 / 1.04     3.00 / 3.04     1.00 / 1.04"));
	assert_non_null(strstr(line_of(t, "  VINTR", l, sizeof(l)), "1.00 / 1.00"));
	assert_non_null(strstr(line_of(t, "  HLT", l, sizeof(l)), "1.00 / 1.00"));
	assert_non_null(strstr(line_of(t, "userspace exits", l, sizeof(l)), "2.00 / 2.03"));
	/* the header: where the run was measured */
	assert_non_null(strstr(t, "exits kvm_exit svm"));
	assert_non_null(strstr(t, "host kind svm-tcg, L1 kernel 6.1.0-fixture-amd64"));
	assert_non_null(strstr(t, "timings are TCG timings"));
	assert_non_null(strstr(t, "marginal (N-run minus 1-run) / whole-run"));
	/* every line fits a mailing list */
	for (const char *p = t; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
		assert_true(strcspn(p, "\n") <= 72);
	free(t);
	results_free(&set);
}

static void legacy_minus_v3_attributed(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "svm-tcg");
	results_finish(&set);
	char *t = NULL, l[256];
	CAPTURE(t, summary_difference(&set, "mmio-legacy", "mmio-v3", f));
	assert_non_null(strstr(t, "mmio-legacy - mmio-v3, exits per transaction (host, marginal)"));
	line_of(t, "  NPF", l, sizeof(l));
	assert_non_null(strstr(l, "+2.00  InterruptStatus reads +1.00,"));
	assert_non_null(strstr(t, "InterruptACK writes +1.00\n"));
	assert_non_null(strstr(line_of(t, "  of which userspace", l, sizeof(l)), "+2.00"));
	assert_null(strstr(t, "  MSR")); /* no difference, no row */
	free(t);
	results_free(&set);
}

/* without the status reads the NPF difference is only half explained */
static void attribution_follows_the_counts(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "svm-tcg");
	results_finish(&set);
	for (size_t i = 0; i < set.n; i++) {
		if (strcmp(set.r[i].profile, "mmio-legacy"))
			continue;
		json_t *ms = json_object_get(set.r[i].doc, "marginal_summary");
		json_object_set_new(json_object_get(ms, "status_reads_per_txn"), "mean",
				    json_real(0));
	}
	char *t = NULL, l[256];
	CAPTURE(t, summary_difference(&set, "mmio-legacy", "mmio-v3", f));
	line_of(t, "  NPF", l, sizeof(l));
	assert_non_null(strstr(l, "+2.00  InterruptACK writes +1.00, other +1.00"));
	free(t);
	/* a set without mmio-v3 has no such table */
	struct result_set one = {0};
	fixture_load(&one, "svm-tcg/mmio-legacy.json");
	results_finish(&one);
	CAPTURE(t, summary_difference(&one, "mmio-legacy", "mmio-v3", f));
	assert_string_equal(t, "");
	free(t);
	results_free(&one);
	results_free(&set);
}

/* derived exits (kvm_pvm): the table by MMIO/MSR cause, whole-run only */
static void derived_whole_run(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "run-a");
	results_finish(&set);
	struct tab tb;
	char *t = NULL, l[256];
	summary_table(&set, &tb, 0);
	CAPTURE(t, tab_print_text(&tb, f));
	tab_free(&tb);
	assert_null(strstr(t, " / ")); /* no baseline: no marginal cells */
	line_of(t, "  MMIO", l, sizeof(l));
	free(t);
	results_free(&set);
}

/* Markdown: the per-vCPU table and a latency chart per reason */
static void markdown_vcpus_and_latency(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "svm-tcg");
	results_finish(&set);
	char *t = NULL, l[256];
	CAPTURE(t, document_markdown(&set, "charts", f));
	assert_non_null(strstr(t, "## Exits per transaction by vCPU and reason"));
	line_of(t, "| vCPU 0 NPF |", l, sizeof(l));
	assert_non_null(strstr(l, "3.00 ± 0.00 / 3.04"));
	assert_non_null(strstr(t, "![exit latency, npf](charts/latency-npf.png)"));
	assert_non_null(strstr(t, "![exit latency, all](charts/latency-all.png)"));
	free(t);
	results_free(&set);
	/* derived exits: neither */
	struct result_set d = {0};
	fixture_load(&d, "run-a");
	results_finish(&d);
	CAPTURE(t, document_markdown(&d, "charts", f));
	assert_null(strstr(t, "by vCPU"));
	assert_null(strstr(t, "latency-"));
	free(t);
	results_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(svm_table_by_reason),
	    cmocka_unit_test(legacy_minus_v3_attributed),
	    cmocka_unit_test(attribution_follows_the_counts),
	    cmocka_unit_test(derived_whole_run),
	    cmocka_unit_test(markdown_vcpus_and_latency),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
