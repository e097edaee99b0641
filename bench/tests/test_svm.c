/* SPDX-License-Identifier: MIT */
/*
 * Results of an SVM host (exits from kvm_exit: reasons npf, msr, hlt,
 * vintr; exit-latency histograms; per-vCPU reasons), from synthetic
 * tracer and VMM documents in the irqpath-trace/1 contract, through the
 * bench's own merge, baseline and results document. Per transaction the
 * numbers are those the SVM-TCG probe measured (shared/reference): v3 and
 * pci 1 NPF + 1 MSR + 1 HLT + 1 VINTR, legacy 3 NPF and 2 userspace exits.
 *
 * With IRQPATH_FIXTURE_OUT=DIR it also writes DIR/<profile>.json: that is
 * how reports/tests/fixtures/svm-tcg/ was made.
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
#include "irqpath/atomic_json.h"

#define N 1000 /* transactions of a repetition */
#define BASE 1 /* of its baseline run */
#define REPS 2

struct prof_rates {
	const char *name;
	int legacy;
};

static const struct prof_rates profs[] = {{"mmio-legacy", 1}, {"mmio-v3", 0}, {"pci", 0}};

static void put(json_t *o, const char *k, long long v)
{
	json_object_set_new(o, k, json_integer(v));
}

/* log2 ns buckets: 3/4 of the exits in K, the rest in K+1 */
static json_t *hist(long long n, int k)
{
	char a[8], b[8];
	snprintf(a, sizeof(a), "%d", k);
	snprintf(b, sizeof(b), "%d", k + 1);
	json_t *h = json_object();
	put(h, a, n - n / 4);
	put(h, b, n / 4);
	return h;
}

/* set-up exits (device probe, APIC set-up) plus per-transaction ones */
static json_t *trace_doc(const struct prof_rates *p, long long n, int rep)
{
	long long npf = 40 + rep + (p->legacy ? 3 : 1) * n, msr = 12 + n, hlt = 2 + n,
		  vintr = 1 + n, io = 3;
	long long us = 30 + (p->legacy ? 2 * n : 0);
	json_t *by = json_object(), *lat = json_object(), *tot = json_object();
	put(by, "npf", npf);
	put(by, "msr", msr);
	put(by, "hlt", hlt);
	put(by, "vintr", vintr);
	put(by, "io", io);
	json_object_set_new(lat, "npf", hist(npf, 13));
	json_object_set_new(lat, "msr", hist(msr, 11));
	json_object_set_new(lat, "hlt", hist(hlt, 16));
	json_object_set_new(lat, "vintr", hist(vintr, 10));
	json_object_set_new(lat, "io", hist(io, 14));
	json_object_set_new(lat, "all", hist(npf + msr + hlt + vintr + io, 12));
	put(tot, "exits", npf + msr + hlt + vintr + io);
	put(tot, "userspace_exits", us);
	put(tot, "x2apic_eoi", n);
	put(tot, "ioapic_eoi", p->legacy ? n : 0);
	put(tot, "ioapic_set_irq", p->legacy ? 2 * n : 0);
	json_t *regs = p->legacy
			   ? json_pack("{s:{s:I}, s:{s:I}, s:{s:I}}", "InterruptStatus", "reads", n,
				       "InterruptACK", "writes", n, "QueueNotify", "writes", n + 1)
			   : json_object();
	json_t *msi = p->legacy ? json_object()
				: json_pack("{s:{s:I, s:s}}", "49", "count", n, "queue", "rx");
	return json_pack(
	    "{s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:{s:i, s:I}, s:o, "
	    "s:{s:{s:I, s:O}}, s:[]}",
	    "schema", "irqpath-trace/1", "backend", "bpf", "exit_source", "kvm_exit",
	    "exit_reason_names", "source", "tracefs events/kvm/kvm_exit/format (print fmt)", "isa",
	    "svm", "totals", tot, "exits_by_reason", by, "mmio_by_register", regs, "msi_by_vector",
	    msi, "notifies", "rx", 1, "tx", n, "exit_latency_log2_ns", lat, "per_vcpu", "0",
	    "exits", npf + msr + hlt + vintr + io, "exits_by_reason", by, "missing_tracepoints");
}

static json_t *vmm_doc(const struct prof_rates *p, long long n)
{
	return json_pack("{s:s, s:{s:s, s:I, s:f, s:f, s:{s:f, s:f, s:f, s:f}}, "
			 "s:{s:I, s:I, s:i, s:i, s:{s:{s:i, s:I}, s:{s:I, s:I}}}, "
			 "s:{s:I, s:i, s:{s:{s:I}, s:{s:I}}}, s:s}",
			 "schema", "irqpath-vmm/1", "result", "status", "ok", "transactions", n,
			 "elapsed_s", n / 2000.0, "trans_per_s", p->legacy ? 2000.0 : 3900.0,
			 "latency_us", "p50", p->legacy ? 480.0 : 250.0, "p90", 600.0, "p99", 900.0,
			 "mean", 500.0, "guest", "status_reads", p->legacy ? n : 0, "acks",
			 p->legacy ? n : 0, "msi_vectors", p->legacy ? 0 : 3, "config_interrupts",
			 0, "queues", "rx", "notifies", 1, "interrupts", n, "tx", "notifies", n,
			 "interrupts", p->legacy ? n : 0, "vmm", "userspace_exits",
			 30 + (p->legacy ? 2 * n : 0), "config_interrupts", 0, "queues", "rx",
			 "interrupts", n, "tx", "interrupts", (long long)0, "irqchip", "in-kernel");
}

/* one repetition: its record with the baseline's marginal figures */
static json_t *repetition(const struct prof_rates *p, int rep)
{
	json_t *tb = trace_doc(p, BASE, rep), *vb = vmm_doc(p, BASE);
	json_t *tn = trace_doc(p, N, rep), *vn = vmm_doc(p, N);
	json_t *base = merge_repetition(rep, vb, tb, NULL);
	json_t *r = merge_repetition(rep, vn, tn, NULL);
	assert_int_equal(merge_baseline(r, base), 0);
	json_object_set_new(r, "accel", json_string("kvm"));
	json_object_set_new(r, "kvm_counters", json_true());
	json_object_set_new(r, "note", json_null());
	json_decref(tb);
	json_decref(vb);
	json_decref(tn);
	json_decref(vn);
	json_decref(base);
	return r;
}

/* the host section bench/hostinfo.c writes on the svm-tcg host */
static json_t *host_doc(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:s, s:s, s:s, s:s, s:s}",
			 "kernel", "6.1.0-fixture-amd64", "kernel_version", "#1 SMP fixture",
			 "arch", "x86_64", "cpu", "AMD EPYC (QEMU TCG -cpu max, fixture)", "cpus",
			 1, "hypervisor", 1, "kvm_exit_tracepoint", 1, "kvm_exit_available", 1,
			 "irqchip", "in-kernel", "kind", "svm-tcg", "l1_kernel",
			 "6.1.0-fixture-amd64", "timings", "tcg", "exit_source", "kvm_exit");
}

static json_t *document(const struct prof_rates *p)
{
	struct bench_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", p->name);
	snprintf(cfg.transport, sizeof(cfg.transport), "%s", p->name);
	cfg.transactions = N;
	cfg.repetitions = REPS;
	cfg.warmup = 0;
	json_t *reps = json_array();
	for (int r = 1; r <= REPS; r++)
		json_array_append_new(reps, repetition(p, r));
	json_t *first = json_object_get(json_object_get(json_array_get(reps, 0), "raw"), "trace");
	struct results_meta m = {
	    &cfg, "configs/fixture.conf", "microguest", 0,     "fixture-svm-tcg",
	    NULL, "2026-12-02T00:00:00Z", BASE,		first, NULL};
	json_t *host = host_doc();
	json_t *d = results_document(&m, reps, host);
	json_object_set_new(d, "fixture",
			    json_string("synthetic test input (bench/tests/test_svm.c), not a "
					"measurement"));
	json_decref(host);
	json_decref(reps);
	return d;
}

static double marginal(const json_t *d, const char *k)
{
	const json_t *v =
	    json_object_get(json_object_get(json_object_get(d, "marginal_summary"), k), "mean");
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static double whole(const json_t *d, const char *k)
{
	const json_t *v =
	    json_object_get(json_object_get(json_object_get(d, "summary"), k), "mean");
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void svm_results(void **state)
{
	(void)state;
	const char *out = getenv("IRQPATH_FIXTURE_OUT");
	for (size_t i = 0; i < sizeof(profs) / sizeof(profs[0]); i++) {
		json_t *d = document(&profs[i]);
		int l = profs[i].legacy;
		/* marginal: set-up cancels out, the probe's per-transaction counts remain */
		assert_float_equal(marginal(d, "exits_per_txn.npf"), l ? 3 : 1, 1e-9);
		assert_float_equal(marginal(d, "exits_per_txn.msr"), 1, 1e-9);
		assert_float_equal(marginal(d, "exits_per_txn.hlt"), 1, 1e-9);
		assert_float_equal(marginal(d, "exits_per_txn.vintr"), 1, 1e-9);
		assert_float_equal(marginal(d, "exits_per_txn.io"), 0, 1e-9);
		assert_float_equal(marginal(d, "userspace_exits_per_txn"), l ? 2 : 0, 1e-9);
		assert_float_equal(marginal(d, "vcpu.0.exits_per_txn.npf"), l ? 3 : 1, 1e-9);
		/* whole run: the set-up is amortised in */
		assert_true(whole(d, "exits_per_txn.npf") > (l ? 3 : 1));
		/* histograms: summed over the two repetitions, per reason and "all" */
		const json_t *lat = json_object_get(d, "exit_latency_log2_ns");
		long long npf = (40 + 1 + (l ? 3 : 1) * N) + (40 + 2 + (l ? 3 : 1) * N);
		long long sum = 0;
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)json_object_get(lat, "npf"), k, v) sum +=
		    json_integer_value(v);
		assert_int_equal(sum, npf);
		assert_non_null(json_object_get(lat, "all"));
		assert_string_equal(
		    json_string_value(json_object_get(
			json_object_get(json_object_get(d, "tracer"), "exit_reason_names"), "isa")),
		    "svm");
		assert_string_equal(json_string_value(json_object_get(
					json_object_get(d, "per_transaction"), "definition")),
				    "marginal");
		if (out) {
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s.json", out, profs[i].name);
			assert_int_equal(irqpath_write_json(
					     p, d, JSON_INDENT(1) | JSON_REAL_PRECISION(10), NULL),
					 0);
		}
		json_decref(d);
	}
}

/* a baseline of as many transactions as the run has no marginal figures */
static void baseline_must_be_smaller(void **state)
{
	(void)state;
	json_t *t = trace_doc(&profs[1], N, 1), *v = vmm_doc(&profs[1], N);
	json_t *a = merge_repetition(1, v, t, NULL), *b = merge_repetition(1, v, t, NULL);
	assert_int_equal(merge_baseline(a, b), -1);
	assert_null(json_object_get(a, "marginal"));
	json_decref(a);
	json_decref(b);
	json_decref(t);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(svm_results),
	    cmocka_unit_test(baseline_must_be_smaller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
