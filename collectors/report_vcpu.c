/* SPDX-License-Identifier: MIT */
/* The snapshot's per-vCPU rows, IPIs and per-queue table. Each event is
 * credited to the vCPU that takes it (vcpu_attr.c): an MSI to its
 * destination, not to the thread that injected it. */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "vcpu_attr.h"

struct vrow {
	struct vcpu_sel sel;
	uint32_t thread; /* a thread of this vCPU (its "tid"), 0 none seen */
	json_t *tot;
	uint64_t hw, derived;
};

struct vrows {
	struct vrow v[TRACER_MAX_VCPUS];
	int n;
};

void report_vcpu_name(char *buf, size_t len, uint32_t snap_pid, uint32_t pid, int vcpu,
		      uint32_t tid)
{
	char one[32];
	if (vcpu >= 0)
		snprintf(one, sizeof one, "%d", vcpu);
	else if (vcpu == ATTR_ALL)
		snprintf(one, sizeof one, "all");
	else if (vcpu == ATTR_UNKNOWN)
		snprintf(one, sizeof one, "?");
	else
		snprintf(one, sizeof one, "tid-%u", tid);
	if (snap_pid)
		snprintf(buf, len, "%s", one);
	else
		snprintf(buf, len, "%u/%s", pid, one);
}

static struct vrow *vrow_get(struct vrows *r, const struct report_ctx *rc, uint32_t pid,
			     const struct attr *a, int create)
{
	if (a->vcpu < -1)
		return NULL; /* a broadcast or logical destination: no single vCPU */
	for (int i = 0; i < r->n; i++)
		if (r->v[i].sel.pid == pid && r->v[i].sel.vcpu == a->vcpu &&
		    (a->vcpu >= 0 || r->v[i].sel.tid == a->tid))
			return &r->v[i];
	if (!create || r->n == TRACER_MAX_VCPUS)
		return NULL;
	struct vrow *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	row->sel = (struct vcpu_sel){.rc = rc, .pid = pid, .vcpu = a->vcpu, .tid = a->tid};
	row->tot = report_totals_zero();
	json_object_set_new(row->tot, "ipis_sent", json_integer(0));
	json_object_set_new(row->tot, "ipis_received", json_integer(0));
	json_object_set_new(row->tot, "apic_accept_by_vector", json_object());
	return row;
}

static int exit_like(const struct irqt_key *k)
{
	return k->event == IRQT_EV_MMIO || k->event == IRQT_EV_PIO || k->event == IRQT_EV_MSR ||
	       k->event == IRQT_EV_USERSPACE_EXIT || k->event == IRQT_EV_EXIT;
}

static void vrow_add(struct vrow *row, const struct dec_item *it, const struct attr *a)
{
	const struct irqt_key *k = it->k;
	if (a->metric == ATTR_IPI_SENT || a->metric == ATTR_IPI_RECEIVED) {
		report_add_u64(row->tot, a->metric == ATTR_IPI_SENT ? "ipis_sent" : "ipis_received",
			       it->v);
		return;
	}
	report_total_add(row->tot, k, it->v, &row->hw, &row->derived);
	if (k->event == IRQT_EV_APIC_ACCEPT)
		report_add_u64(json_object_get(row->tot, "apic_accept_by_vector"), it->d.name,
			       it->v);
	if (a->metric == ATTR_THREAD && !row->thread)
		row->thread = k->tid;
}

/* Rows: every vCPU the layout lists for this VM, every vCPU an event is
 * credited to, and threads no map names that exit (as "tid-N"). */
static void vrows_build(struct vrows *r, const struct report_ctx *rc, uint32_t pid,
			const struct dec_set *s)
{
	const struct layout *l = rc->layout;
	for (int i = 0; l && l->have && l->pid && i < l->nvcpus; i++) {
		struct attr a = {.vcpu = l->vcpus[i].index};
		if ((!pid || (uint32_t)l->pid == pid) &&
		    (rc->vcpu_filter < 0 || rc->vcpu_filter == a.vcpu))
			vrow_get(r, rc, (uint32_t)l->pid, &a, 1);
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->n; i++) {
			struct attr a[2];
			int n = attr_key(s->v[i].k, rc->tracer, l, a);
			for (int j = 0; j < n; j++) {
				int create = a[j].vcpu >= 0 ||
					     (a[j].metric == ATTR_THREAD && exit_like(s->v[i].k));
				if (rc->vcpu_filter >= 0 && a[j].vcpu != rc->vcpu_filter)
					continue;
				struct vrow *row =
				    vrow_get(r, rc, s->v[i].k->pid, &a[j], !pass && create);
				if (row && pass)
					vrow_add(row, &s->v[i], &a[j]);
			}
		}
}

json_t *report_per_vcpu(const struct report_ctx *rc, uint32_t pid, const struct dec_set *s)
{
	json_t *vcpus = json_object();
	struct vrows *r = calloc(1, sizeof *r);
	char name[48];
	if (!r)
		return vcpus;
	vrows_build(r, rc, pid, s);
	for (int i = 0; i < r->n; i++) {
		struct vrow *row = &r->v[i];
		uint32_t tid = row->sel.vcpu < 0 ? row->sel.tid : row->thread;
		json_object_set_new(
		    row->tot, "exits",
		    json_integer((json_int_t)(s->have_hw ? row->hw : row->derived)));
		json_object_set_new(row->tot, "tid", tid ? json_integer(tid) : json_null());
		report_fold_exits(row->tot, s, &row->sel, 0);
		report_vcpu_name(name, sizeof name, pid, row->sel.pid, row->sel.vcpu, row->sel.tid);
		json_object_set_new(vcpus, name, row->tot);
	}
	free(r);
	return vcpus;
}

json_t *report_ipis(const struct report_ctx *rc, uint32_t pid, const struct dec_set *s)
{
	json_t *o = json_object(), *pairs = json_object();
	uint64_t total = 0;
	char from[48], to[48], pair[100];
	for (size_t i = 0; i < s->n; i++) {
		const struct irqt_key *k = s->v[i].k;
		struct attr a[2];
		if (k->event != IRQT_EV_APIC_IPI)
			continue;
		int n = attr_key(k, rc->tracer, rc->layout, a);
		const struct attr *snd = n == 2 ? &a[0] : NULL, *rcv = &a[n - 1];
		if (snd)
			report_vcpu_name(from, sizeof from, pid, k->pid, snd->vcpu, snd->tid);
		else
			report_vcpu_name(from, sizeof from, pid, k->pid, ATTR_UNKNOWN, 0);
		report_vcpu_name(to, sizeof to, 1, k->pid, rcv->vcpu, rcv->tid);
		snprintf(pair, sizeof pair, "%s->%s", from, to);
		report_add_u64(pairs, pair, s->v[i].v);
		total += s->v[i].v;
	}
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	json_object_set_new(o, "by_pair", pairs);
	return o;
}

/* One queue of the layout's plan: its notifies, owner, and the MSIs of
 * the entry carrying it (a shared entry's count is the joined name's). */
static json_t *queue_row(const struct layout *l, int i, json_t *notifies, json_t *msi_by_vector)
{
	json_t *q = json_object();
	char vec[16];
	json_object_set_new(
	    q, "notifies",
	    json_integer(json_integer_value(json_object_get(notifies, l->queues[i].name))));
	if (l->queues[i].owner_vcpu >= 0)
		json_object_set_new(q, "owner_vcpu", json_integer(l->queues[i].owner_vcpu));
	if (l->queues[i].vector < 0 || !l->queues[i].msi)
		return q;
	uint32_t v = (uint32_t)l->queues[i].vector;
	snprintf(vec, sizeof vec, "%u", v);
	json_object_set_new(q, "vector", json_integer(v));
	json_t *count = json_object_get(json_object_get(msi_by_vector, vec), "count");
	if (layout_vector_nqueues(l, v) > 1)
		json_object_set_new(q, "msi_shared", json_string(layout_vector_queue(l, v)));
	else
		json_object_set_new(q, "msi", json_integer(json_integer_value(count)));
	return q;
}

json_t *report_per_queue(const struct report_ctx *rc, json_t *notifies, json_t *msi_by_vector)
{
	json_t *o = json_object(), *v;
	const struct layout *l = rc->layout;
	const char *name;
	for (int i = 0; l && l->have && i < l->nqueues; i++)
		json_object_set_new(o, l->queues[i].name, queue_row(l, i, notifies, msi_by_vector));
	json_object_foreach(notifies, name, v) /* queues only the doorbells name */
	    if (!json_object_get(o, name))
		json_object_set_new(o, name, json_pack("{s:O}", "notifies", v));
	return o;
}
