/* SPDX-License-Identifier: MIT */
/*
 * A repetition record from a run's documents: every metric comes from the
 * registry (common/metrics.def), which says where in the VMM's and the
 * tracer's reports each count is. Per transaction is count / transactions
 * over the VM's life (device set-up amortised); with a baseline run,
 * merge_baseline adds the marginal figures next to them.
 */
#include "merge.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MSIs the guest took for a queue: its interrupts, when it used MSI at all */
static double guest_msis(const json_t *vmm, const char *queue)
{
	const json_t *guest = json_object_get(vmm, "guest");
	if (jnum(json_object_get(guest, "msi_vectors")) <= 0)
		return 0;
	if (!strcmp(queue, "config"))
		return jnum(json_object_get(guest, "config_interrupts"));
	/* rx is rx0, rx1, ... with several queue pairs */
	char path[64];
	snprintf(path, sizeof(path), "guest.queues.%s*.interrupts", queue);
	return metric_path_value(vmm, path, 0);
}

static void agree(json_t *ag, const char *name, double guest, double host)
{
	json_t *g = isnan(guest) ? json_null() : json_integer((json_int_t)guest);
	json_t *h = isnan(host) ? json_null() : json_integer((json_int_t)host);
	json_t *a = (isnan(guest) || isnan(host)) ? json_null() : json_boolean(guest == host);
	json_object_set_new(ag, name,
			    json_pack("{s:o, s:o, s:o}", "guest", g, "host", h, "agree", a));
}

/* Does the tracer name queue (rx, tx, config; rx0.. count as rx) as one of
 * several on one vector ("rx+tx", "config+rx+tx")? */
static int queue_shared(const json_t *trace, const char *queue)
{
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get((json_t *)trace, "msi_by_vector"), k, v)
	{
		const json_t *qs = json_object_get(v, "queues");
		size_t i;
		json_t *q;
		if (json_array_size(qs) < 2)
			continue;
		json_array_foreach(qs, i,
				   q) if (json_is_string(q) && !strncmp(json_string_value(q), queue,
									strlen(queue))) return 1;
	}
	return 0;
}

/*
 * A vector several queues share: the guest's interrupts on that CPU
 * vector against the host's MSIs to it, keyed by the queues it carries
 * ("msis_per_txn.rx+tx"). Per queue the two sides cannot agree there: the
 * guest counts each interrupt for every queue it serves, the registry
 * credits a shared vector's MSIs to its first queue.
 */
static void shared_vectors(json_t *ag, const json_t *vmm, const json_t *trace)
{
	const json_t *guest = json_object_get(json_object_get(vmm, "guest"), "irqs_by_vector");
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get((json_t *)trace, "msi_by_vector"), k, v)
	{
		const char *name = json_string_value(json_object_get(v, "queue"));
		if (json_array_size(json_object_get(v, "queues")) < 2 || !name)
			continue;
		char key[96];
		snprintf(key, sizeof(key), "msis_per_txn.%s", name);
		const json_t *g = json_object_get(guest, k);
		agree(ag, key, g ? jnum(g) : (guest ? 0 : NAN), jnum(json_object_get(v, "count")));
	}
}

/*
 * Does what the guest counted match what the host saw? Keyed by the host
 * metric; the guest's side is its mailbox (the micro-guest's driver).
 * Per-queue MSI rows of a shared vector say so (agree null) and the
 * vector gets its own row.
 */
static json_t *agreement(const json_t *vmm, const json_t *trace, const json_t *counts)
{
	static const struct {
		enum metric_id host;	/* a registry row */
		const char *guest_path; /* in the VMM report; NULL: MSIs of a queue */
		const char *queue;
	} pairs[] = {
	    {M_STATUS_READS, "guest.status_reads", NULL},
	    {M_ACKS, "guest.acks", NULL},
	    {M_NOTIFIES_RX, "guest.queues.rx*.notifies", NULL},
	    {M_NOTIFIES_TX, "guest.queues.tx*.notifies", NULL},
	    {M_MSIS_RX, NULL, "rx"},
	    {M_MSIS_TX, NULL, "tx"},
	    {M_MSIS_CONFIG, NULL, "config"},
	};
	json_t *ag = json_object();
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double g = pairs[i].guest_path ? metric_path_value(vmm, pairs[i].guest_path, 0)
					       : guest_msis(vmm, pairs[i].queue);
		const char *key = metric_key(pairs[i].host);
		double h = jnum(json_object_get(counts, key));
		agree(ag, key, g, h);
		if (pairs[i].queue && queue_shared(trace, pairs[i].queue))
			json_object_set_new(json_object_get(ag, key), "agree", json_null());
	}
	shared_vectors(ag, vmm, trace);
	return ag;
}

json_t *merge_record(int index, const json_t *counts, double txn, double elapsed_s)
{
	json_t *rep =
	    json_pack("{s:i, s:s, s:I, s:f}", "index", index, "status", "ok", "transactions",
		      (json_int_t)txn, "elapsed_s", isnan(elapsed_s) ? 0.0 : elapsed_s);
	json_object_set_new(rep, "metrics", metric_whole_run(counts, txn));
	json_object_set_new(rep, "counts", json_deep_copy(counts));
	return rep;
}

json_t *merge_repetition(int index, const json_t *vmm, const json_t *trace, const char *trace_note)
{
	const json_t *result = json_object_get(vmm, "result");
	struct metric_docs docs = {trace, vmm, NULL};
	json_t *counts = metric_counts(&docs);
	json_t *rep = merge_record(index, counts, jnum(json_object_get(result, "transactions")),
				   jnum(json_object_get(result, "elapsed_s")));
	json_object_set_new(rep, "agreement", agreement(vmm, trace, counts));
	json_decref(counts);
	json_object_set_new(rep, "trace_note",
			    trace_note && *trace_note ? json_string(trace_note) : json_null());
	if (trace) /* exit latencies (kvm_exit hosts): merged over repetitions later */
		json_object_set(rep, "exit_latency_log2_ns",
				json_object_get(trace, "exit_latency_log2_ns")
				    ? json_object_get(trace, "exit_latency_log2_ns")
				    : json_null());
	json_object_set_new(
	    rep, "raw", json_pack("{s:O, s:O}", "vmm", vmm, "trace", trace ? trace : json_null()));
	return rep;
}

int merge_baseline(json_t *rep, const json_t *base)
{
	double n = jnum(json_object_get(rep, "transactions"));
	double b = jnum(json_object_get(base, "transactions"));
	if (!(n > b) || !(b > 0))
		return -1;
	const json_t *cb = json_object_get(base, "counts");
	json_object_set_new(rep, "baseline",
			    json_pack("{s:I, s:O}", "transactions", (json_int_t)b, "counts", cb));
	json_object_set_new(rep, "marginal",
			    metric_marginal(json_object_get(rep, "counts"), n, cb, b));
	return 0;
}

json_t *merge_failed(int index, const char *error)
{
	return json_pack("{s:i, s:s, s:s, s:{}}", "index", index, "status", "failed", "error",
			 error, "metrics");
}

json_t *aggregate_summary(const json_t *reps)
{
	return metric_summarize(reps, "metrics");
}

/* null repetitions' histograms add nothing; a histogram is {bucket: count} */
static void add_hist(json_t *into, const json_t *h)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)h, k, v)
	{
		json_t *o = json_object_get(into, k);
		json_object_set_new(into, k,
				    json_integer(json_integer_value(o) + json_integer_value(v)));
	}
}

json_t *aggregate_latency(const json_t *reps)
{
	json_t *out = NULL;
	size_t i;
	const json_t *rep;
	json_array_foreach(reps, i, rep)
	{
		const json_t *lat = json_object_get(rep, "exit_latency_log2_ns");
		if (!json_is_object(lat))
			continue;
		if (!out)
			out = json_object();
		const char *reason;
		json_t *h;
		json_object_foreach((json_t *)lat, reason, h)
		{
			json_t *o = json_object_get(out, reason);
			if (!o) {
				o = json_object();
				json_object_set_new(out, reason, o);
			}
			add_hist(o, h);
		}
	}
	return out ? out : json_null();
}

json_t *aggregate_agreement(const json_t *reps)
{
	json_t *out = json_object();
	size_t i;
	const json_t *rep;
	json_array_foreach(reps, i, rep)
	{
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(rep, "agreement"), k, v)
		{
			json_t *o = json_object_get(out, k);
			if (!o) {
				o = json_pack("{s:I, s:I, s:b, s:b}", "guest", (json_int_t)0,
					      "host", (json_int_t)0, "agree", 1, "known", 1);
				json_object_set_new(out, k, o);
			}
			const json_t *g = json_object_get(v, "guest"),
				     *h = json_object_get(v, "host");
			const json_t *a = json_object_get(v, "agree");
			if (json_is_integer(g))
				json_object_set_new(
				    o, "guest",
				    json_integer(json_integer_value(json_object_get(o, "guest")) +
						 json_integer_value(g)));
			if (json_is_integer(h))
				json_object_set_new(
				    o, "host",
				    json_integer(json_integer_value(json_object_get(o, "host")) +
						 json_integer_value(h)));
			if (!json_is_boolean(a))
				json_object_set_new(o, "known", json_false());
			else if (json_is_false(a))
				json_object_set_new(o, "agree", json_false());
		}
	}
	/* one unknown repetition makes the total unknown, not "agrees" */
	const char *k;
	json_t *o;
	json_object_foreach(out, k, o)
	{
		if (json_is_false(json_object_get(o, "known"))) {
			json_object_set_new(o, "agree", json_null());
			json_object_set_new(o, "host", json_null());
		}
		json_object_del(o, "known");
	}
	return out;
}

int merge_check_host(const json_t *rep, char *why, size_t len)
{
	double txn = jnum(json_object_get(rep, "transactions"));
	double exits = jnum(json_object_get(json_object_get(rep, "counts"), metric_key(M_EXITS)));
	if (isnan(exits) || isnan(txn) || exits >= txn)
		return 0;
	snprintf(why, len,
		 "the guest reports %.0f transactions but the host saw %.0f VM exits (each "
		 "transaction takes at least one): counts that cannot be true",
		 txn, exits);
	return -1;
}
