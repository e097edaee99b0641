/* SPDX-License-Identifier: MIT */
/*
 * Sweeps (--queues/--vcpus): the list parsing, the points and their file
 * names; then sweep-point results from synthetic irqpath-vmm/1 and
 * irqpath-trace/1 documents in SPEC-12's shapes (per_vcpu, ipis, rx0/tx0
 * queues) through the bench's own merge and results document, checking the
 * per-vCPU, per-vector and IPI rows of the registry.
 *
 * With IRQPATH_FIXTURE_OUT=DIR it also writes DIR/<profile>[-q<Q>v<V>].json:
 * that is how reports/tests/fixtures/scaling/ was made (synthetic numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../config.h"
#include "../merge.h"
#include "../resultsdoc.h"
#include "../sweep.h"
#include "../../common/metrics.h"
#include "irqpath/atomic_json.h"

static char err[256];

static void lists(void **state)
{
	(void)state;
	unsigned v[SWEEP_MAX_POINTS];
	size_t n;
	assert_int_equal(sweep_parse_list("--queues", "1,2,4", v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[2], 4);
	assert_int_equal(sweep_parse_list("--queues", "64", v, &n, err, sizeof(err)), 0);
	static const char *const bad[] = {"",
					  "0",
					  "65",
					  "1,",
					  ",1",
					  "1,,2",
					  "-1",
					  "1, 2",
					  " 1",
					  "1.5",
					  "two",
					  "1,2,3,4,5,6,7,8,9",
					  "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(sweep_parse_list("--queues", bad[i], v, &n, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "--queues"));
	}
}

static void points(void **state)
{
	(void)state;
	struct sweep sw;
	assert_int_equal(sweep_build(NULL, NULL, &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.n, 1); /* no sweep: the one default point */
	assert_true(sweep_point_is_default(&sw.p[0]));
	assert_int_equal(sweep_build("1,2,4", NULL, &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.n, 3); /* vcpus = queues */
	assert_int_equal(sw.p[2].queues, 4);
	assert_int_equal(sw.p[2].vcpus, 4);
	assert_int_equal(sweep_build("1,2,4", "2", &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.p[0].vcpus, 2); /* one value for every point */
	assert_int_equal(sw.p[2].vcpus, 2);
	assert_int_equal(sweep_build("2,4", "1,2", &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.p[0].vcpus, 1); /* paired */
	assert_int_equal(sw.p[1].vcpus, 2);
	assert_int_equal(sweep_build("1,2,4", "1,2", &sw, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--vcpus"));
	assert_int_equal(sweep_build("2,2", NULL, &sw, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(sweep_build("1", "x", &sw, err, sizeof(err)), -1);
	char b[64];
	struct sweep_point d = {1, 1}, p = {2, 2}, q = {4, 2};
	assert_string_equal(sweep_file_base("pci", &d, b, sizeof(b)), "pci");
	assert_string_equal(sweep_file_base("pci", &p, b, sizeof(b)), "pci-q2v2");
	assert_string_equal(sweep_file_base("mmio-legacy", &q, b, sizeof(b)), "mmio-legacy-q4v2");
	assert_string_equal(sweep_point_name(&d, b, sizeof(b)), "");
}

/* ---- sweep-point documents ---- */
#define N 1200	    /* transactions, split evenly over the vCPUs */
#define VEC_PIN 48  /* mmio-legacy's IOAPIC vector */
#define VEC_IPI 240 /* GABI_VEC_IPI */

static void put(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, json_integer((json_int_t)v));
}

static json_t *obj_at(json_t *o, const char *k)
{
	json_t *c = json_object_get(o, k);
	if (!c) {
		c = json_object();
		json_object_set_new(o, k, c);
	}
	return c;
}

static void add(json_t *o, const char *k, double v)
{
	put(o, k, json_number_value(json_object_get(o, k)) + v);
}

/*
 * One run at Q pairs on V vCPUs: pair p on vCPU p % V; per transaction a
 * notify (npf), an rx interrupt, an EOI (msr), a hlt and a vintr; legacy
 * adds its status read and ack (npf) and, for a transaction of vCPU i > 0,
 * an IPI from vCPU 0 (msr) and its EOI (msr).
 */
static void docs(int legacy, unsigned q, unsigned v, json_t **trace, json_t **vmm)
{
	json_t *tpv = json_object(), *gpv = json_object(), *notif = json_object();
	json_t *msi = json_object(), *gq = json_object(), *pairs = json_object();
	double exits = 0, accepts = 0, ipis = 0, per = N / v;
	for (unsigned i = 0; i < v; i++) {
		char c[16], vec[16], pn[32];
		snprintf(c, sizeof(c), "%u", i);
		double ipi = legacy && i ? per : 0, e = per * (legacy ? 6 : 4) + 2 * ipi;
		unsigned dvec = legacy ? VEC_PIN : 0x41 + 2 * i; /* rx_i: MSI entry 1 + 2i */
		json_t *t = obj_at(tpv, c), *g = obj_at(gpv, c);
		snprintf(vec, sizeof(vec), "%u", dvec);
		/* legacy: every device interrupt lands on vCPU 0 */
		add(obj_at(obj_at(tpv, legacy ? "0" : c), "apic_accept_by_vector"), vec, per);
		add(obj_at(g, "irqs_by_vector"), vec, 0);
		add(obj_at(obj_at(gpv, legacy ? "0" : c), "irqs_by_vector"), vec, per);
		if (ipi) {
			snprintf(vec, sizeof(vec), "%u", VEC_IPI);
			add(obj_at(t, "apic_accept_by_vector"), vec, ipi);
			add(obj_at(g, "irqs_by_vector"), vec, ipi);
			put(t, "ipis_received", ipi);
			add(obj_at(tpv, "0"), "ipis_sent", ipi);
			add(obj_at(gpv, "0"), "ipis_sent", ipi);
			put(g, "ipis_received", ipi);
			snprintf(pn, sizeof(pn), "0->%u", i);
			put(pairs, pn, ipi);
		}
		put(t, "exits", e);
		put(g, "transactions", per);
		exits += e;
		accepts += per + ipi;
		ipis += ipi;
	}
	for (unsigned p = 0; p < q; p++) {
		char rx[16], tx[16], vec[16];
		snprintf(rx, sizeof(rx), "rx%u", p);
		snprintf(tx, sizeof(tx), "tx%u", p);
		double n = p < v ? per : 0; /* a pair without a vCPU of its own idles */
		put(notif, rx, 1);
		put(notif, tx, n);
		json_object_set_new(
		    gq, rx, json_pack("{s:i, s:I}", "notifies", 1, "interrupts", (json_int_t)n));
		json_object_set_new(
		    gq, tx, json_pack("{s:I, s:i}", "notifies", (json_int_t)n, "interrupts", 0));
		snprintf(vec, sizeof(vec), "%u", 0x41 + 2 * p);
		if (!legacy)
			json_object_set_new(
			    msi, vec, json_pack("{s:I, s:s}", "count", (json_int_t)n, "queue", rx));
	}
	*trace = json_pack("{s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I}, s:o, s:o, "
			   "s:o, s:{s:I, s:o}, s:[]}",
			   "schema", "irqpath-trace/1", "backend", "bpf", "exit_source", "kvm_exit",
			   "totals", "exits", (json_int_t)exits, "apic_accept_irq",
			   (json_int_t)accepts, "x2apic_eoi", (json_int_t)accepts,
			   "userspace_exits", (json_int_t)(legacy ? 2 * N : 0), "exits_by_reason",
			   "npf", (json_int_t)(N * (legacy ? 3 : 1)), "msr",
			   (json_int_t)(exits - N * (legacy ? 5 : 3)), "per_vcpu", tpv,
			   "msi_by_vector", msi, "notifies", notif, "ipis", "total",
			   (json_int_t)ipis, "by_pair", pairs, "missing_tracepoints");
	double tps = legacy ? 2000.0 * (1 + 0.1 * (v - 1)) : 3900.0 * v;
	*vmm = json_pack("{s:s, s:i, s:i, s:n, s:{s:s, s:I, s:f, s:f, s:{s:f, s:f, s:f, s:f}}, "
			 "s:{s:o, s:o, s:I, s:I, s:i, s:i}, s:{s:I}}",
			 "schema", "irqpath-vmm/1", "vcpus", v, "queue_pairs", q,
			 "msi_vectors_requested", "result", "status", "ok", "transactions",
			 (json_int_t)N, "elapsed_s", N / tps, "trans_per_s", tps, "latency_us",
			 "p50", 1e6 / tps, "p90", 2e6 / tps, "p99", 3e6 / tps, "mean", 1e6 / tps,
			 "guest", "per_vcpu", gpv, "queues", gq, "status_reads",
			 (json_int_t)(legacy ? N : 0), "acks", (json_int_t)(legacy ? N : 0),
			 "msi_vectors", legacy ? 0 : 2 * q + 1, "config_interrupts", 0, "vmm",
			 "userspace_exits", (json_int_t)(legacy ? 2 * N : 0));
}

static json_t *host_doc(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:s, s:s, s:s}", "kernel",
			 "6.1.0-fixture-amd64", "kernel_version", "#1 SMP fixture", "arch",
			 "x86_64", "cpu", "fixture CPU", "cpus", 2, "hypervisor", 1,
			 "kvm_exit_tracepoint", 1, "kvm_exit_available", 1, "irqchip", "in-kernel",
			 "host_kind", "native", "timings", "native");
}

/* the results document of PROFILE at (Q, V), two identical repetitions */
static json_t *point_doc(const char *profile, unsigned q, unsigned v)
{
	struct bench_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", profile);
	snprintf(cfg.transport, sizeof(cfg.transport), "%s", profile);
	cfg.transactions = N;
	cfg.repetitions = 2;
	cfg.warmup = 0;
	cfg.queues = q;
	cfg.vcpus = v;
	json_t *reps = json_array();
	for (int r = 1; r <= 2; r++) {
		json_t *t, *m;
		docs(!strcmp(profile, "mmio-legacy"), q, v, &t, &m);
		json_t *rec = merge_repetition(r, m, t, NULL);
		json_object_del(rec, "raw"); /* the fixtures stay small */
		json_array_append_new(reps, rec);
		json_decref(t);
		json_decref(m);
	}
	struct results_meta meta = {&cfg,
				    "configs/fixture.conf",
				    "microguest",
				    0,
				    "fixture-scaling",
				    NULL,
				    "2026-12-02T12:00:00Z",
				    0,
				    NULL,
				    "fixture: no tracer snapshot kept"};
	json_t *host = host_doc();
	json_t *d = results_document(&meta, reps, host);
	json_object_set_new(d, "fixture",
			    json_string("synthetic test input (bench/tests/test_sweep.c), not a "
					"measurement"));
	json_decref(host);
	json_decref(reps);
	return d;
}

static double mean(const json_t *d, enum metric_id id, const char *m1, const char *m2)
{
	char key[METRIC_KEY_MAX * 2];
	const char *pat = metric_rows[id].key;
	if (m1)
		snprintf(key, sizeof(key), pat, m1, m2);
	else
		snprintf(key, sizeof(key), "%s", pat);
	const json_t *v =
	    json_object_get(json_object_get(json_object_get(d, "summary"), key), "mean");
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void point_results(void **state)
{
	(void)state;
	static const char *const profs[] = {"mmio-legacy", "mmio-v3", "pci"};
	static const unsigned qs[] = {1, 2, 4};
	const char *out = getenv("IRQPATH_FIXTURE_OUT");
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < 3; k++) {
			unsigned q = qs[k], v = qs[k];
			int legacy = i == 0;
			json_t *d = point_doc(profs[i], q, v);
			const json_t *wl = json_object_get(d, "workload");
			assert_int_equal(json_integer_value(json_object_get(wl, "queues")), q);
			assert_int_equal(json_integer_value(json_object_get(wl, "vcpus")), v);
			double ipi = legacy ? (double)(v - 1) / v : 0;
			assert_float_equal(mean(d, M_IPIS, NULL, NULL), ipi, 1e-9);
			assert_float_equal(mean(d, M_GUEST_IPIS, NULL, NULL), ipi, 1e-9);
			assert_float_equal(mean(d, M_DELIVERIES, NULL, NULL), 1 + ipi, 1e-9);
			/* rx0, rx1, ... sum into the rx rows */
			assert_float_equal(mean(d, M_MSIS_RX, NULL, NULL), legacy ? 0 : 1, 1e-9);
			assert_float_equal(mean(d, M_NOTIFIES_TX, NULL, NULL), 1, 1e-9);
			assert_float_equal(mean(d, M_GUEST_IRQS_RX, NULL, NULL), 1, 1e-9);
			/* the heat map's cells, host and guest */
			char vec[16];
			snprintf(vec, sizeof(vec), "%u", legacy ? VEC_PIN : 0x41 + 2 * (v - 1));
			char last[16];
			snprintf(last, sizeof(last), "%u", v - 1);
			assert_float_equal(mean(d, M_VCPU_IRQS_BY_VECTOR, legacy ? "0" : last, vec),
					   legacy ? 1 : 1.0 / v, 1e-9);
			assert_float_equal(
			    mean(d, M_GUEST_VCPU_IRQS_BY_VECTOR, legacy ? "0" : last, vec),
			    legacy ? 1 : 1.0 / v, 1e-9);
			assert_float_equal(mean(d, M_GUEST_VCPU_TXN, last, NULL), N / v, 1e-9);
			if (legacy && v > 1)
				assert_float_equal(mean(d, M_VCPU_IPIS_RECEIVED, last, NULL),
						   1.0 / v, 1e-9);
			if (out) {
				char p[4096], base[64];
				struct sweep_point pt = {q, v};
				snprintf(p, sizeof(p), "%s/%s.json", out,
					 sweep_file_base(profs[i], &pt, base, sizeof(base)));
				assert_int_equal(
				    irqpath_write_json(
					p, d, JSON_INDENT(1) | JSON_REAL_PRECISION(10), NULL),
				    0);
			}
			json_decref(d);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lists),
	    cmocka_unit_test(points),
	    cmocka_unit_test(point_results),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
