/* SPDX-License-Identifier: MIT */
/*
 * Runs without KVM counters (a Linux guest under QEMU TCG): the table and
 * the notes say "no KVM counters" where host counts would be, never n/a or
 * zero, and the validator holds such files to null host counts.
 * Inputs: reports/tests/fixtures/linux-tcg.json (synthetic) and run-a/pci.json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../results.h"
#include "../summary.h"
#include "../tab.h"

static void fixture_path(char *buf, size_t len, const char *name)
{
	const char *root = getenv("IRQPATH_ROOT");
	snprintf(buf, len, "%s/reports/tests/fixtures/%s", root ? root : ".", name);
}

static void load(struct result_set *set, const char *name)
{
	char p[4096], err[512];
	fixture_path(p, sizeof(p), name);
	if (results_add(set, p, err, sizeof(err)))
		fail_msg("%s", err);
}

/* the text of the table, or of the notes */
static char *render(const struct result_set *set, int notes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (notes) {
		summary_notes(set, f);
		summary_attribution(set, f);
	} else {
		struct tab t;
		summary_table(set, &t, 0);
		tab_print_text(&t, f);
		tab_free(&t);
	}
	fclose(f);
	return buf;
}

/* the line starting with LABEL */
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

static void tcg_alone(void **state)
{
	(void)state;
	struct result_set set = {0};
	load(&set, "linux-tcg.json");
	results_finish(&set);
	assert_int_equal(result_kvm_counters(&set.r[0]), 0);
	assert_string_equal(result_accel(&set.r[0]), "tcg");
	char *t = render(&set, 0), l[256];
	assert_non_null(strstr(line_of(t, "exits, all causes", l, sizeof(l)), "no KVM counters"));
	assert_non_null(strstr(line_of(t, "MSIs rx", l, sizeof(l)), "no KVM counters"));
	assert_non_null(strstr(line_of(t, "guest/host agree", l, sizeof(l)), "no KVM counters"));
	assert_non_null(strstr(line_of(t, "accel", l, sizeof(l)), "tcg"));
	/* the guest's own figures are shown */
	assert_non_null(strstr(line_of(t, "mean", l, sizeof(l)), "4100"));
	assert_non_null(strstr(line_of(t, "guest irqs w/ rx work", l, sizeof(l)), "1.25"));
	assert_null(strstr(t, "n/a"));
	free(t);
	char *n = render(&set, 1);
	assert_non_null(strstr(n, "no KVM counters (TCG)"));
	assert_null(strstr(n, "No host tracer")); /* the reason is TCG, not a tracer */
	free(n);
	results_free(&set);
}

static void tcg_beside_kvm(void **state)
{
	(void)state;
	struct result_set set = {0};
	load(&set, "run-a/pci.json"); /* micro-guest, KVM, traced */
	load(&set, "linux-tcg.json");
	results_finish(&set);
	assert_int_equal(set.n, 2);
	size_t kvm = result_kvm_counters(&set.r[0]) ? 0 : 1, tcg = 1 - kvm;
	assert_int_equal(result_kvm_counters(&set.r[tcg]), 0);
	char *t = render(&set, 0), l[256];
	const char *ex = line_of(t, "exits, all causes", l, sizeof(l));
	/* one column counted, one marked */
	char cell[2][16];
	for (int c = 0; c < 2; c++)
		snprintf(cell[c], sizeof(cell[c]), "%.15s", ex + 22 + 16 * c + 1);
	assert_non_null(strstr(cell[tcg], "no KVM counters"));
	assert_null(strstr(cell[kvm], "no KVM"));
	assert_true(strpbrk(cell[kvm], "123456789") != NULL); /* a count, from the tracer */
	free(t);
	char *n = render(&set, 1);
	assert_non_null(strstr(n, "no KVM counters (TCG)"));
	free(n);
	results_free(&set);
}

static void validator_holds_tcg_to_null(void **state)
{
	(void)state;
	char p[4096], err[512];
	fixture_path(p, sizeof(p), "linux-tcg.json");
	json_t *doc = json_load_file(p, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(results_validate(doc, err, sizeof(err)), 0);

	json_t *d = json_deep_copy(doc); /* a zero where no count exists */
	json_t *m =
	    json_object_get(json_array_get(json_object_get(d, "repetitions"), 0), "metrics");
	json_object_set_new(m, "acks_per_txn", json_integer(0));
	json_object_set_new(json_object_get(d, "summary"), "acks_per_txn",
			    json_pack("{s:f, s:f, s:i}", "mean", 0.0, "stddev", 0.0, "n", 1));
	assert_int_equal(results_validate(d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "repetitions[0].metrics.acks_per_txn"));
	json_decref(d);

	d = json_deep_copy(doc);
	json_object_set_new(d, "accel", json_string("hvf"));
	assert_int_equal(results_validate(d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "accel"));
	json_decref(d);

	d = json_deep_copy(doc);
	json_object_set_new(json_array_get(json_object_get(d, "repetitions"), 1), "kvm_counters",
			    json_string("no"));
	assert_int_equal(results_validate(d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "repetitions[1].kvm_counters"));
	json_decref(d);

	d = json_deep_copy(doc);
	json_object_set_new(d, "note", json_integer(3));
	assert_int_equal(results_validate(d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "note"));
	json_decref(d);

	/* files from before these fields (micro-guest runs) stay valid and KVM */
	fixture_path(p, sizeof(p), "run-a/mmio-v3.json");
	d = json_load_file(p, 0, NULL);
	assert_non_null(d);
	assert_int_equal(results_validate(d, err, sizeof(err)), 0);
	json_decref(d);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tcg_alone),
	    cmocka_unit_test(tcg_beside_kvm),
	    cmocka_unit_test(validator_holds_tcg_to_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
