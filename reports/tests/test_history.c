/* SPDX-License-Identifier: MIT */
/*
 * history: lines carry every metric's samples; the registry's headline
 * metrics get a chart each; a run whose trans/s drops 20% below the
 * previous ones is flagged, steady runs are not (fixture ab-base.json).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../common/metrics.h"
#include "../history.h"
#include "fixture.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/irqpath-test-history-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Appends the fixture's line, trans/s scaled by FACTOR, as commit C. */
static void append(const char *file, double factor, const char *commit)
{
	struct result_set set = {0};
	fixture_load(&set, "ab-base.json");
	json_t *e = history_entry(&set, commit, "2026-12-02T00:00:00Z");
	json_t *tps =
	    json_object_get(json_object_get(json_object_get(e, "profiles"), set.r[0].profile),
			    metric_key(M_TRANS_PER_S));
	assert_non_null(tps);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(tps, "samples"), i, v)
	    json_real_set(v, json_real_value(v) * factor);
	json_object_set_new(tps, "mean",
			    json_real(json_number_value(json_object_get(tps, "mean")) * factor));
	char err[256];
	assert_int_equal(history_append(file, e, err, sizeof(err)), 0);
	json_decref(e);
	results_free(&set);
}

static void steady_then_drop(void **state)
{
	(void)state;
	char file[128], out[128], err[512], png[192];
	snprintf(file, sizeof(file), "%s/history.jsonl", dir);
	snprintf(out, sizeof(out), "%s/charts", dir);
	for (int i = 0; i < 4; i++) {
		char c[16];
		snprintf(c, sizeof(c), "c%d", i);
		append(file, 1.0, c);
	}
	int total = -1;
	char *t = NULL;
	int latest = 0;
	CAPTURE(t, latest = history_render(file, out, HISTORY_WINDOW, f, &total, err, sizeof(err)));
	assert_int_equal(latest, 0);
	assert_int_equal(total, 0);
	assert_null(strstr(t, "REGRESSION"));
	free(t);
	/* a chart per headline row of the registry */
	snprintf(png, sizeof(png), "%s/history-trans_per_s.png", out);
	assert_int_equal(access(png, F_OK), 0);
	snprintf(png, sizeof(png), "%s/history-latency_p90_us.png", out);
	assert_int_not_equal(access(png, F_OK), 0); /* not a headline metric */

	append(file, 0.8, "c-slow");
	CAPTURE(t, latest = history_render(file, out, HISTORY_WINDOW, f, &total, err, sizeof(err)));
	assert_int_equal(latest, 1);
	assert_non_null(strstr(t, "REGRESSION"));
	assert_non_null(strstr(t, "trans_per_s at c-slow"));
	free(t);
}

static void bad_line(void **state)
{
	(void)state;
	char file[128], err[512];
	snprintf(file, sizeof(file), "%s/bad.jsonl", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("{\"schema\": \"something-else/1\"}\n", f);
	fclose(f);
	int total = 0;
	assert_int_equal(history_render(file, dir, 5, stdout, &total, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.jsonl:1: not an irqpath-history/1 line"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(steady_then_drop),
	    cmocka_unit_test(bad_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
