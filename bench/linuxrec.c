/* SPDX-License-Identifier: MIT */
/*
 * irqpath-linux/1 -> repetition record. Interrupt names are the guest's
 * /proc/interrupts ones: virtio-pci MSI-X gives virtioN-config,
 * virtioN-input.K and virtioN-output.K; virtio-mmio gives one line
 * "virtioN" that every queue shares.
 */
#include "linuxrec.h"
#include "../reports/jsonio.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* host-side metrics of irqpath-results/1 (merge.c fills them from the tracer) */
static const char *const host_keys[] = {
    "exits_per_txn.total",    "userspace_exits_per_txn", "status_reads_per_txn",
    "acks_per_txn",	      "notifies_per_txn.rx",	 "notifies_per_txn.tx",
    "ioapic_set_irq_per_txn", "ioapic_eoi_per_txn",	 "lapic_eoi_per_txn",
    "msis_per_txn.rx",	      "msis_per_txn.tx",	 "msis_per_txn.config"};

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

static json_t *num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *linux_repetition(int index, const json_t *ld, const char *host_note, char *err,
			 size_t errlen)
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
	double tps = jnum(json_object_get(ld, "trans_per_s"));
	double txn = jnum(json_object_get(ld, "transactions"));
	if (!(tps > 0) || !(txn > 0)) {
		snprintf(err, errlen, "no transactions completed (transactions %g, trans/s %g)",
			 txn, tps);
		return NULL;
	}
	const char *accel = json_string_value(json_object_get(ld, "accel"));
	if (!accel || (strcmp(accel, "tcg") && strcmp(accel, "kvm"))) {
		snprintf(err, errlen, "accel: expected \"tcg\" or \"kvm\"");
		return NULL;
	}
	int kvm = !strcmp(accel, "kvm");

	json_t *m = json_object();
	json_object_set_new(m, "trans_per_s", json_real(tps));
	static const char *const lat[] = {"p50", "p90", "p99", "mean"};
	const json_t *lu = json_object_get(ld, "latency_us");
	for (int i = 0; i < 4; i++) {
		char key[32];
		snprintf(key, sizeof(key), "latency_%s_us", lat[i]);
		json_object_set_new(m, key, num_or_null(jnum(json_object_get(lu, lat[i]))));
	}
	for (size_t i = 0; i < sizeof(host_keys) / sizeof(host_keys[0]); i++)
		json_object_set_new(m, host_keys[i], json_null());

	/* guest interrupts per transaction, summed per queue */
	static const char *const queues[] = {"rx", "tx", "config", "all"};
	double per_q[4] = {NAN, NAN, NAN, NAN};
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(ld, "irqs_per_transaction"), k, v)
	{
		const char *q = linux_irq_queue(k);
		for (int i = 0; i < 4; i++) {
			double x = jnum(v);
			if (strcmp(q, queues[i]) || isnan(x))
				continue;
			per_q[i] = isnan(per_q[i]) ? x : per_q[i] + x;
		}
	}
	for (int i = 0; i < 4; i++) {
		if (isnan(per_q[i]))
			continue;
		char key[48];
		snprintf(key, sizeof(key), "guest.interrupts_per_txn.%s", queues[i]);
		json_object_set_new(m, key, json_real(per_q[i]));
	}

	const char *lnote = json_string_value(json_object_get(ld, "note"));
	char note[320];
	if (kvm)
		snprintf(note, sizeof(note), "%s",
			 host_note && *host_note ? host_note : "KVM run, host counts not taken");
	else
		snprintf(note, sizeof(note), "%s", LINUX_NOTE_TCG);
	const json_t *wl = json_object_get(ld, "workload");
	json_t *rep =
	    json_pack("{s:i, s:s, s:I, s:f, s:o, s:{}, s:s, s:b, s:s, s:s?}", "index", index,
		      "status", "ok", "transactions", (json_int_t)txn, "elapsed_s",
		      isnan(jnum(json_object_get(wl, "duration_s")))
			  ? 0.0
			  : jnum(json_object_get(wl, "duration_s")),
		      "metrics", m, "agreement", "accel", accel, "kvm_counters", kvm, "note", note,
		      "accel_reason", json_string_value(json_object_get(ld, "accel_reason")));
	json_object_set_new(rep, "trace_note",
			    json_string(kvm ? note : (lnote ? lnote : LINUX_NOTE_TCG)));
	json_object_set_new(rep, "raw", json_pack("{s:O, s:n}", "linux", ld, "trace"));
	return rep;
}
