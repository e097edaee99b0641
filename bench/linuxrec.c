/* SPDX-License-Identifier: MIT */
/*
 * irqpath-linux/1 -> repetition record. Interrupt names are the guest's
 * /proc/interrupts ones: virtio-pci MSI-X gives virtioN-config,
 * virtioN-input.K and virtioN-output.K; virtio-mmio gives one line
 * "virtioN" that every queue shares.
 */
#include "linuxrec.h"
#include "merge.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *linux_irq_queue(const char *name)
{
	if (strstr(name, "-input."))
		return "rx";
	if (strstr(name, "-output."))
		return "tx";
	if (strstr(name, "-config"))
		return "config";
	return "all";
}

/*
 * The agent's document plus irqs_by_queue {rx, tx, config, all}: interrupt
 * counts summed per queue, where the registry's linux: sources read them.
 */
static json_t *digest(const json_t *ld, double txn)
{
	json_t *d = json_deep_copy(ld), *q = json_object();
	/* the agent's own per-transaction figures (its /proc/interrupts delta), as counts */
	const json_t *irqs = json_object_get(ld, "irqs_per_transaction");
	int per_txn = json_is_object(irqs);
	if (!per_txn)
		irqs = json_object_get(ld, "irqs");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)irqs, k, v)
	{
		double x = jnum(v) * (per_txn ? txn : 1);
		if (isnan(x))
			continue;
		const char *name = linux_irq_queue(k);
		double old = jnum(json_object_get(q, name));
		json_object_set_new(q, name, json_real((isnan(old) ? 0 : old) + x));
	}
	json_object_set_new(d, "irqs_by_queue", q);
	return d;
}

/*
 * Host rows that need the tracer to know the device (register names, queue
 * names of doorbells and MSI vectors): a Linux guest's device is not
 * described to irqpath-trace, so they are unknown (null), not zero.
 */
static void null_layout_rows(json_t *counts)
{
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (r->group != MG_HOST || metric_is_family(r) ||
		    !json_object_get(counts, r->key) ||
		    !(strstr(r->source, "mmio_by_register.") || strstr(r->source, "notifies.") ||
		      strstr(r->source, "[queue=")))
			continue;
		json_object_set_new(counts, r->key,
				    r->kind == MK_RATIO ? json_pack("[n, n]") : json_null());
	}
}

json_t *linux_repetition(int index, const json_t *ld, const char *host_note, char *err,
			 size_t errlen)
{
	return linux_repetition_traced(index, ld, NULL, host_note, err, errlen);
}

json_t *linux_repetition_traced(int index, const json_t *ld, const json_t *trace,
				const char *host_note, char *err, size_t errlen)
{
	const char *schema = json_string_value(json_object_get(ld, "schema"));
	const char *status = json_string_value(json_object_get(ld, "status"));
	if (!schema || strcmp(schema, "irqpath-linux/1")) {
		snprintf(err, errlen, "not an irqpath-linux/1 document");
		return NULL;
	}
	if (!status || strcmp(status, "ok")) {
		const char *e = json_string_value(json_object_get(ld, "error"));
		snprintf(err, errlen, "the guest reported status %.20s: %.300s",
			 status ? status : "(none)", e ? e : "no error text");
		return NULL;
	}
	double txn = jnum(json_object_get(ld, "transactions"));
	const char *accel = json_string_value(json_object_get(ld, "accel"));
	/* host counts only from a KVM run's QEMU, the very process that ran it */
	if (trace && (!accel || strcmp(accel, "kvm") ||
		      jnum(json_object_get(trace, "pid")) != jnum(json_object_get(ld, "qemu_pid"))))
		trace = NULL;
	json_t *dig = digest(ld, txn);
	struct metric_docs docs = {trace, NULL, dig};
	json_t *counts = metric_counts(&docs);
	json_decref(dig);
	if (trace)
		null_layout_rows(counts);
	double tps = jnum(json_object_get(counts, metric_key(M_TRANS_PER_S)));
	if (!(tps > 0) || !(txn > 0)) {
		snprintf(err, errlen, "no transactions completed (transactions %g, trans/s %g)",
			 txn, tps);
		json_decref(counts);
		return NULL;
	}
	if (!accel || (strcmp(accel, "tcg") && strcmp(accel, "kvm"))) {
		snprintf(err, errlen, "accel: expected \"tcg\" or \"kvm\"");
		json_decref(counts);
		return NULL;
	}
	int kvm = !strcmp(accel, "kvm");

	const json_t *wl = json_object_get(ld, "workload");
	json_t *rep = merge_record(index, counts, txn, jnum(json_object_get(wl, "duration_s")));
	json_decref(counts);

	const char *lnote = json_string_value(json_object_get(ld, "note"));
	char note[320];
	if (kvm && trace)
		snprintf(note, sizeof(note),
			 "KVM run: host counts from irqpath-trace on QEMU's pid %lld (whole QEMU "
			 "life from the tracer's attach, boot included; registers and queues "
			 "not named: no device layout for a Linux guest)",
			 (long long)jnum(json_object_get(trace, "pid")));
	else if (kvm)
		snprintf(note, sizeof(note), "%s",
			 host_note && *host_note ? host_note : "KVM run, host counts not taken");
	else
		snprintf(note, sizeof(note), "%s", LINUX_NOTE_TCG);
	json_object_set_new(rep, "agreement", json_object());
	json_object_set_new(rep, "accel", json_string(accel));
	json_object_set_new(rep, "kvm_counters", json_boolean(kvm));
	json_object_set_new(rep, "note", json_string(note));
	const char *why = json_string_value(json_object_get(ld, "accel_reason"));
	if (why)
		json_object_set_new(rep, "accel_reason", json_string(why));
	json_object_set_new(rep, "trace_note",
			    trace ? json_null()
				  : json_string(kvm ? note : (lnote ? lnote : LINUX_NOTE_TCG)));
	json_object_set_new(rep, "raw",
			    json_pack("{s:O, s:O?}", "linux", ld, "trace", (json_t *)trace));
	return rep;
}
