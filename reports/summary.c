/* SPDX-License-Identifier: MIT */
#include "summary.h"
#include "../common/jsonio.h"
#include "metrics.h"
#include "tab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const json_t *field(const struct result *r, const char *obj, const char *key)
{
	return json_object_get(json_object_get(r->doc, obj), key);
}

static const char *sfield(const struct result *r, const char *obj, const char *key)
{
	const char *s = json_string_value(field(r, obj, key));
	return s ? s : "?";
}

size_t summary_reference(const struct result_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->r[i].profile, "pci"))
			return i;
	return 0;
}

/*
 * The host a run was measured on, when it is not this machine's own KVM
 * (bench/hostinfo.c: host_kind, e.g. svm-tcg; l1_kernel; timings, "tcg: ...").
 */
static void host_kind_line(const struct result *r, FILE *f)
{
	/* host_kind (bench/hostinfo.c); "kind" in files written before it */
	const char *kind = json_string_value(field(r, "host", "host_kind"));
	if (!kind)
		kind = json_string_value(field(r, "host", "kind"));
	if (!kind || !strcmp(kind, "native"))
		return;
	const char *l1 = json_string_value(field(r, "host", "l1_kernel"));
	const char *timings = json_string_value(field(r, "host", "timings"));
	fprintf(f, "host kind %.16s%s%.30s\nCPU %.66s\n", kind, l1 ? ", L1 kernel " : "",
		l1 ? l1 : "", sfield(r, "host", "cpu"));
	if (timings && !strncmp(timings, "tcg", 3))
		fputs("timings are TCG timings (QEMU's emulator), not hardware figures\n", f);
	else if (timings)
		fprintf(f, "timings: %.60s\n", timings);
}

/* Exit source and where the exit-reason names came from. */
static void tracer_line(const struct result *r, FILE *f)
{
	const json_t *tr = json_object_get(r->doc, "tracer");
	const char *src = json_string_value(json_object_get(tr, "exit_source"));
	const json_t *names = json_object_get(tr, "exit_reason_names");
	const char *isa = json_string_value(json_object_get(names, "isa"));
	const char *backend = json_string_value(json_object_get(tr, "backend"));
	fprintf(f, "host %.30s%s, tracer %.10s%s%.12s%s%.4s\n", sfield(r, "host", "kernel"),
		json_is_true(field(r, "host", "hypervisor")) ? " (nested)" : "",
		json_is_true(json_object_get(tr, "available")) ? (backend ? backend : "?") : "none",
		src ? ", exits " : "", src ? src : "", isa ? " " : "", isa ? isa : "");
}

void summary_header(const struct result_set *set, FILE *f)
{
	if (!set->n)
		return;
	const struct result *r = &set->r[0];
	long long txn = json_integer_value(field(r, "workload", "transactions"));
	long long dur = json_integer_value(field(r, "workload", "duration_s"));
	fprintf(f, "irqpath request/response (TCP_RR-shaped), -r %lld,%lld\n",
		(long long)json_integer_value(field(r, "workload", "req")),
		(long long)json_integer_value(field(r, "workload", "resp")));
	char len[48];
	if (txn)
		snprintf(len, sizeof(len), "%lld transactions", txn);
	else
		snprintf(len, sizeof(len), "%lld s", dur);
	const char *vmm = json_string_value(field(r, "profile", "vmm"));
	char on[48] = "";
	if (vmm && strcmp(vmm, "irqpath-vmm"))
		snprintf(on, sizeof(on), " on %.12s (%.6s)", vmm, result_accel(r));
	fprintf(f, "guest %.20s%s, backend %.12s, %s x %lld runs\n", sfield(r, "profile", "guest"),
		on, sfield(r, "profile", "backend"), len,
		(long long)json_integer_value(field(r, "workload", "repetitions")));
	tracer_line(r, f);
	host_kind_line(r, f);
	const json_t *bt = field(r, "per_transaction", "baseline_transactions");
	if (json_is_integer(bt))
		fprintf(f, "per transaction: marginal (N-run minus %lld-run) / whole-run\n",
			(long long)json_integer_value(bt));
	fprintf(f, "run %.60s\n", r->run_id);
}

static void fmt_value(struct tab_row *row, int col, double mean, double sd, int decimals,
		      int spread)
{
	if (isnan(mean)) {
		tab_set(row, col, "n/a");
		return;
	}
	if (spread && !isnan(sd))
		tab_set(row, col, "%.*f ± %.*f", decimals, mean, decimals, sd);
	else
		tab_set(row, col, "%.*f", decimals, mean);
}

/* A per-transaction cell: "marginal / whole-run" when the run has a baseline. */
static void fmt_cell(struct tab_row *row, int col, const struct result *r, const char *key,
		     const struct metric_def *d, int spread)
{
	double m = result_marginal_mean(r, key);
	if (isnan(m) || (d->row && d->row->kind == MK_VALUE)) {
		fmt_value(row, col, result_mean(r, key), result_stddev(r, key), d->decimals,
			  spread);
		return;
	}
	double w = result_mean(r, key), s = result_marginal_stddev(r, key);
	if (spread && !isnan(s))
		tab_set(row, col, "%.*f ± %.*f / %.*f", d->decimals, m, d->decimals, s, d->decimals,
			w);
	else
		tab_set(row, col, "%.*f / %.*f", d->decimals, m, d->decimals, w);
}

static const char *agreement_word(const struct result *r, char *buf, size_t len)
{
	const json_t *ag = json_object_get(r->doc, "agreement");
	int any = 0;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)ag, k, v)
	{
		const json_t *a = json_object_get(v, "agree");
		if (json_is_false(a)) {
			snprintf(buf, len, "NO: %s", k);
			return buf;
		}
		if (json_is_true(a))
			any = 1;
	}
	return any ? "yes" : "n/a";
}

/* trans/s of every repetition, then mean, stddev and "vs" the reference */
static void throughput_rows(const struct result_set *set, struct tab *t)
{
	size_t maxreps = 0;
	const char *tps = metric_key(M_TRANS_PER_S);
	for (size_t c = 0; c < set->n; c++)
		if (result_reps(&set->r[c]) > maxreps)
			maxreps = result_reps(&set->r[c]);
	for (size_t i = 0; i < maxreps; i++) {
		char label[48];
		snprintf(label, sizeof(label), "trans/s run %u", (unsigned)(i + 1) % 100000u);
		struct tab_row *row = tab_add(t, TR_ROW, label);
		for (size_t c = 0; c < set->n; c++) {
			double v = result_rep_value(&set->r[c], i, tps);
			if (i < result_reps(&set->r[c]))
				tab_set(row, (int)c, isnan(v) ? "failed" : "%.0f", v);
		}
	}
	/* tab_add may move the rows: take pointers only after the last add */
	int mi = t->nrows;
	tab_add(t, TR_ROW, "mean");
	tab_add(t, TR_ROW, "stddev");
	size_t ref = summary_reference(set);
	char vs[128];
	snprintf(vs, sizeof(vs), "vs %s", set->n ? set->r[ref].label : "");
	if (set->n > 1)
		tab_add(t, TR_ROW, vs);
	struct tab_row *mrow = &t->rows[mi], *srow = &t->rows[mi + 1];
	struct tab_row *vrow = set->n > 1 ? &t->rows[mi + 2] : NULL;
	double refm = set->n ? result_mean(&set->r[ref], tps) : NAN;
	for (size_t c = 0; c < set->n; c++) {
		double m = result_mean(&set->r[c], tps), s = result_stddev(&set->r[c], tps);
		tab_set(mrow, (int)c, "%.0f", m);
		if (m > 0)
			tab_set(srow, (int)c, "%.1f%%", 100 * s / m);
		if (vrow && refm > 0)
			tab_set(vrow, (int)c, "%.1f%%", 100 * m / refm);
	}
}

/* One group's rows (the registry's MF_TABLE rows the set has); 1 if any. */
static int group_rows(const struct result_set *set, struct tab *t, enum metric_group g,
		      const char *title, int spread)
{
	size_t nk;
	const char **keys = metric_keys(set, &nk);
	int titled = 0;
	for (size_t i = 0; i < nk; i++) {
		struct metric_def buf;
		char label[METRIC_LABEL_MAX];
		const struct metric_def *d = metric_def(keys[i], &buf, label, sizeof(label));
		if (d->group != g || !(d->flags & MF_TABLE))
			continue;
		if (!titled)
			tab_add(t, TR_SECTION, title);
		titled = 1;
		struct tab_row *row = tab_add(t, TR_ROW, d->label);
		for (size_t c = 0; c < set->n; c++) {
			/* host counts of a TCG run do not exist: say so, not n/a */
			if (g == MG_HOST && !result_kvm_counters(&set->r[c]))
				tab_set(row, (int)c, "%s", RESULT_NO_KVM);
			else
				fmt_cell(row, (int)c, &set->r[c], keys[i], d, spread);
		}
	}
	free(keys);
	return titled;
}

void summary_table(const struct result_set *set, struct tab *t, int spread)
{
	tab_init(t, (int)set->n);
	struct tab_row *h = tab_add(t, TR_HEADER, "");
	for (size_t c = 0; c < set->n; c++)
		tab_set(h, (int)c, "%s", set->r[c].label);
	tab_add(t, TR_RULE, NULL);
	int any_no_kvm = 0;
	for (size_t c = 0; c < set->n; c++)
		any_no_kvm |= !result_kvm_counters(&set->r[c]);
	if (any_no_kvm) { /* say up front which columns ran without KVM */
		struct tab_row *a = tab_add(t, TR_ROW, "accel");
		for (size_t c = 0; c < set->n; c++)
			tab_set(a, (int)c, "%s", result_accel(&set->r[c]));
	}
	throughput_rows(set, t);
	group_rows(set, t, MG_THROUGHPUT, "Latency, microseconds (mean of runs)", spread);
	if (group_rows(set, t, MG_HOST,
		       "Per transaction, counted on the host (mean of runs):", spread)) {
		struct tab_row *row = tab_add(t, TR_ROW, "guest/host agree");
		for (size_t c = 0; c < set->n; c++) {
			char buf[64];
			tab_set(row, (int)c, "%s",
				result_kvm_counters(&set->r[c])
				    ? agreement_word(&set->r[c], buf, sizeof(buf))
				    : RESULT_NO_KVM);
		}
	}
	group_rows(set, t, MG_GUEST, "Per transaction, counted by the guest and the VMM:", spread);
}

int summary_vcpu_table(const struct result_set *set, struct tab *t, int spread)
{
	tab_init(t, (int)set->n);
	struct tab_row *h = tab_add(t, TR_HEADER, "");
	for (size_t c = 0; c < set->n; c++)
		tab_set(h, (int)c, "%s", set->r[c].label);
	tab_add(t, TR_RULE, NULL);
	size_t n;
	const char **keys = metric_members(set, M_VCPU_EXITS_BY_REASON, &n);
	for (size_t i = 0; keys && i < n; i++) {
		struct metric_def buf;
		char label[METRIC_LABEL_MAX];
		const struct metric_def *d = metric_def(keys[i], &buf, label, sizeof(label));
		struct tab_row *row = tab_add(t, TR_ROW, d->label + 2);
		for (size_t c = 0; c < set->n; c++)
			fmt_cell(row, (int)c, &set->r[c], keys[i], d, spread);
	}
	free(keys);
	return (int)n;
}

void summary_notes(const struct result_set *set, FILE *f)
{
	int nested = 0, notrace = 0;
	for (size_t i = 0; i < set->n; i++) {
		if (json_is_true(field(&set->r[i], "host", "hypervisor")))
			nested = 1;
		if (!json_is_true(field(&set->r[i], "tracer", "available")) &&
		    result_kvm_counters(&set->r[i]))
			notrace = 1;
	}
	for (size_t i = 0; i < set->n; i++) {
		if (result_kvm_counters(&set->r[i]))
			continue;
		fprintf(f,
			"%.30s: %s: the guest ran under QEMU's emulator,\n"
			"so KVM saw none of its exits or interrupts. Host counts do not\n"
			"exist (they are not zero); trans/s, latency and the guest's\n"
			"interrupts per transaction are the guest's own.\n",
			set->r[i].label, RESULT_NO_KVM_TCG);
	}
	if (nested)
		fputs("Nested KVM host: absolute times are not hardware figures;\n"
		      "counts per transaction and same-run ratios are.\n",
		      f);
	if (notrace)
		fputs("No host tracer for some profiles: their host counts are n/a,\n"
		      "not zero.\n",
		      f);
}
