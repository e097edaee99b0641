/* SPDX-License-Identifier: MIT */
/*
 * Metric names (see reports/README.md, irqpath-results/1): per-transaction
 * figures are counts over the whole VM lifetime divided by the
 * transactions the guest completed, so device set-up is amortised in them.
 */
#include "merge.h"
#include "../reports/jsonio.h"
#include "../reports/stats.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const json_t *path2(const json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

static const json_t *path3(const json_t *o, const char *a, const char *b, const char *c)
{
	return json_object_get(path2(o, a, b), c);
}

/* count / transactions, or null when the count is unknown */
static json_t *per(double count, double txn)
{
	if (isnan(count) || txn <= 0)
		return json_null();
	return json_real(count / txn);
}

/* count of a JSON integer; NaN if absent, 0 if the object exists but lacks it */
static double count_in(const json_t *obj, const char *key)
{
	if (!obj)
		return NAN;
	const json_t *v = json_object_get(obj, key);
	return v ? jnum(v) : 0;
}

/* MSIs the host saw, by queue name (via msi_by_vector[].queue) */
static double host_msis(const json_t *trace, const char *queue)
{
	if (!trace)
		return NAN;
	double n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(trace, "msi_by_vector"), k, v)
	{
		const char *q = json_string_value(json_object_get(v, "queue"));
		if (q && !strcmp(q, queue))
			n += jnum(json_object_get(v, "count"));
	}
	return n;
}

/* MSIs the guest took for a queue: its interrupts, when it used MSI at all */
static double guest_msis(const json_t *guest, const char *queue)
{
	if (jnum(json_object_get(guest, "msi_vectors")) <= 0)
		return 0;
	if (!strcmp(queue, "config"))
		return jnum(json_object_get(guest, "config_interrupts"));
	return jnum(path3(guest, "queues", queue, "interrupts"));
}

static void agree(json_t *ag, const char *name, double guest, double host)
{
	json_t *g = isnan(guest) ? json_null() : json_integer((json_int_t)guest);
	json_t *h = isnan(host) ? json_null() : json_integer((json_int_t)host);
	json_t *a = (isnan(guest) || isnan(host)) ? json_null() : json_boolean(guest == host);
	json_object_set_new(ag, name,
			    json_pack("{s:o, s:o, s:o}", "guest", g, "host", h, "agree", a));
}

json_t *merge_repetition(int index, const json_t *vmm, const json_t *trace, const char *trace_note)
{
	const json_t *result = json_object_get(vmm, "result");
	const json_t *guest = json_object_get(vmm, "guest");
	double txn = jnum(json_object_get(result, "transactions"));
	json_t *m = json_object();
	json_object_set_new(m, "trans_per_s",
			    json_real(jnum(json_object_get(result, "trans_per_s"))));
	static const char *const lat[] = {"p50", "p90", "p99", "mean"};
	for (int i = 0; i < 4; i++) {
		char key[32];
		snprintf(key, sizeof(key), "latency_%s_us", lat[i]);
		double v = jnum(path2(result, "latency_us", lat[i]));
		json_object_set_new(m, key, isnan(v) ? json_null() : json_real(v));
	}

	/* host side, from the tracer */
	const json_t *tot = json_object_get(trace, "totals");
	const json_t *regs = json_object_get(trace, "mmio_by_register");
	double exits = count_in(tot, "exits");
	if (trace && !json_object_get(tot, "exits")) { /* older snapshots: sum the reasons */
		exits = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(trace, "exits_by_reason"), k, v) exits +=
		    jnum(v);
	}
	json_object_set_new(m, "exits_per_txn.total", per(exits, txn));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(trace, "exits_by_reason"), k, v)
	{
		char key[96];
		int o = snprintf(key, sizeof(key), "exits_per_txn.");
		for (const char *p = k; *p && o < (int)sizeof(key) - 1; p++)
			key[o++] =
			    isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
		key[o] = '\0';
		json_object_set_new(m, key, per(jnum(v), txn));
	}
	json_object_set_new(m, "userspace_exits_per_txn",
			    per(count_in(tot, "userspace_exits"), txn));
	double host_status =
	    trace ? count_in(json_object_get(regs, "InterruptStatus"), "reads") : NAN;
	double host_acks = trace ? count_in(json_object_get(regs, "InterruptACK"), "writes") : NAN;
	if (trace && !json_object_get(regs, "InterruptStatus"))
		host_status = 0;
	if (trace && !json_object_get(regs, "InterruptACK"))
		host_acks = 0;
	json_object_set_new(m, "status_reads_per_txn", per(host_status, txn));
	json_object_set_new(m, "acks_per_txn", per(host_acks, txn));
	static const char *const queues[] = {"rx", "tx"};
	const json_t *notifies = json_object_get(trace, "notifies");
	for (int q = 0; q < 2; q++) {
		char key[48];
		snprintf(key, sizeof(key), "notifies_per_txn.%s", queues[q]);
		json_object_set_new(m, key, per(count_in(notifies, queues[q]), txn));
	}
	json_object_set_new(m, "ioapic_set_irq_per_txn", per(count_in(tot, "ioapic_set_irq"), txn));
	json_object_set_new(m, "ioapic_eoi_per_txn", per(count_in(tot, "ioapic_eoi"), txn));
	json_object_set_new(m, "lapic_eoi_per_txn", per(count_in(tot, "x2apic_eoi"), txn));
	static const char *const mq[] = {"rx", "tx", "config"};
	for (int q = 0; q < 3; q++) {
		char key[48];
		snprintf(key, sizeof(key), "msis_per_txn.%s", mq[q]);
		json_object_set_new(m, key, per(host_msis(trace, mq[q]), txn));
	}

	/* guest and VMM side */
	for (int q = 0; q < 2; q++) {
		char key[64];
		snprintf(key, sizeof(key), "guest.interrupts_per_txn.%s", queues[q]);
		json_object_set_new(
		    m, key, per(jnum(path3(guest, "queues", queues[q], "interrupts")), txn));
	}
	json_object_set_new(m, "guest.status_reads_per_txn",
			    per(jnum(json_object_get(guest, "status_reads")), txn));
	json_object_set_new(m, "guest.acks_per_txn",
			    per(jnum(json_object_get(guest, "acks")), txn));
	json_object_set_new(m, "vmm.userspace_exits_per_txn",
			    per(jnum(path2(vmm, "vmm", "userspace_exits")), txn));

	/* does what the guest counted match what the host saw? */
	json_t *ag = json_object();
	agree(ag, "status_reads", jnum(json_object_get(guest, "status_reads")), host_status);
	agree(ag, "acks", jnum(json_object_get(guest, "acks")), host_acks);
	for (int q = 0; q < 2; q++) {
		char name[32];
		snprintf(name, sizeof(name), "notifies.%s", queues[q]);
		agree(ag, name, jnum(path3(guest, "queues", queues[q], "notifies")),
		      trace ? count_in(notifies, queues[q]) : NAN);
	}
	for (int q = 0; q < 3; q++) {
		char name[32];
		snprintf(name, sizeof(name), "msis.%s", mq[q]);
		agree(ag, name, guest_msis(guest, mq[q]), host_msis(trace, mq[q]));
	}

	json_t *rep =
	    json_pack("{s:i, s:s, s:I, s:f, s:o, s:o}", "index", index, "status", "ok",
		      "transactions", (json_int_t)txn, "elapsed_s",
		      jnum(json_object_get(result, "elapsed_s")), "metrics", m, "agreement", ag);
	json_object_set_new(rep, "trace_note",
			    trace_note && *trace_note ? json_string(trace_note) : json_null());
	json_object_set_new(
	    rep, "raw", json_pack("{s:O, s:O}", "vmm", vmm, "trace", trace ? trace : json_null()));
	return rep;
}

json_t *merge_failed(int index, const char *error)
{
	return json_pack("{s:i, s:s, s:s, s:{}}", "index", index, "status", "failed", "error",
			 error, "metrics");
}

json_t *aggregate_summary(const json_t *reps)
{
	json_t *summary = json_object();
	size_t i;
	const json_t *rep;
	/* union of keys first */
	json_array_foreach(reps, i, rep)
	{
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(rep, "metrics"), k,
				    v) if (!json_object_get(summary, k))
		    json_object_set_new(summary, k, json_object());
	}
	const char *k;
	json_t *s;
	double vals[1024];
	json_object_foreach(summary, k, s)
	{
		size_t n = 0;
		json_array_foreach(reps, i, rep)
		{
			if (strcmp(json_string_value(json_object_get(rep, "status")), "ok"))
				continue;
			double x = jnum(path2(rep, "metrics", k));
			if (!isnan(x) && n < 1024)
				vals[n++] = x;
		}
		json_object_set_new(s, "mean", n ? json_real(stats_mean(vals, n)) : json_null());
		json_object_set_new(s, "stddev",
				    n ? json_real(stats_stddev(vals, n)) : json_null());
		json_object_set_new(s, "n", json_integer((json_int_t)n));
	}
	return summary;
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
