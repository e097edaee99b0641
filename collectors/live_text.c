/* SPDX-License-Identifier: MIT */
/* The live table: per VM, a header naming the columns, then the rows of
 * each class under the class's name (exits with the interval's latency). */
#include <string.h>

#include "live.h"

#define LABEL_W 40

static void row_line(FILE *f, const struct live_row *r, double interval_s, json_t *lat)
{
	char hl[400] = "", label[sizeof r->label + 4];
	if (r->reason[0] || r->is_total)
		report_hist_line(hl, sizeof hl,
				 json_object_get(lat, r->is_total ? "all" : r->reason));
	/* rows under the exits total or a class heading are indented one more step */
	snprintf(label, sizeof label, "%s%s", r->is_total ? "" : "  ", r->label);
	fprintf(f, "  %-*s %12.1f %10llu %12llu%s%s\n", LABEL_W, label, r->n / interval_s,
		(unsigned long long)r->n, (unsigned long long)r->total, hl[0] ? "  " : "", hl);
}

static void vm_table(FILE *f, const struct counts *delta, const struct counts *cur,
		     const struct report_ctx *rc, uint32_t pid, double interval_s,
		     const struct live_opts *o)
{
	struct live_rows rows;
	json_t *ex = report_exits(delta, rc, pid);
	json_t *lat = json_object_get(ex, "exit_latency_log2_ns");
	const char *src = json_string_value(json_object_get(ex, "exit_source"));
	fprintf(f, "VM pid %u  (exits: %s)\n", pid,
		src && !strcmp(src, "kvm_exit") ? "kvm_exit"
						: "derived from kvm_mmio + kvm_pio + kvm_msr");
	fprintf(f, "  %-*s %12s %10s %12s  %s\n", LABEL_W, "EVENT", "PER SECOND", "INTERVAL",
		"TOTAL", lat ? "EXIT LATENCY (interval, log2 ns)" : "");
	if (live_rows_build(&rows, delta, cur, rc, pid, o)) {
		fprintf(f, "  (out of memory)\n");
		json_decref(ex);
		return;
	}
	int cls = -1;
	for (size_t i = 0; i < rows.n; i++) {
		const struct live_row *r = &rows.v[i];
		if (r->cls != cls && r->cls != LIVE_EXITS)
			fprintf(f, "  %s\n", live_class_names[r->cls]);
		cls = r->cls;
		row_line(f, r, interval_s, lat);
	}
	if (!rows.n)
		fprintf(f, "  (no rows match the filter)\n");
	live_rows_free(&rows);
	json_decref(ex);
}

void live_table(FILE *f, const struct counts *delta, const struct counts *cur,
		const struct report_ctx *rc, double interval_s, const struct live_opts *o)
{
	uint32_t pids[64];
	int npids = report_pids(cur, pids, 64);
	fprintf(f, "sort: %s  filter: %s  classes: ", live_sort_name(o->sort),
		o->have_filter ? o->filter_text : "(none)");
	for (int i = 0, first = 1; i < LIVE_NCLASSES; i++)
		if (!o->classes || (o->classes & (1u << i))) {
			fprintf(f, "%s%s", first ? "" : ",", live_class_names[i]);
			first = 0;
		}
	fprintf(f, "\n\n");
	if (!npids)
		fprintf(f, "  (no KVM events yet)\n");
	for (int p = 0; p < npids; p++) {
		if (p)
			fprintf(f, "\n");
		vm_table(f, delta, cur, rc, pids[p], interval_s, o);
	}
}
