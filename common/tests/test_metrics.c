/* SPDX-License-Identifier: MIT */
/*
 * The registry (common/metrics.def) and its evaluation: every row is well
 * formed; sources read the documents they name; per transaction whole-run
 * and marginal; family members; the summary statistics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../metrics.h"

static void rows_well_formed(void **state)
{
	(void)state;
	assert_int_equal(metric_nrows, M_COUNT);
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *r = &metric_rows[i];
		assert_int_equal(r->id, i); /* ids index the table */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(r->key, metric_rows[j].key);
		/* labels fit the table's 22-column label */
		char lab[METRIC_LABEL_MAX];
		snprintf(lab, sizeof(lab), r->label, "xxxxx", "yyy");
		assert_true(strlen(lab) <= 22);
		/* every source term names its document */
		char src[512];
		snprintf(src, sizeof(src), "%s", r->source);
		for (char *s, *t = strtok_r(src, "|+/", &s); t; t = strtok_r(NULL, "|+/", &s)) {
			while (*t == ' ')
				t++;
			assert_true(!strncmp(t, "trace:", 6) || !strncmp(t, "vmm:", 4) ||
				    !strncmp(t, "linux:", 6));
		}
		/* a family has a '*' in its source for each %s in its key */
		int stars = 0, pct = 0;
		for (const char *p = r->source; (p = strchr(p, '*')); p++)
			stars++;
		for (const char *p = r->key; (p = strstr(p, "%s")); p += 2)
			pct++;
		if (pct)
			assert_int_equal(stars, pct);
	}
}

static void lookups(void **state)
{
	(void)state;
	char buf[METRIC_KEY_MAX];
	assert_ptr_equal(metric_find("exits_per_txn.total"), &metric_rows[M_EXITS]);
	assert_ptr_equal(metric_find("exits_per_txn.npf"), &metric_rows[M_EXITS_BY_REASON]);
	assert_ptr_equal(metric_find("vcpu.0.exits_per_txn.hlt"),
			 &metric_rows[M_VCPU_EXITS_BY_REASON]);
	assert_null(metric_find("exits_per_txn.NPF")); /* members are lower case */
	assert_null(metric_find("bogus"));
	assert_string_equal(metric_member_key(M_EXITS_BY_REASON, "EPT_VIOLATION", buf, sizeof(buf)),
			    "exits_per_txn.ept_violation");
	assert_string_equal(
	    metric_member_of("exits_per_txn.npf", M_EXITS_BY_REASON, buf, sizeof(buf)), "npf");
	assert_null(metric_member_of("exits_per_txn.total", M_EXITS_BY_REASON, buf, sizeof(buf)));
	assert_string_equal(metric_label("exits_per_txn.vintr", buf, sizeof(buf)), "  VINTR");
	assert_true(metric_accounts_for(&metric_rows[M_LAPIC_EOI], "msr"));
	assert_false(metric_accounts_for(&metric_rows[M_LAPIC_EOI], "ms"));
}

static const char *trace_n =
    "{\"totals\":{\"exits\":2040,\"userspace_exits\":10,\"x2apic_eoi\":1000},"
    "\"exits_by_reason\":{\"npf\":1040,\"MSR\":1000},"
    "\"msi_by_vector\":{\"48\":{\"count\":1000,\"queue\":\"rx\"},"
    "\"49\":{\"count\":3,\"queue\":\"config\"}},"
    "\"mmio_by_register\":{\"InterruptStatus\":{\"reads\":0}}}";
static const char *trace_1 = "{\"totals\":{\"exits\":42,\"userspace_exits\":10,\"x2apic_eoi\":1},"
			     "\"exits_by_reason\":{\"npf\":41,\"MSR\":1},"
			     "\"msi_by_vector\":{\"48\":{\"count\":1,\"queue\":\"rx\"}}}";
static const char *vmm_n = "{\"result\":{\"trans_per_s\":3000.5},\"vmm\":{\"userspace_exits\":10,"
			   "\"queues\":{\"rx\":{\"interrupts\":1000}},\"config_interrupts\":3},"
			   "\"guest\":{\"irqs_by_vector\":{\"48\":1000,\"49\":3}}}";

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void per_transaction(void **state)
{
	(void)state;
	json_t *tn = json_loads(trace_n, 0, NULL), *t1 = json_loads(trace_1, 0, NULL);
	json_t *vn = json_loads(vmm_n, 0, NULL);
	struct metric_docs dn = {tn, vn, NULL}, d1 = {t1, vn, NULL};
	json_t *cn = metric_counts(&dn), *c1 = metric_counts(&d1);
	assert_float_equal(num(cn, "exits_per_txn.total"), 2040, 0);
	assert_float_equal(num(cn, "exits_per_txn.msr"), 1000, 0);
	assert_float_equal(num(cn, "msis_per_txn.rx"), 1000, 0);  /* filtered by queue */
	assert_float_equal(num(cn, "msis_per_txn.config"), 3, 0); /* the other vector */
	assert_float_equal(num(cn, "status_reads_per_txn"), 0, 0);
	assert_float_equal(num(c1, "status_reads_per_txn"), 0, 0); /* absent counter: 0 */
	/* every interrupt the micro-guest took, all vectors */
	assert_float_equal(num(cn, "guest.interrupts_per_txn.all"), 1003, 0);
	/* a ratio keeps numerator and denominator: EOIs per device interrupt */
	const json_t *ratio = json_object_get(cn, "irq_path_exits_per_device_irq");
	assert_float_equal(json_number_value(json_array_get(ratio, 1)), 1003, 0);

	json_t *w = metric_whole_run(cn, 1000), *m = metric_marginal(cn, 1000, c1, 1);
	assert_float_equal(num(w, "exits_per_txn.npf"), 1.04, 1e-12);
	assert_float_equal(num(m, "exits_per_txn.npf"), 1.0, 1e-12);	     /* (1040-41)/999 */
	assert_float_equal(num(m, "userspace_exits_per_txn"), 0, 1e-12);     /* set-up only */
	assert_float_equal(num(m, "trans_per_s"), 3000.5, 0);		     /* a value */
	assert_float_equal(num(m, "msis_per_txn.config"), 3.0 / 999, 1e-12); /* 0 in base */

	/* no tracer: host rows null, never 0; the VMM's still counted */
	struct metric_docs none = {NULL, vn, NULL};
	json_t *cx = metric_counts(&none);
	assert_true(json_is_null(json_object_get(cx, "exits_per_txn.total")));
	assert_float_equal(num(cx, "vmm.userspace_exits_per_txn"), 10, 0);
	json_decref(cx);

	/* summary: mean, sample stddev, n over ok repetitions */
	json_t *reps = json_pack("[{s:s, s:{s:f}}, {s:s, s:{s:f}}, {s:s, s:{s:f}}]", "status", "ok",
				 "metrics", "k", 1.0, "status", "ok", "metrics", "k", 3.0, "status",
				 "failed", "metrics", "k", 100.0);
	json_t *s = metric_summarize(reps, "metrics");
	json_t *k = json_object_get(s, "k");
	assert_float_equal(num(k, "mean"), 2, 1e-12);
	assert_float_equal(num(k, "stddev"), sqrt(2), 1e-12);
	assert_int_equal(json_integer_value(json_object_get(k, "n")), 2);
	json_decref(s);
	json_decref(reps);
	json_decref(w);
	json_decref(m);
	json_decref(cn);
	json_decref(c1);
	json_decref(tn);
	json_decref(t1);
	json_decref(vn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rows_well_formed),
	    cmocka_unit_test(lookups),
	    cmocka_unit_test(per_transaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
