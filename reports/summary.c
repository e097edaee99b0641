/* SPDX-License-Identifier: MIT */
#include "summary.h"
#include "jsonio.h"
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
	const json_t *tr = json_object_get(r->doc, "tracer");
	const char *src = json_string_value(json_object_get(tr, "exit_source"));
	fprintf(f, "host %.30s%s, tracer %.10s%s%.12s%s\n", sfield(r, "host", "kernel"),
		json_is_true(field(r, "host", "hypervisor")) ? " (nested)" : "",
		json_is_true(json_object_get(tr, "available"))
		    ? (json_string_value(json_object_get(tr, "backend"))
			   ? json_string_value(json_object_get(tr, "backend"))
			   : "?")
		    : "none",
		src ? ", exits " : "", src ? src : "", "");
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

	size_t maxreps = 0;
	for (size_t c = 0; c < set->n; c++)
		if (result_reps(&set->r[c]) > maxreps)
			maxreps = result_reps(&set->r[c]);
	for (size_t i = 0; i < maxreps; i++) {
		struct tab_row *row = tab_add(t, TR_ROW, "trans/s");
		for (size_t c = 0; c < set->n; c++) {
			double v = result_rep_value(&set->r[c], i, "trans_per_s");
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
	double refm = set->n ? result_mean(&set->r[ref], "trans_per_s") : NAN;
	for (size_t c = 0; c < set->n; c++) {
		double m = result_mean(&set->r[c], "trans_per_s");
		double s = result_stddev(&set->r[c], "trans_per_s");
		tab_set(mrow, (int)c, "%.0f", m);
		if (m > 0)
			tab_set(srow, (int)c, "%.1f%%", 100 * s / m);
		if (vrow && refm > 0)
			tab_set(vrow, (int)c, "%.1f%%", 100 * m / refm);
	}

	size_t nk;
	const char **keys = metric_keys(set, &nk);
	enum metric_group groups[] = {MG_THROUGHPUT, MG_HOST, MG_GUEST};
	static const char *const titles[] = {"Latency, microseconds (mean of runs)",
					     "Per transaction, counted on the host (mean of runs):",
					     "Per transaction, counted by the guest and the VMM:"};
	for (size_t g = 0; g < 3; g++) {
		int titled = 0;
		for (size_t i = 0; i < nk; i++) {
			struct metric_def buf;
			char label[64];
			const struct metric_def *d =
			    metric_def(keys[i], &buf, label, sizeof(label));
			if (d->group != groups[g] || !strcmp(d->key, "trans_per_s"))
				continue;
			if (!titled) {
				tab_add(t, TR_SECTION, titles[g]);
				titled = 1;
			}
			struct tab_row *row = tab_add(t, TR_ROW, d->label);
			for (size_t c = 0; c < set->n; c++) {
				/* host counts of a TCG run do not exist: say so, not n/a */
				if (groups[g] == MG_HOST && !result_kvm_counters(&set->r[c]))
					tab_set(row, (int)c, "%s", RESULT_NO_KVM);
				else
					fmt_value(row, (int)c, result_mean(&set->r[c], keys[i]),
						  result_stddev(&set->r[c], keys[i]), d->decimals,
						  spread);
			}
		}
		if (g == 1 && titled) {
			struct tab_row *row = tab_add(t, TR_ROW, "guest/host agree");
			for (size_t c = 0; c < set->n; c++) {
				char buf[64];
				tab_set(row, (int)c, "%s",
					result_kvm_counters(&set->r[c])
					    ? agreement_word(&set->r[c], buf, sizeof(buf))
					    : RESULT_NO_KVM);
			}
		}
	}
	free(keys);
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

/* Appends "ITEM" to a line wrapped at 72 columns with a 4-space indent. */
static void wrap_item(FILE *f, int *col, const char *item, int first)
{
	int len = (int)strlen(item) + (first ? 0 : 2);
	if (!first && *col + len + 1 > TAB_TEXT_WIDTH) { /* room for a trailing comma */
		fputs(",\n    ", f);
		*col = 4;
		len -= 2;
	} else if (!first) {
		fputs(", ", f);
	}
	fputs(item, f);
	*col += len;
}

void summary_attribution(const struct result_set *set, FILE *f)
{
	if (set->n < 2)
		return;
	size_t ref = summary_reference(set);
	static const char *const keys[] = {
	    "userspace_exits_per_txn", "status_reads_per_txn", "acks_per_txn",
	    "ioapic_set_irq_per_txn",  "ioapic_eoi_per_txn",   "lapic_eoi_per_txn",
	    "notifies_per_txn.rx",     "notifies_per_txn.tx"};
	static const char *const names[] = {"userspace exits", "status reads", "acks",
					    "IOAPIC set_irq",  "IOAPIC EOIs",  "LAPIC EOIs",
					    "notifies rx",     "notifies tx"};
	size_t ncauses;
	const char **causes = metric_exit_causes(set, &ncauses);
	int header = 0;
	for (size_t c = 0; c < set->n; c++) {
		if (c == ref)
			continue;
		const struct result *r = &set->r[c], *b = &set->r[ref];
		if (!result_kvm_counters(r) || !result_kvm_counters(b)) {
			if (!header)
				fprintf(f, "Per transaction, %s minus %.20s (host counts):\n",
					"each profile", b->label);
			header = 1;
			fprintf(f, "  %.40s: %s\n", r->label,
				result_kvm_counters(r) ? "not compared, the reference has "
							 "no KVM counters (TCG)"
						       : RESULT_NO_KVM_TCG);
			continue;
		}
		double d =
		    result_mean(r, EXITS_PREFIX "total") - result_mean(b, EXITS_PREFIX "total");
		if (isnan(d))
			continue;
		if (!header) {
			fprintf(f, "Per transaction, %s minus %.20s (host counts):\n",
				"each profile", b->label);
			header = 1;
		}
		char item[96];
		int col = 0;
		snprintf(item, sizeof(item), "  %.40s: exits %+.2f", r->label, d);
		fputs(item, f);
		col = (int)strlen(item);
		int first = 1;
		for (size_t k = 0; k < ncauses; k++) {
			char key[96];
			snprintf(key, sizeof(key), EXITS_PREFIX "%s", causes[k]);
			double a = result_mean(r, key), z = result_mean(b, key);
			double dd = (isnan(a) ? 0 : a) - (isnan(z) ? 0 : z);
			if (fabs(dd) < 0.005)
				continue;
			char up[32];
			snprintf(up, sizeof(up), "%s", causes[k]);
			for (char *p = up; *p; p++)
				*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
			/* causes go in parentheses after the total */
			snprintf(item, sizeof(item), "%s%s %+.2f", first ? " (" : "", up, dd);
			if (first) {
				fputs(item, f);
				col += (int)strlen(item);
			} else {
				wrap_item(f, &col, item, 0);
			}
			first = 0;
		}
		if (!first) {
			fputc(')', f);
			col++;
		}
		/* the interrupt path, item by item */
		double msi_r = 0, msi_b = 0;
		static const char *const mq[] = {"msis_per_txn.rx", "msis_per_txn.tx",
						 "msis_per_txn.config"};
		for (int q = 0; q < 3; q++) {
			double x = result_mean(r, mq[q]), y = result_mean(b, mq[q]);
			msi_r += isnan(x) ? 0 : x;
			msi_b += isnan(y) ? 0 : y;
		}
		for (size_t k = 0; k <= sizeof(keys) / sizeof(keys[0]); k++) {
			double dd = k < sizeof(keys) / sizeof(keys[0])
					? result_mean(r, keys[k]) - result_mean(b, keys[k])
					: msi_r - msi_b;
			if (isnan(dd) || fabs(dd) < 0.005)
				continue;
			snprintf(item, sizeof(item), "%s %+.2f",
				 k < sizeof(keys) / sizeof(keys[0]) ? names[k] : "MSIs", dd);
			wrap_item(f, &col, item, 0);
		}
		fputs("\n", f);
	}
	free(causes);
}
