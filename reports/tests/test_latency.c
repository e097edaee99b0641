/* SPDX-License-Identifier: MIT */
/*
 * Exit-latency charts: one PNG+SVG per exit reason (and "all") with a
 * series per profile, from an SVM host's results (fixtures/svm-tcg);
 * none where exits are derived (fixtures/run-a, no histograms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../latency.h"
#include "../../common/jsonio.h"
#include "fixture.h"

static void per_reason_charts(void **state)
{
	(void)state;
	char dir[64] = "/tmp/irqpath-test-latency-XXXXXX", err[512], p[256];
	assert_non_null(mkdtemp(dir));
	struct result_set set = {0};
	fixture_load(&set, "svm-tcg");
	results_finish(&set);
	struct latency_charts lc;
	assert_int_equal(latency_render(&set, dir, &lc, err, sizeof(err)), 0);
	assert_int_equal(lc.n, 6); /* npf msr hlt vintr io, then all */
	assert_string_equal(lc.reason[lc.n - 1], "all");
	static const char *const want[] = {"npf", "msr", "hlt", "vintr", "all"};
	for (size_t i = 0; i < 5; i++)
		for (int svg = 0; svg < 2; svg++) {
			snprintf(p, sizeof(p), "%s/latency-%s.%s", dir, want[i],
				 svg ? "svg" : "png");
			assert_int_equal(access(p, F_OK), 0);
		}
	/* the 8 us bucket (2^13 ns): 3/4 of each run's NPF exits, summed over both */
	snprintf(p, sizeof(p), "%s/latency-npf.dat", dir);
	char *dat = read_file_text(p, NULL);
	assert_non_null(dat);
	assert_non_null(strstr(dat, "\"bucket\" \"pci\" \"mmio-legacy\" \"mmio-v3\""));
	assert_non_null(strstr(dat, "\"8us\" 1563 4563 1563"));
	free(dat);
	results_free(&set);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);

	struct result_set derived = {0};
	fixture_load(&derived, "run-a");
	latency_reasons(&derived, &lc);
	assert_int_equal(lc.n, 0);
	results_free(&derived);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(per_reason_charts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
