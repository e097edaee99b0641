/* SPDX-License-Identifier: MIT */
/* irqpath-qemu-micro/1 + irqpath-trace/1 -> a repetition record. */
#include "qemumicrorec.h"
#include "merge.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <math.h>
#include <string.h>

const char qemu_micro_config_msi_note[] =
    "config-vector MSIs are not compared on q35: QEMU sends one after the guest's final "
    "report, which the guest never takes (guest-agent/qemu/README.md)";

/* Rows that count irqpath-vmm's own work have no source in QEMU's run. */
static void null_vmm_rows(json_t *counts)
{
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (metric_is_family(r) || !strstr(r->source, "vmm:vmm.") ||
		    !json_object_get(counts, r->key))
			continue;
		if (r->kind == MK_RATIO) { /* the numerator is the tracer's, still true */
			json_t *v = json_object_get(counts, r->key);
			json_array_set_new(v, 1, json_null());
		} else {
			json_object_set_new(counts, r->key, json_null());
		}
	}
}

static void agree_pair(json_t *ag, const char *key, double guest, const json_t *counts)
{
	double host = jnum(json_object_get(counts, key));
	json_t *h = isnan(host) ? json_null() : json_integer((json_int_t)host);
	json_t *a = isnan(host) || isnan(guest) ? json_null() : json_boolean(guest == host);
	json_object_set_new(
	    ag, key,
	    json_pack("{s:I, s:o, s:o}", "guest", (json_int_t)guest, "host", h, "agree", a));
}

/*
 * microvm with KVM's IOAPIC: every interrupt the guest takes on the device's
 * level vector ends in one IOAPIC EOI in KVM. Under QEMU's split irqchip the
 * EOI goes to QEMU's IOAPIC instead (KVM_EXIT_IOAPIC_EOI), so no pair there.
 */
static void adjust_agreement(json_t *rep, const json_t *doc, const json_t *counts)
{
	json_t *ag = json_object_get(rep, "agreement");
	const char *machine = json_string_value(json_object_get(doc, "machine"));
	const json_t *q = json_object_get(doc, "qemu");
	const char *irqchip = json_string_value(json_object_get(q, "irqchip"));
	const json_t *guest = json_object_get(doc, "guest");
	if (machine && !strcmp(machine, "q35")) {
		json_object_del(ag, metric_key(M_MSIS_CONFIG));
		json_object_set_new(rep, "agreement_note", json_string(qemu_micro_config_msi_note));
		return;
	}
	if (!irqchip || strcmp(irqchip, "on"))
		return;
	json_int_t vec = json_integer_value(
	    json_object_get(json_object_get(json_object_get(doc, "device"), "vectors"), "legacy"));
	char v[24];
	snprintf(v, sizeof(v), "%lld", (long long)vec);
	double taken = jnum(json_object_get(json_object_get(guest, "irqs_by_vector"), v));
	if (!isnan(taken))
		agree_pair(ag, metric_key(M_IOAPIC_EOI), taken, counts);
}

json_t *qemu_micro_record(int index, const struct runner_output *out)
{
	const json_t *doc = out->qemu_micro;
	json_t *view = json_pack("{s:O?, s:O?}", "result", json_object_get(doc, "result"), "guest",
				 json_object_get(doc, "guest"));
	json_t *rep = merge_repetition(index, view, out->trace, out->trace_note);
	json_decref(view);
	json_t *counts = json_object_get(rep, "counts");
	null_vmm_rows(counts);
	double txn = jnum(json_object_get(rep, "transactions"));
	json_object_set_new(rep, "metrics", metric_whole_run(counts, txn));
	adjust_agreement(rep, doc, counts);
	const json_t *q = json_object_get(doc, "qemu");
	json_object_set_new(
	    rep, "qemu",
	    json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "machine", json_object_get(doc, "machine"),
		      "irqchip", json_object_get(q, "irqchip"), "version",
		      json_object_get(q, "version"), "pid", json_object_get(doc, "pid"),
		      "transport", json_object_get(doc, "transport")));
	json_t *raw = json_object_get(rep, "raw");
	json_object_del(raw, "vmm");
	json_object_set(raw, "qemu_micro", (json_t *)doc);
	json_object_set_new(rep, "accel", json_string("kvm"));
	json_object_set_new(rep, "kvm_counters", json_true());
	json_object_set_new(rep, "note", json_null());
	return rep;
}
