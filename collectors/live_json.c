/* SPDX-License-Identifier: MIT */
/* One irqpath-trace-live/1 line: per VM the interval's totals and rates,
 * its exits by reason and latency, the totals since the start, and every
 * row of the table (class, event, interval count, per second, total). */
#include "live.h"

static json_t *rows_json(const struct live_rows *rows, double dt)
{
	json_t *a = json_array();
	for (size_t i = 0; i < rows->n; i++) {
		const struct live_row *r = &rows->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "class", json_string(live_class_names[r->cls]));
		json_object_set_new(o, "event", json_string(r->label));
		json_object_set_new(o, "count", json_integer((json_int_t)r->n));
		json_object_set_new(o, "per_second", json_real((double)r->n / dt));
		json_object_set_new(o, "total", json_integer((json_int_t)r->total));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *vm_json(const struct counts *delta, const struct counts *cur,
		       const struct report_ctx *rc, uint32_t pid, double dt,
		       const struct live_opts *o)
{
	json_t *vm = json_object(), *rates = json_object();
	json_t *tot = report_totals(delta, rc, pid, 0, 0);
	const char *k;
	json_t *v;
	json_object_foreach(tot, k, v)
	    json_object_set_new(rates, k, json_real((double)json_integer_value(v) / dt));
	json_object_set_new(vm, "pid", json_integer(pid));
	json_object_set_new(vm, "counts", tot);
	json_object_set_new(vm, "per_second", rates);
	json_object_set_new(vm, "totals_since_start", report_totals(cur, rc, pid, 0, 0));
	json_t *ex = report_exits(delta, rc, pid); /* exits by reason, latency */
	json_object_update(vm, ex);
	json_decref(ex);
	struct live_rows rows;
	if (live_rows_build(&rows, delta, cur, rc, pid, o)) {
		json_decref(vm);
		return NULL;
	}
	json_object_set_new(vm, "events", rows_json(&rows, dt));
	live_rows_free(&rows);
	return vm;
}

json_t *live_json(const struct counts *delta, const struct counts *cur, const struct report_ctx *rc,
		  double interval_s, unsigned seq, const struct live_opts *o)
{
	json_t *line = json_object(), *vms = json_array(), *miss = json_array();
	uint32_t pids[64];
	int n = report_pids(cur, pids, 64);
	json_object_set_new(line, "schema", json_string("irqpath-trace-live/1"));
	json_object_set_new(line, "seq", json_integer(seq));
	json_object_set_new(line, "interval_s", json_real(interval_s));
	json_object_set_new(line, "backend", json_string(rc->tracer->backend));
	json_object_set_new(line, "lost_events", json_integer((json_int_t)rc->tracer->lost));
	for (int i = 0; i < rc->tracer->nmissing; i++)
		json_array_append_new(miss, json_string(rc->tracer->missing[i]));
	json_object_set_new(line, "missing_tracepoints", miss);
	json_object_set_new(line, "sort", json_string(live_sort_name(o->sort)));
	json_object_set_new(line, "filter",
			    o->have_filter ? json_string(o->filter_text) : json_null());
	for (int i = 0; i < n; i++) {
		json_t *vm = vm_json(delta, cur, rc, pids[i], interval_s, o);
		if (!vm) {
			json_decref(vms);
			json_decref(line);
			return NULL;
		}
		json_array_append_new(vms, vm);
	}
	json_object_set_new(line, "vms", vms);
	return line;
}
