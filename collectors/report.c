/* SPDX-License-Identifier: MIT */
/* The irqpath-trace/1 snapshot: every selected counter key is decoded once
 * (decode.c) and folded into the snapshot's objects by phase. */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "vcpu_attr.h"

#define X2APIC_EOI_MSR 0x80b
#define IRQCHIP_IOAPIC 2
#define ERRNO_BASE 0x10000 /* userspace-exit details above this are KVM_RUN errnos */

#define add_u64 report_add_u64
#define sub_obj report_sub_obj

void report_add_u64(json_t *obj, const char *key, uint64_t n)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key,
			    json_integer((json_int_t)(json_integer_value(v) + (json_int_t)n)));
}

json_t *report_sub_obj(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		v = json_object();
		json_object_set_new(obj, key, v);
	}
	return v;
}

/* --vcpu N keeps the keys N takes (an IPI: N sent or received it). */
static int vcpu_selected(const struct irqt_key *k, const struct report_ctx *rc)
{
	struct attr a[2];
	int n = attr_key(k, rc->tracer, rc->layout, a);
	for (int i = 0; i < n; i++)
		if (a[i].vcpu == rc->vcpu_filter)
			return 1;
	return 0;
}

static int key_selected(const struct irqt_key *k, const struct report_ctx *rc, uint32_t pid,
			int by_tid, uint32_t tid)
{
	if (pid && k->pid != pid)
		return 0;
	if (by_tid && (k->ctx != IRQT_CTX_THREAD || k->tid != tid))
		return 0;
	return rc->vcpu_filter < 0 || vcpu_selected(k, rc);
}

int report_thread_in(const struct vcpu_sel *sel, const struct irqt_key *k)
{
	if (k->ctx != IRQT_CTX_THREAD || k->pid != sel->pid)
		return 0;
	if (sel->vcpu < 0)
		return k->tid == sel->tid;
	return attr_thread_vcpu(sel->rc->tracer, sel->rc->layout, k->pid, k->tid) == sel->vcpu;
}

static int dec_set_build(struct dec_set *s, const struct counts *c, const struct report_ctx *rc,
			 uint32_t pid)
{
	struct decode_ctx dc = {.layout = rc->layout, .names = rc->names};
	memset(s, 0, sizeof *s);
	s->v = calloc(c->len + 1, sizeof *s->v);
	if (!s->v)
		return -1;
	counts_for_each(c, e)
	{
		if (!key_selected(&e->key, rc, pid, 0, 0))
			continue;
		struct dec_item *it = &s->v[s->n++];
		it->k = &e->key;
		it->v = e->value;
		decode_key(&e->key, &dc, &it->d);
		s->have_hw |= e->key.event == IRQT_EV_EXIT && e->value;
	}
	return 0;
}

json_t *report_totals_zero(void)
{
	json_t *t = json_object();
	const char *keys[] = {
	    "exits",	  "userspace_exits", "mmio",	   "pio", "msr",
	    "x2apic_eoi", "ioapic_set_irq",  "ioapic_eoi", "msi", "apic_accept_irq",
	    "eoi",	  "set_irq",	     "ipis"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		json_object_set_new(t, keys[i], json_integer(0));
	return t;
}

void report_total_add(json_t *t, const struct irqt_key *k, uint64_t v, uint64_t *hw,
		      uint64_t *derived)
{
	const char *key = NULL;
	switch (k->event) {
	case IRQT_EV_USERSPACE_EXIT:
		key = k->detail < ERRNO_BASE ? "userspace_exits" : NULL;
		break;
	case IRQT_EV_MMIO: /* an unsatisfied read completes later as a read */
		key = k->sub ? "mmio" : NULL;
		break;
	case IRQT_EV_PIO:
		key = "pio";
		break;
	case IRQT_EV_MSR:
		key = "msr";
		if (k->detail == X2APIC_EOI_MSR && k->sub)
			add_u64(t, "x2apic_eoi", v);
		break;
	case IRQT_EV_MSI:
		key = "msi";
		break;
	case IRQT_EV_IOAPIC_SET_IRQ:
		key = "ioapic_set_irq";
		break;
	case IRQT_EV_ACK_IRQ:
		key = k->sub == IRQCHIP_IOAPIC ? "ioapic_eoi" : NULL;
		break;
	case IRQT_EV_EOI:
		key = "eoi";
		break;
	case IRQT_EV_APIC_ACCEPT:
		key = "apic_accept_irq";
		break;
	case IRQT_EV_SET_IRQ:
		key = "set_irq";
		break;
	case IRQT_EV_APIC_IPI:
		key = "ipis";
		break;
	case IRQT_EV_EXIT:
		*hw += v;
		break;
	default:
		break;
	}
	if (key)
		add_u64(t, key, v);
	if (key && (k->event == IRQT_EV_MMIO || k->event == IRQT_EV_PIO || k->event == IRQT_EV_MSR))
		*derived += v;
}

json_t *report_totals(const struct counts *c, const struct report_ctx *rc, uint32_t pid, int by_tid,
		      uint32_t tid)
{
	json_t *t = report_totals_zero();
	uint64_t hw_exits = 0, derived = 0;
	counts_for_each(c, e)
	{
		if (key_selected(&e->key, rc, pid, by_tid, tid))
			report_total_add(t, &e->key, e->value, &hw_exits, &derived);
	}
	json_object_set_new(t, "exits", json_integer((json_int_t)(hw_exits ? hw_exits : derived)));
	return t;
}

int report_pids(const struct counts *c, uint32_t *pids, int max)
{
	int n = 0;
	counts_for_each(c, e)
	{
		int seen = 0;
		for (int i = 0; i < n; i++)
			seen |= pids[i] == e->key.pid;
		if (!seen && n < max)
			pids[n++] = e->key.pid;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
			uint32_t x = pids[j];
			pids[j] = pids[j - 1];
			pids[j - 1] = x;
		}
	return n;
}

/* exits_by_reason (kernel names with kvm_exit, else MMIO/IO/MSR) of the
 * set, or of one row's threads; with kvm_exit and the flags, the latency
 * histograms per reason and "all", and the exits not followed by
 * kvm_entry. */
void report_fold_exits(json_t *out, const struct dec_set *s, const struct vcpu_sel *sel, int flags)
{
	json_t *by_reason = json_object(), *lat = json_object(), *open = json_object();
	char bucket[24];
	for (size_t i = 0; i < s->n; i++) {
		const struct dec_item *it = &s->v[i];
		if (sel && !report_thread_in(sel, it->k))
			continue;
		if (s->have_hw && it->k->event == IRQT_EV_EXIT)
			add_u64(by_reason, it->d.name, it->v);
		else if (!s->have_hw && it->d.derived)
			add_u64(by_reason, it->d.derived, it->v);
		else if (it->k->event == IRQT_EV_EXIT_LAT_LOG2) {
			snprintf(bucket, sizeof bucket, "%llu", (unsigned long long)it->k->detail);
			add_u64(sub_obj(lat, it->d.name), bucket, it->v);
			add_u64(sub_obj(lat, "all"), bucket, it->v);
		} else if (it->k->event == IRQT_EV_EXIT_OPEN)
			add_u64(open, it->d.name, it->v);
	}
	json_object_set_new(out, "exits_by_reason", by_reason);
	if (s->have_hw && (flags & FOLD_LATENCY))
		json_object_set_new(out, "exit_latency_log2_ns", lat);
	else
		json_decref(lat);
	if (s->have_hw && (flags & FOLD_OPEN))
		json_object_set_new(out, "exits_without_entry", open);
	else
		json_decref(open);
}

json_t *report_exits(const struct counts *c, const struct report_ctx *rc, uint32_t pid)
{
	struct dec_set s;
	json_t *o = json_object();
	if (dec_set_build(&s, c, rc, pid))
		return o;
	json_object_set_new(o, "exit_source", json_string(s.have_hw ? "kvm_exit" : "derived"));
	report_fold_exits(o, &s, NULL, FOLD_LATENCY); /* open exits are state, not an interval's */
	free(s.v);
	return o;
}

/* The snapshot's objects for device and interrupt events. */
struct parts {
	const struct layout *layout;
	json_t *us_by_reason, *regs, *notifies, *ioapic, *msi, *eoi, *accept, *gsi, *pio, *msr,
	    *emulated, *ctxs;
};

/* An MSI vector's queues (its name split at '+') and its count per
 * destination vCPU. */
static void msi_queues_vcpus(json_t *m, const struct layout *l, const char *queue, uint64_t dest,
			     uint64_t v)
{
	char buf[LAYOUT_JOINED], name[16];
	if (queue[0] && !json_object_get(m, "queues")) {
		json_t *a = json_array();
		snprintf(buf, sizeof buf, "%s", queue);
		for (char *save = NULL, *q = strtok_r(buf, "+", &save); q;
		     q = strtok_r(NULL, "+", &save))
			json_array_append_new(a, json_string(q));
		json_object_set_new(m, "queues", a);
	}
	snprintf(name, sizeof name, "%d", layout_apic_vcpu(l, (uint32_t)dest));
	add_u64(sub_obj(m, "by_vcpu"), name, v);
}

static void fold_event(struct parts *p, const struct dec_item *it)
{
	const struct irqt_key *k = it->k;
	const struct decoded *d = &it->d;
	uint64_t v = it->v;
	add_u64(p->ctxs, k->ctx == IRQT_CTX_KWORKER ? "kworker" : "thread", v);
	switch (k->event) {
	case IRQT_EV_USERSPACE_EXIT:
		add_u64(p->us_by_reason, d->name, v);
		break;
	case IRQT_EV_MMIO:
		if (d->queue[0])
			add_u64(p->notifies, d->queue, v);
		if (d->is_register)
			add_u64(sub_obj(p->regs, d->name), k->sub == 2 ? "writes" : "reads", v);
		break;
	case IRQT_EV_PIO:
		add_u64(sub_obj(p->pio, d->name), k->sub ? "writes" : "reads", v);
		break;
	case IRQT_EV_MSR:
		add_u64(sub_obj(p->msr, d->name), k->sub ? "writes" : "reads", v);
		break;
	case IRQT_EV_MSI: {
		json_t *m = sub_obj(p->msi, d->name);
		add_u64(m, "count", v);
		if (k->ctx == IRQT_CTX_KWORKER)
			add_u64(m, "from_kworker", v);
		json_object_set_new(m, "queue", d->queue[0] ? json_string(d->queue) : json_null());
		msi_queues_vcpus(m, p->layout, d->queue, k->extra, v);
		break;
	}
	case IRQT_EV_IOAPIC_SET_IRQ:
		add_u64(sub_obj(p->ioapic, d->name), "set_irq", v);
		if (k->sub)
			add_u64(sub_obj(p->ioapic, d->name), "coalesced", v);
		break;
	case IRQT_EV_ACK_IRQ:
		if (k->sub == IRQCHIP_IOAPIC)
			add_u64(sub_obj(p->ioapic, d->name), "eoi", v);
		break;
	case IRQT_EV_EOI:
		add_u64(p->eoi, d->name, v);
		break;
	case IRQT_EV_APIC_ACCEPT:
		add_u64(p->accept, d->name, v);
		break;
	case IRQT_EV_SET_IRQ:
		add_u64(sub_obj(p->gsi, d->name), k->sub ? "raise" : "lower", v);
		break;
	case IRQT_EV_EMULATE_INSN:
		add_u64(sub_obj(p->emulated, "counts"), d->name, v);
		break;
	default:
		break;
	}
}

/* Every known pin appears with set_irq and eoi, even at 0. */
static void fill_ioapic(json_t *ioapic, const struct layout *l)
{
	char name[16];
	json_t *v;
	const char *key;
	if (l && l->have && l->ioapic_pin >= 0) {
		snprintf(name, sizeof name, "%d", l->ioapic_pin);
		sub_obj(ioapic, name);
	}
	json_object_foreach(ioapic, key, v)
	{
		if (!json_object_get(v, "set_irq"))
			json_object_set_new(v, "set_irq", json_integer(0));
		if (!json_object_get(v, "eoi"))
			json_object_set_new(v, "eoi", json_integer(0));
	}
}

static void snapshot_meta(json_t *o, const struct report_ctx *rc, uint32_t pid, int have_hw)
{
	const struct tracer *tr = rc->tracer;
	const struct exit_names *x = rc->names;
	json_object_set_new(o, "schema", json_string("irqpath-trace/1"));
	json_object_set_new(o, "backend", json_string(tr->backend));
	json_object_set_new(o, "exit_source", json_string(have_hw ? "kvm_exit" : "derived"));
	json_object_set_new(
	    o, "exit_source_detail",
	    json_string(have_hw
			    ? "kvm:kvm_exit tracepoint; latency kvm_exit -> kvm_entry per thread"
			    : "derived: kvm_mmio (reads+writes) + kvm_pio + kvm_msr; "
			      "userspace exits from kvm_userspace_exit"));
	json_t *names = json_object();
	json_object_set_new(names, "source",
			    x && x->source[0] ? json_string(x->source) : json_null());
	json_object_set_new(names, "isa",
			    have_hw && x && x->isa[0] ? json_string(x->isa) : json_null());
	json_object_set_new(o, "exit_reason_names", names);
	json_t *miss = json_array();
	for (int i = 0; i < tr->nmissing; i++)
		json_array_append_new(miss, json_string(tr->missing[i]));
	json_object_set_new(o, "missing_tracepoints", miss);
	json_object_set_new(o, "lost_events", json_integer((json_int_t)tr->lost));
	json_object_set_new(o, "duration_s", json_real(rc->duration_s));
	json_object_set_new(o, "pid", pid ? json_integer(pid) : json_null());
	if (rc->vcpu_filter >= 0)
		json_object_set_new(o, "vcpu", json_integer(rc->vcpu_filter));
	json_object_set_new(o, "layout",
			    rc->layout && rc->layout->have ? json_string(rc->layout->profile)
							   : json_null());
}

json_t *report_snapshot(const struct counts *c, const struct report_ctx *rc, uint32_t pid)
{
	struct dec_set s;
	if (dec_set_build(&s, c, rc, pid))
		return NULL;
	json_t *o = json_object();
	snapshot_meta(o, rc, pid, s.have_hw);
	json_object_set_new(o, "totals", report_totals(c, rc, pid, 0, 0));
	report_fold_exits(o, &s, NULL, FOLD_LATENCY | FOLD_OPEN);

	struct parts p = {.layout = rc->layout,
			  .us_by_reason = json_object(),
			  .regs = json_object(),
			  .notifies = json_object(),
			  .ioapic = json_object(),
			  .msi = json_object(),
			  .eoi = json_object(),
			  .accept = json_object(),
			  .gsi = json_object(),
			  .pio = json_object(),
			  .msr = json_object(),
			  .emulated = json_object(),
			  .ctxs = json_object()};
	json_object_set_new(p.ctxs, "thread", json_integer(0));
	json_object_set_new(p.ctxs, "kworker", json_integer(0));
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].k->event != IRQT_EV_EXIT_OPEN) /* state, not an event */
			fold_event(&p, &s.v[i]);
	fill_ioapic(p.ioapic, rc->layout);

	json_object_set_new(o, "userspace_exits_by_reason", p.us_by_reason);
	json_object_set_new(o, "mmio_by_register", p.regs);
	json_object_set_new(o, "notifies", p.notifies);
	json_object_set_new(o, "ioapic", p.ioapic);
	json_object_set_new(o, "msi_by_vector", p.msi);
	json_object_set_new(o, "eoi_by_vector", p.eoi);
	json_object_set_new(o, "apic_accept_by_vector", p.accept);
	json_object_set_new(o, "set_irq_by_gsi", p.gsi);
	json_object_set_new(o, "pio_by_port", p.pio);
	json_object_set_new(o, "msr_by_index", p.msr);
	json_t *emu = json_object_get(p.emulated, "counts");
	if (emu)
		json_object_set(o, "emulated_instructions", emu);
	json_decref(p.emulated);
	json_object_set_new(o, "events_by_context", p.ctxs);
	json_object_set_new(o, "per_vcpu", report_per_vcpu(rc, pid, &s));
	json_object_set_new(o, "ipis", report_ipis(rc, pid, &s));
	json_object_set_new(o, "per_queue", report_per_queue(rc, p.notifies, p.msi));
	if (!pid) { /* every VM: their totals side by side */
		json_t *vms = json_object();
		uint32_t pids[256];
		char name[16];
		int n = report_pids(c, pids, 256);
		for (int i = 0; i < n; i++) {
			snprintf(name, sizeof name, "%u", pids[i]);
			json_object_set_new(vms, name, report_totals(c, rc, pids[i], 0, 0));
		}
		json_object_set_new(o, "per_vm", vms);
	}
	free(s.v);
	return o;
}
