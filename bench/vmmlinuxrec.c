// SPDX-License-Identifier: MIT
/* Linux guest on irqpath-vmm -> repetition record (see vmmlinuxrec.h). */
#include "vmmlinuxrec.h"
#include "linuxrec.h"
#include "merge.h"
#include "../reports/jsonio.h"

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

/* The VMM's MSI fires for vector index IDX when the guest read its counts. */
static double vmm_fired(const json_t *host, unsigned idx)
{
	char k[16];
	snprintf(k, sizeof(k), "%u", idx);
	const json_t *e = json_object_get(json_object_get(host, "msi_fired"), k);
	return e ? jnum(e) : NAN;
}

static json_t *agreement(const json_t *vmm, const json_t *lx)
{
	json_t *ag = json_object();
	const json_t *finals = json_object_get(lx, "final_irqs");
	const json_t *host = json_object_get(lx, "host_irqs_at_final");
	if (!json_is_object(finals) || !json_is_object(host))
		finals = host = NULL; /* cannot be compared: null, not a guess */
	const char *profile = json_string_value(json_object_get(vmm, "profile"));
	if (profile && !strcmp(profile, "mmio-legacy")) {
		/* every interrupt the guest took on the level pin ends in an EOI,
		 * which KVM reports to the VMM's resamplefd */
		agree(ag, "interrupts.legacy", irqs_for(finals, "all"),
		      host ? jnum(json_object_get(host, "resamples")) : NAN);
		return ag;
	}
	static const char *const q[] = {"config", "rx", "tx"};
	for (unsigned i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "msis.%s", q[i]);
		double g = irqs_for(finals, q[i]);
		agree(ag, name, host && isnan(g) ? 0 : g, vmm_fired(host, i));
	}
	return ag;
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
	json_object_del(m, "vmm.userspace_exits_per_txn");
	json_object_del(m, "guest.status_reads_per_txn");
	json_object_del(m, "guest.acks_per_txn");
	static const char *const queues[] = {"rx", "tx", "config", "all"};
	const json_t *irqs = path2(lx, "agent", "irqs");
	for (int i = 0; i < 4; i++) {
		char key[48];
		snprintf(key, sizeof(key), "guest.interrupts_per_txn.%s", queues[i]);
		double n = irqs_for(irqs, queues[i]);
		json_object_set_new(m, key, isnan(n) ? json_null() : json_real(n / window));
	}
	json_object_set_new(rep, "agreement", agreement(vmm, lx));
	json_object_set_new(rep, "accel", json_string("kvm"));
	json_object_set_new(rep, "kvm_counters", json_true());
	json_object_set_new(rep, "note", json_null());
	return rep;
}
