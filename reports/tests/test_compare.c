/* SPDX-License-Identifier: MIT */
/*
 * compare: the registry's compared metrics only; a run against itself has
 * no significant change; a copy with trans/s 20% lower is a regression
 * and one with fewer exits an improvement (fixtures ab-base.json, svm-tcg).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../common/metrics.h"
#include "../compare.h"
#include "fixture.h"

/* Multiplies KEY by FACTOR in every repetition and the summary. */
static void scale(struct result *r, const char *key, double factor)
{
	size_t i;
	json_t *rep;
	json_array_foreach(json_object_get(r->doc, "repetitions"), i, rep)
	{
		json_t *m = json_object_get(rep, "metrics");
		json_t *v = json_object_get(m, key);
		if (json_is_number(v))
			json_object_set_new(m, key, json_real(json_number_value(v) * factor));
	}
	json_t *s = json_object_get(json_object_get(r->doc, "summary"), key);
	json_object_set_new(s, "mean",
			    json_real(json_number_value(json_object_get(s, "mean")) * factor));
}

static json_t *row(json_t *out, const char *metric)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(out, "metrics"), i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "metric")), metric))
			return r;
	}
	return NULL;
}

static void against_itself(void **state)
{
	(void)state;
	struct result_set a = {0}, b = {0};
	fixture_load(&a, "ab-base.json");
	fixture_load(&b, "ab-base.json");
	int nsig = -1;
	char *t = NULL;
	json_t *out = NULL;
	CAPTURE(t, out = compare_sets(&a, &b, f, &nsig));
	assert_int_equal(nsig, 0);
	assert_non_null(strstr(t, "no significant change"));
	assert_int_equal(json_integer_value(json_object_get(out, "profiles_compared")), 1);
	assert_non_null(row(out, metric_key(M_TRANS_PER_S)));
	free(t);
	json_decref(out);
	results_free(&a);
	results_free(&b);
}

static void regression_and_improvement(void **state)
{
	(void)state;
	struct result_set a = {0}, b = {0};
	fixture_load(&a, "ab-base.json");
	fixture_load(&b, "ab-base.json");
	scale(&b.r[0], metric_key(M_TRANS_PER_S), 0.8);
	scale(&b.r[0], metric_key(M_EXITS), 0.5);
	int nsig = 0;
	char *t = NULL;
	json_t *out = NULL;
	CAPTURE(t, out = compare_sets(&a, &b, f, &nsig));
	assert_true(nsig >= 2);
	json_t *tps = row(out, metric_key(M_TRANS_PER_S)), *ex = row(out, metric_key(M_EXITS));
	assert_non_null(tps);
	assert_non_null(ex);
	assert_true(json_is_true(json_object_get(tps, "regression")));
	assert_float_equal(json_number_value(json_object_get(tps, "change_pct")), -20, 1e-6);
	assert_true(json_is_true(json_object_get(ex, "significant")));
	assert_true(json_is_false(json_object_get(ex, "regression"))); /* fewer is better */
	assert_non_null(strstr(t, "REGRESSION"));
	assert_non_null(strstr(t, "improvement"));
	free(t);
	json_decref(out);
	results_free(&a);
	results_free(&b);
}

/* per-vCPU figures are in the results, but not compared (registry flags) */
static void only_compared_rows(void **state)
{
	(void)state;
	struct result_set a = {0}, b = {0};
	fixture_load(&a, "svm-tcg");
	fixture_load(&b, "svm-tcg");
	results_finish(&a);
	results_finish(&b);
	int nsig = 0;
	char *t = NULL;
	json_t *out = NULL;
	CAPTURE(t, out = compare_sets(&a, &b, f, &nsig));
	assert_non_null(row(out, "exits_per_txn.npf"));
	assert_null(row(out, "vcpu.0.exits_per_txn.npf"));
	assert_null(strstr(t, "vcpu."));
	free(t);
	json_decref(out);
	results_free(&a);
	results_free(&b);
}

/* one profile on each side: compared with each other, settings noted */
static void across_profiles(void **state)
{
	(void)state;
	struct result_set a = {0}, b = {0};
	fixture_load(&a, "svm-tcg/mmio-legacy.json");
	fixture_load(&b, "svm-tcg/mmio-v3.json");
	int nsig = 0;
	char *t = NULL;
	json_t *out = NULL;
	CAPTURE(t, out = compare_sets(&a, &b, f, &nsig));
	assert_int_equal(json_integer_value(json_object_get(out, "profiles_compared")), 1);
	json_t *pair = json_array_get(json_object_get(out, "pairs"), 0);
	assert_string_equal(json_string_value(json_object_get(pair, "base")), "mmio-legacy");
	assert_string_equal(json_string_value(json_object_get(pair, "new")), "mmio-v3");
	assert_non_null(strstr(t, "profile.transport differs: mmio-legacy (base) vs mmio-v3"));
	assert_non_null(row(out, metric_key(M_EXITS)));
	assert_non_null(strstr(t, "new mmio-v3 - base mmio-legacy, exits per transaction"));
	assert_int_equal(json_array_size(json_object_get(out, "only_in_base")), 0);
	free(t);
	json_decref(out);
	results_free(&a);
	results_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(against_itself),
	    cmocka_unit_test(regression_and_improvement),
	    cmocka_unit_test(only_compared_rows),
	    cmocka_unit_test(across_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
