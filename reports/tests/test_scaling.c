/* SPDX-License-Identifier: MIT */
/*
 * The scaling section from fixtures/scaling (made by
 * bench/tests/test_sweep.c: three transports at 1, 2 and 4 queue pairs on
 * as many vCPUs, a 2-core host): the rows and their order, the 72-column
 * table, the note on vCPUs beyond the host's cores, sweep points as
 * profiles of their own, the heat map's cells, and no section for a run at
 * one queue count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../document.h"
#include "../scaling.h"
#include "fixture.h"

static void rows_in_order(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "scaling");
	results_finish(&set);
	assert_int_equal(set.n, 9);
	assert_true(scaling_present(&set));
	struct scaling_row rows[SCALING_MAX_ROWS];
	size_t n = scaling_rows(&set, rows, SCALING_MAX_ROWS);
	assert_int_equal(n, 9);
	/* pci first (the reference), then mmio-legacy, mmio-v3; by queues inside */
	assert_string_equal(rows[0].profile, "pci");
	assert_int_equal(rows[0].queues, 1);
	assert_int_equal(rows[2].queues, 4);
	assert_string_equal(rows[3].profile, "mmio-legacy");
	assert_string_equal(rows[3].r->profile, "mmio-legacy");
	assert_string_equal(rows[4].r->profile, "mmio-legacy-q2v2"); /* its own profile */
	assert_string_equal(rows[4].r->label, "mmio-legacy-q2v2");
	/* legacy: every transaction of vCPU i > 0 costs an IPI and its EOI */
	assert_float_equal(rows[4].ipis, 0.5, 1e-9);
	assert_float_equal(rows[5].ipis, 0.75, 1e-9);
	assert_float_equal(rows[5].irqs, 1.75, 1e-9);
	assert_float_equal(rows[5].exits, 7.5, 1e-9);
	assert_float_equal(rows[1].ipis, 0, 1e-9); /* pci: none */
	assert_float_equal(rows[2].trans_per_s, 15600, 1e-6);
	/* 4 vCPUs on the fixture's 2 cores */
	assert_int_equal(rows[2].host_cpus, 2);
	assert_true(rows[2].over_cores);
	assert_false(rows[1].over_cores);
	assert_false(rows[4].irqs_guest);
	results_free(&set);
}

static void text_table(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "scaling");
	results_finish(&set);
	char *buf = NULL;
	CAPTURE(buf, scaling_text(&set, f));
	assert_non_null(strstr(buf, "Scaling with queue pairs"));
	assert_non_null(strstr(buf, "mmio-legacy       4    4*     2600.0       7.50      1.75"
				    "      0.75\n"));
	assert_non_null(strstr(buf, "pci               2     2     7800.0       4.00      1.00"
				    "      0.00\n"));
	assert_non_null(strstr(buf, "2 cores online"));
	assert_non_null(strstr(buf, "counts are\nexact") ? strstr(buf, "counts are\nexact")
							 : strstr(buf, "counts are exact"));
	assert_non_null(strstr(buf, "not meaningful"));
	for (char *p = buf; *p;) { /* the mailing-list width */
		size_t l = strcspn(p, "\n");
		assert_true(l <= 72);
		p += l + (p[l] == '\n');
	}
	free(buf);
	/* the whole report carries it, the Markdown with its charts */
	CAPTURE(buf, document_text(&set, f));
	assert_non_null(strstr(buf, "Scaling with queue pairs"));
	free(buf);
	CAPTURE(buf, document_markdown(&set, "charts", f));
	assert_non_null(strstr(buf, "## Scaling with queue pairs"));
	assert_non_null(strstr(buf, "charts/scaling-transs.png"));
	assert_non_null(strstr(buf, "charts/scaling-ipis.svg"));
	assert_non_null(strstr(buf, "charts/heatmap-mmio-legacy-q4v4.png"));
	assert_non_null(strstr(buf, "| 300 / 300 / 300 / 300 |")); /* transactions by vCPU */
	free(buf);
	results_free(&set);
}

static void heat_map_cells(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "scaling");
	results_finish(&set);
	static struct scaling_heat h;
	const struct result *legacy4 = NULL, *pci2 = NULL;
	for (size_t i = 0; i < set.n; i++) {
		if (!strcmp(set.r[i].profile, "mmio-legacy-q4v4"))
			legacy4 = &set.r[i];
		if (!strcmp(set.r[i].profile, "pci-q2v2"))
			pci2 = &set.r[i];
	}
	assert_non_null(legacy4);
	assert_non_null(pci2);
	/* legacy: the pin's vector on vCPU 0 only, the IPI vector on the others */
	assert_true(scaling_heat(legacy4, &h));
	assert_int_equal(h.nvcpu, 4);
	assert_int_equal(h.nvec, 2);
	assert_int_equal(h.vec[0], 48);
	assert_int_equal(h.vec[1], 240);
	assert_float_equal(h.count[0][0], 2400, 0); /* 2 runs x 1200 */
	assert_float_equal(h.count[1][0], 0, 0);
	assert_float_equal(h.count[3][1], 600, 0);
	assert_float_equal(h.count[0][1], 0, 0);
	assert_int_equal(h.reps, 2);
	/* pci: each rx queue's vector only on its owner vCPU */
	assert_true(scaling_heat(pci2, &h));
	assert_int_equal(h.nvec, 2);
	assert_int_equal(h.vec[0], 0x41);
	assert_int_equal(h.vec[1], 0x43);
	assert_float_equal(h.count[0][0], 1200, 0);
	assert_float_equal(h.count[1][1], 1200, 0);
	assert_float_equal(h.count[0][1], 0, 0);
	char b[64];
	assert_string_equal(scaling_heatmap_base(pci2, b, sizeof(b)), "heatmap-pci-q2v2");
	results_free(&set);
}

static void one_queue_count_no_section(void **state)
{
	(void)state;
	struct result_set set = {0};
	fixture_load(&set, "run-a");
	results_finish(&set);
	assert_false(scaling_present(&set));
	char *buf = NULL;
	CAPTURE(buf, scaling_text(&set, f));
	assert_string_equal(buf, "");
	free(buf);
	results_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rows_in_order),
	    cmocka_unit_test(text_table),
	    cmocka_unit_test(heat_map_cells),
	    cmocka_unit_test(one_queue_count_no_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
