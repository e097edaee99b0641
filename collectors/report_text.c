/* SPDX-License-Identifier: MIT */
/* Human output: record's summary and the exit lines. Exits by reason are
 * rendered from the same JSON the snapshot carries (report_exits). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define LOG2_BUCKETS 64

struct row {
	char what[160];
	uint64_t n;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->what, y->what);
}

static void fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
}

/* A log2 histogram {"<k>": n} as counts per bucket; returns the total. */
static uint64_t hist_read(json_t *h, uint64_t *b)
{
	const char *key;
	json_t *v;
	uint64_t total = 0;
	memset(b, 0, LOG2_BUCKETS * sizeof *b);
	json_object_foreach(h, key, v)
	{
		long k = strtol(key, NULL, 10);
		if (k >= 0 && k < LOG2_BUCKETS) {
			b[k] += (uint64_t)json_integer_value(v);
			total += (uint64_t)json_integer_value(v);
		}
	}
	return total;
}

/* "p50 [512 ns, 1.02 us)  ▁▃█▂  256 ns..4.1 us": the median's bucket and
 * one block per bucket from the lowest to the highest used. */
void report_hist_line(char *out, size_t len, json_t *h)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	uint64_t b[LOG2_BUCKETS], total = hist_read(h, b), max = 0, cum = 0;
	int lo = -1, hi = -1, med = -1;
	char a[24], z[24], spark[LOG2_BUCKETS * 4 + 1] = "";
	out[0] = 0;
	if (!total)
		return;
	for (int k = 0; k < LOG2_BUCKETS; k++) {
		if (!b[k])
			continue;
		lo = lo < 0 ? k : lo;
		hi = k;
		max = b[k] > max ? b[k] : max;
		cum += b[k];
		if (med < 0 && 2 * cum >= total)
			med = k;
	}
	for (int k = lo; k <= hi; k++)
		strcat(spark, b[k] ? bars[b[k] * 7 / max] : " ");
	fmt_ns(a, sizeof a, (double)(1ull << med));
	fmt_ns(z, sizeof z, (double)(1ull << (med + 1)));
	int n = snprintf(out, len, "p50 [%s, %s)  %s  ", a, z, spark);
	fmt_ns(a, sizeof a, (double)(1ull << lo));
	fmt_ns(z, sizeof z, (double)(1ull << (hi + 1)));
	if (n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "%s..%s", a, z);
}

void report_exit_lines(FILE *f, json_t *exits, double interval_s, const char *indent)
{
	json_t *by = json_object_get(exits, "exits_by_reason");
	json_t *lat = json_object_get(exits, "exit_latency_log2_ns");
	size_t n = json_object_size(by), i = 0;
	struct row *rows = calloc(n + 1, sizeof *rows);
	const char *key;
	json_t *v;
	uint64_t total = 0;
	char hl[400];
	if (!rows)
		return;
	json_object_foreach(by, key, v)
	{
		snprintf(rows[i].what, sizeof rows[i].what, "%s", key);
		rows[i].n = (uint64_t)json_integer_value(v);
		total += rows[i++].n;
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	if (interval_s > 0)
		fprintf(f, "%sexits %-34s %12.1f %10llu  (%s)\n", indent, "(all)",
			total / interval_s, (unsigned long long)total,
			json_string_value(json_object_get(exits, "exit_source")));
	else
		fprintf(f, "%sexits by reason (%s): %llu\n", indent,
			json_string_value(json_object_get(exits, "exit_source")),
			(unsigned long long)total);
	for (i = 0; i < n; i++) {
		report_hist_line(hl, sizeof hl, json_object_get(lat, rows[i].what));
		if (interval_s > 0)
			fprintf(f, "%s  %-38s %12.1f %10llu%s%s\n", indent, rows[i].what,
				rows[i].n / interval_s, (unsigned long long)rows[i].n,
				hl[0] ? "  " : "", hl);
		else
			fprintf(f, "%s  %-26s %10llu%s%s\n", indent, rows[i].what,
				(unsigned long long)rows[i].n, hl[0] ? "  " : "", hl);
	}
	free(rows);
}

static long long ival(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* The per-vCPU table (events credited to the vCPU that takes them) and the
 * per-queue one (a shared vector's MSIs under its joined name). */
static void vcpu_queue_tables(FILE *f, json_t *snap)
{
	json_t *pv = json_object_get(snap, "per_vcpu"), *pq = json_object_get(snap, "per_queue");
	const char *key;
	json_t *v;
	if (json_object_size(pv))
		fprintf(f, "  %-14s %10s %10s %10s %10s %10s %10s\n", "per vCPU", "exits", "msi",
			"accepts", "eoi", "ipis sent", "ipis recv");
	json_object_foreach(pv, key, v)
	    fprintf(f, "    %-12s %10lld %10lld %10lld %10lld %10lld %10lld\n", key,
		    ival(v, "exits"), ival(v, "msi"), ival(v, "apic_accept_irq"), ival(v, "eoi"),
		    ival(v, "ipis_sent"), ival(v, "ipis_received"));
	if (json_object_size(pq))
		fprintf(f, "  %-14s %10s %10s  %s\n", "per queue", "notifies", "msi", "owner vCPU");
	json_object_foreach(pq, key, v)
	{
		json_t *shared = json_object_get(v, "msi_shared"),
		       *owner = json_object_get(v, "owner_vcpu");
		char msi[32] = "-", own[16] = "-";
		if (json_object_get(v, "msi"))
			snprintf(msi, sizeof msi, "%lld", ival(v, "msi"));
		if (owner)
			snprintf(own, sizeof own, "%lld", (long long)json_integer_value(owner));
		fprintf(f, "    %-12s %10lld %10s  %s%s%s%s\n", key, ival(v, "notifies"),
			shared ? "shared" : msi, own, shared ? "  (MSIs on " : "",
			shared ? json_string_value(shared) : "", shared ? ")" : "");
	}
	json_t *ipis = json_object_get(snap, "ipis");
	if (ival(ipis, "total")) {
		fprintf(f, "  ipis %lld:", ival(ipis, "total"));
		json_object_foreach(json_object_get(ipis, "by_pair"), key, v)
		    fprintf(f, " %s %lld", key, (long long)json_integer_value(v));
		fprintf(f, "\n");
	}
}

void report_summary(FILE *f, json_t *snap)
{
	json_t *t = json_object_get(snap, "totals");
	const char *key;
	json_t *v;
	fprintf(f, "irqpath-trace: backend %s, exits %s, %.2f s, lost events %lld\n",
		json_string_value(json_object_get(snap, "backend")),
		json_string_value(json_object_get(snap, "exit_source")),
		json_real_value(json_object_get(snap, "duration_s")),
		(long long)json_integer_value(json_object_get(snap, "lost_events")));
	json_object_foreach(t, key, v)
	    fprintf(f, "  %-18s %lld\n", key, (long long)json_integer_value(v));
	report_exit_lines(f, snap, 0, "  ");
	vcpu_queue_tables(f, snap);
	json_t *open = json_object_get(snap, "exits_without_entry");
	if (json_object_size(open)) {
		fprintf(f, "  not re-entered (no latency):");
		json_object_foreach(open, key, v)
		    fprintf(f, " %s %lld", key, (long long)json_integer_value(v));
		fprintf(f, "\n");
	}
	json_t *miss = json_object_get(snap, "missing_tracepoints");
	if (json_array_size(miss)) {
		fprintf(f, "  missing tracepoints:");
		size_t i;
		json_array_foreach(miss, i, v) fprintf(f, " %s", json_string_value(v));
		fprintf(f, "\n");
	}
}
