/* SPDX-License-Identifier: MIT */
/*
 * The irqpath-results/1 document of one profile: what ran (profile,
 * workload, host, tracer), every repetition record, and the summaries
 * over them (whole-run and, with a baseline, marginal per transaction).
 */
#include "resultsdoc.h"
#include "linuxrec.h"
#include "merge.h"
#include "../common/metrics.h"

#include <string.h>

static json_t *tracer_json(const struct results_meta *m)
{
	const json_t *t = m->first_trace;
	if (!t)
		return json_pack("{s:b, s:n, s:n, s:[], s:s}", "available", 0, "backend",
				 "exit_source", "missing_tracepoints", "note",
				 m->trace_note && m->trace_note[0] ? m->trace_note
								   : "no tracer snapshot");
	/* exit_reason_names: where the tracer took its exit-reason names from */
	return json_pack("{s:b, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:n}", "available", 1,
			 "backend", json_object_get(t, "backend"), "exit_source",
			 json_object_get(t, "exit_source"), "exit_source_detail",
			 json_object_get(t, "exit_source_detail"), "missing_tracepoints",
			 json_object_get(t, "missing_tracepoints"), "lost_events",
			 json_object_get(t, "lost_events"), "exit_reason_names",
			 json_object_get(t, "exit_reason_names"), "note");
}

/*
 * What ran the guest, over the ok repetitions: accel "kvm" | "tcg" | "mixed",
 * kvm_counters true only if every one ran under KVM, and the note readers
 * show instead of host counts. The micro-guest always runs under KVM.
 */
static void accel_fields(const json_t *reps, json_t *d)
{
	int kvm = 0, tcg = 0;
	const char *note = NULL;
	size_t i;
	json_t *rep;
	json_array_foreach(reps, i, rep)
	{
		if (strcmp(json_string_value(json_object_get(rep, "status")), "ok"))
			continue;
		const char *a = json_string_value(json_object_get(rep, "accel"));
		if (a && !strcmp(a, "tcg"))
			tcg = 1;
		else
			kvm = 1;
		const char *n = json_string_value(json_object_get(rep, "note"));
		if (n && !note)
			note = n;
	}
	const char *accel = kvm && tcg ? "mixed" : tcg ? "tcg" : "kvm";
	if (tcg)
		note = kvm ? "no KVM counters (TCG) for some repetitions" : LINUX_NOTE_TCG;
	json_object_set_new(d, "accel", json_string(accel));
	json_object_set_new(d, "kvm_counters", json_boolean(!tcg));
	json_object_set_new(d, "note", note ? json_string(note) : json_null());
}

json_t *results_document(const struct results_meta *m, const json_t *reps, const json_t *host)
{
	const struct bench_config *c = m->cfg;
	int qemu = m->qemu;
	json_t *h = json_deep_copy(host);
	json_t *d = json_pack(
	    "{s:s, s:s, s:s?, s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}, "
	    "s:{s:i, s:i, s:I, s:i, s:i, s:I}}",
	    "schema", "irqpath-results/1", "run_id", m->run_id, "commit",
	    m->commit && m->commit[0] ? m->commit : NULL, "created", m->created, "tool",
	    "irqpath-bench", "host", h, "profile", "name", c->name, "transport", c->transport,
	    "guest", c->guest, "vmm", c->vmm, "backend", c->backend, "notify",
	    qemu ? "qemu" : c->notify, "runner", m->runner_name, "config", m->config_path,
	    "trace_backend", qemu ? "none" : c->trace_backend, "workload", "req", c->req, "resp",
	    c->resp, "transactions", (json_int_t)c->transactions, "duration_s", c->duration_s,
	    "repetitions", c->repetitions, "warmup", (json_int_t)c->warmup);
	/* the sweep point: queue pairs and vCPUs the VMM was given (1, 1 without one) */
	json_t *wl = json_object_get(d, "workload");
	json_object_set_new(wl, "queues", json_integer(c->queues));
	json_object_set_new(wl, "vcpus", json_integer(c->vcpus));
	accel_fields(reps, d);
	if (qemu) { /* not irqpath-vmm's irqchip: QEMU's, emulated under TCG */
		int tcg = !json_is_true(json_object_get(d, "kvm_counters"));
		json_object_set_new(h, "irqchip",
				    json_string(tcg ? "QEMU (TCG, emulated)" : "QEMU -accel kvm"));
		json_object_set_new(h, "irqchip_source", json_string("irqpath-qemu (accel)"));
	}
	json_object_set_new(d, "tracer", tracer_json(m));
	json_object_set_new(d, "repetitions", json_deep_copy(reps));
	json_object_set_new(
	    d, "per_transaction",
	    m->baseline > 0
		? json_pack("{s:s, s:I}", "definition", "marginal", "baseline_transactions",
			    (json_int_t)m->baseline)
		: json_pack("{s:s, s:n}", "definition", "whole-run", "baseline_transactions"));
	json_object_set_new(d, "summary", aggregate_summary(reps));
	if (m->baseline > 0)
		json_object_set_new(d, "marginal_summary", metric_summarize(reps, "marginal"));
	json_object_set_new(d, "agreement", aggregate_agreement(reps));
	json_object_set_new(d, "exit_latency_log2_ns", aggregate_latency(reps));
	return d;
}
