// SPDX-License-Identifier: MIT
/* Linux guest on irqpath-vmm -> repetition record (see vmmlinuxrec.h). */
#include "vmmlinuxrec.h"
#include "linuxrec.h"
#include "merge.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const json_t *path2(const json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

/* Sum of the interrupt lines in IRQS that belong to QUEUE (rx, tx, config, all). */
static double irqs_for(const json_t *irqs, const char *queue)
{
	double n = NAN;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)irqs, k, v)
	{
		if (strcmp(linux_irq_queue(k), queue) || !json_is_number(v))
			continue;
		n = (isnan(n) ? 0 : n) + jnum(v);
	}
	return n;
}

static void agree(json_t *ag, const char *name, double guest, double host)
{
	json_t *a = isnan(guest) || isnan(host) ? json_null() : json_boolean(guest == host);
	json_object_set_new(
	    ag, name,
	    json_pack("{s:o, s:o, s:o}", "guest",
		      isnan(guest) ? json_null() : json_integer((json_int_t)guest), "host",
		      isnan(host) ? json_null() : json_integer((json_int_t)host), "agree", a));
}

/* The queue of MSI vector index idx: 0 config, 1 + q queue q (see the header). */
static const char *index_queue(unsigned idx)
{
	static const char *const q[] = {"config", "rx", "tx"};
	return idx < 3 ? q[idx] : NULL;
}

/* The CPU vector the guest programmed into MSI vector index idx, or -1. */
static int index_vector(const json_t *vmm, unsigned idx)
{
	char k[16];
	snprintf(k, sizeof(k), "%u", idx);
	const json_t *v = json_object_get(json_object_get(path2(vmm, "vmm", "msi"), k), "vector");
	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

/* The tracer's count in an object keyed by CPU vector, or NaN. */
static double by_vector(const json_t *obj, int vector, const char *field)
{
	char k[16];
	snprintf(k, sizeof(k), "%d", vector);
	const json_t *v = json_object_get(obj, k);
	if (!obj || vector < 0)
		return NAN;
	if (field && v)
		v = json_object_get(v, field);
	return v ? jnum(v) : 0;
}

/*
 * The guest's interrupts per queue against the guest's EOIs of that queue's
 * vector as KVM saw them (kvm_eoi). Not the MSI sends: an MSI that arrives
 * while the previous one is still pending in the LAPIC is merged into one
 * interrupt (the difference is reported as msi_merged). The guest's counts
 * are since boot, the tracer's over the window; the device carries no
 * traffic before the settle pause, and the report comes after the TCP
 * connection closed, so every virtio interrupt lies inside the window.
 */
static json_t *agreement(const json_t *vmm, const json_t *lx, const json_t *trace, json_t *rep)
{
	json_t *ag = json_object();
	const json_t *finals = json_object_get(lx, "final_irqs");
	if (!json_is_object(finals))
		finals = NULL; /* cannot be compared: null, not a guess */
	const json_t *eois = trace ? json_object_get(trace, "eoi_by_vector") : NULL;
	const char *profile = json_string_value(json_object_get(vmm, "profile"));
	if (profile && !strcmp(profile, "mmio-legacy")) {
		/* the level pin's EOIs: KVM's IOAPIC EOIs of the virtio-mmio pin */
		const json_t *pin = path2(trace, "ioapic", "5");
		agree(ag, "interrupts.legacy", irqs_for(finals, "all"),
		      trace ? (pin ? jnum(json_object_get(pin, "eoi")) : 0) : NAN);
		return ag;
	}
	/* Entries the guest gave one CPU vector (a driver that shares by
	 * programming one message twice, addrdata's msi_vectors=2) are one
	 * interrupt: compared once, as "rx+tx", with the guest's shared line
	 * ("virtio0-queues0-1", queue "all") added to their own. */
	int vec[3];
	for (unsigned i = 0; i < 3; i++)
		vec[i] = index_vector(vmm, i);
	json_t *merged = json_object();
	for (unsigned i = 0; i < 3; i++) {
		char name[32], queues[24] = "";
		unsigned members = 0, first = 1;
		for (unsigned j = 0; j < i && first; j++)
			first = vec[j] < 0 || vec[j] != vec[i];
		if (!first)
			continue; /* counted with the entry that has this vector first */
		double g = NAN;
		for (unsigned j = i; j < 3; j++) {
			if (j != i && (vec[i] < 0 || vec[j] != vec[i]))
				continue;
			size_t n = strlen(queues);
			snprintf(queues + n, sizeof(queues) - n, "%s%s", n ? "+" : "",
				 index_queue(j));
			double gj = irqs_for(finals, index_queue(j));
			if (!isnan(gj))
				g = (isnan(g) ? 0 : g) + gj;
			members++;
		}
		if (members > 1) {
			double shared = irqs_for(finals, "all");
			if (!isnan(shared))
				g = (isnan(g) ? 0 : g) + shared;
		}
		snprintf(name, sizeof(name), "interrupts.%s", queues);
		agree(ag, name, finals && isnan(g) ? 0 : g,
		      eois ? by_vector(eois, vec[i], NULL) : NAN);
		double sent = by_vector(json_object_get(trace, "msi_by_vector"), vec[i], "count");
		double took = by_vector(eois, vec[i], NULL);
		if (!isnan(sent) && !isnan(took))
			json_object_set_new(merged, queues,
					    json_integer((json_int_t)(sent - took)));
	}
	json_object_set_new(rep, "msi_merged", merged);
	return ag;
}

/* msis_per_txn.* by the VMM's vector order when the tracer could not name
 * the vectors (no layout with queue names for it, e.g. pci's at exit). */
static void msis_by_index(json_t *m, const json_t *vmm, const json_t *trace, double window)
{
	const json_t *msi = json_object_get(trace, "msi_by_vector");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)msi, k,
			    v) if (json_is_string(json_object_get(v, "queue"))) return;
	for (unsigned i = 0; i < 3 && json_object_size(msi); i++) {
		char key[48];
		snprintf(key, sizeof(key), "msis_per_txn.%s", index_queue(i));
		double n = by_vector(msi, index_vector(vmm, i), "count");
		json_object_set_new(m, key, isnan(n) ? json_null() : json_real(n / window));
	}
}

json_t *vmm_linux_repetition(int index, const json_t *vmm, const json_t *trace,
			     const char *trace_note, char *err, size_t errlen)
{
	const json_t *lx = json_object_get(vmm, "linux");
	const char *status = json_string_value(path2(vmm, "result", "status"));
	if (!json_is_object(lx)) {
		snprintf(err, errlen, "irqpath-vmm/1 without a linux section (not a Linux guest)");
		return NULL;
	}
	if (!status || strcmp(status, "ok")) {
		const char *why = json_string_value(json_object_get(lx, "reason"));
		snprintf(err, errlen, "irqpath-vmm reported status %.20s: %.400s",
			 status ? status : "(none)", why ? why : "no reason given");
		return NULL;
	}
	const json_t *rr = path2(lx, "agent", "rr");
	double txn = jnum(json_object_get(rr, "transactions"));
	double warm = jnum(json_object_get(rr, "warmup_transactions"));
	if (!(txn > 0)) {
		snprintf(err, errlen, "the guest completed no transactions");
		return NULL;
	}
	double window = txn + (isnan(warm) ? 0 : warm);

	/* host metrics over the window: merge.c's, with the window's transactions */
	json_t *v = json_deep_copy(vmm);
	json_object_set_new(json_object_get(v, "result"), "transactions",
			    json_integer((json_int_t)window));
	json_t *rep = merge_repetition(index, v, trace, trace_note);
	json_decref(v);
	json_object_set_new(rep, "transactions", json_integer((json_int_t)txn));
	json_object_set_new(rep, "window_transactions", json_integer((json_int_t)window));
	json_object_set_new(rep, "elapsed_s", json_real(jnum(json_object_get(rr, "elapsed_s"))));

	json_t *m = json_object_get(rep, "metrics");
	/* the VMM counts the whole lifetime, boot included: not a per-transaction figure */
	json_object_del(m, metric_key(M_VMM_USERSPACE_EXITS));
	json_object_del(m, metric_key(M_GUEST_STATUS_READS));
	json_object_del(m, metric_key(M_GUEST_ACKS));
	static const struct {
		enum metric_id id;
		const char *queue;
	} per_queue[] = {{M_GUEST_IRQS_RX, "rx"},
			 {M_GUEST_IRQS_TX, "tx"},
			 {M_GUEST_IRQS_CONFIG, "config"},
			 {M_GUEST_IRQS_ALL, "all"}};
	const json_t *irqs = path2(lx, "agent", "irqs");
	for (size_t i = 0; i < sizeof(per_queue) / sizeof(*per_queue); i++) {
		double n = irqs_for(irqs, per_queue[i].queue);
		json_object_set_new(m, metric_key(per_queue[i].id),
				    isnan(n) ? json_null() : json_real(n / window));
	}
	if (trace)
		msis_by_index(m, vmm, trace, window);
	json_object_set_new(rep, "agreement", agreement(vmm, lx, trace, rep));
	json_object_set_new(rep, "accel", json_string("kvm"));
	json_object_set_new(rep, "kvm_counters", json_true());
	json_object_set_new(rep, "note", json_null());
	return rep;
}
