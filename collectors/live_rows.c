/* SPDX-License-Identifier: MIT */
/* The live view's rows: classification of each counter key, the merge of
 * the interval's counts with the counts since the start, sort and filter. */
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "report_int.h"
#include "vcpu_attr.h"

#define X2APIC_EOI_MSR 0x80b
#define ERRNO_BASE 0x10000 /* userspace-exit "reasons" from here on are KVM_RUN errnos */

const char *const live_class_names[LIVE_NCLASSES] = {"exits", "registers", "queues", "vectors",
						     "eois",  "other",	   "vcpus"};

static const char *const sort_names[] = {"rate", "total", "name"};

const char *live_sort_name(enum live_sort s)
{
	return sort_names[s];
}

int live_parse_sort(struct live_opts *o, const char *s, char *err, size_t errlen)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, sort_names[i])) {
			o->sort = (enum live_sort)i;
			return 0;
		}
	snprintf(err, errlen, "unknown sort key '%s' (rate, total or name)", s);
	return -1;
}

int live_parse_classes(struct live_opts *o, const char *s, char *err, size_t errlen)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	o->classes = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int i;
		for (i = 0; i < LIVE_NCLASSES && strcmp(tok, live_class_names[i]); i++)
			;
		if (i == LIVE_NCLASSES) {
			snprintf(err, errlen,
				 "unknown event class '%s' (exits, registers, queues, vectors, "
				 "eois, other, vcpus)",
				 tok);
			return -1;
		}
		o->classes |= 1u << i;
	}
	if (!o->classes) {
		snprintf(err, errlen, "--class needs at least one class");
		return -1;
	}
	return 0;
}

int live_parse_filter(struct live_opts *o, const char *s, char *err, size_t errlen)
{
	live_opts_free(o);
	int rc = regcomp(&o->filter, s, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		char msg[128];
		regerror(rc, &o->filter, msg, sizeof msg);
		snprintf(err, errlen, "bad --filter regular expression '%s': %s", s, msg);
		return -1;
	}
	o->have_filter = 1;
	snprintf(o->filter_text, sizeof o->filter_text, "%s", s);
	return 0;
}

void live_opts_free(struct live_opts *o)
{
	if (o->have_filter)
		regfree(&o->filter);
	o->have_filter = 0;
}

void live_rows_free(struct live_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* The class of a key's row; -1: not a row of its own (exit keys come from
 * report_exits; the unsatisfied half of an MMIO read is the same access
 * as the completed read). */
static int classify(const struct irqt_key *k, const struct decoded *d)
{
	switch (k->event) {
	case IRQT_EV_USERSPACE_EXIT:
		return k->detail < ERRNO_BASE ? LIVE_EXITS : LIVE_OTHER;
	case IRQT_EV_MMIO:
		if (k->sub == 0)
			return -1;
		return d->queue[0] || !strncmp(d->label, "notify", 6) ? LIVE_QUEUES
								      : LIVE_REGISTERS;
	case IRQT_EV_MSR:
		return k->detail == X2APIC_EOI_MSR && k->sub ? LIVE_EOIS : LIVE_OTHER;
	case IRQT_EV_MSI:
	case IRQT_EV_APIC_ACCEPT:
	case IRQT_EV_IOAPIC_SET_IRQ:
	case IRQT_EV_SET_IRQ:
	case IRQT_EV_APIC_IPI:
		return LIVE_VECTORS;
	case IRQT_EV_EOI:
	case IRQT_EV_ACK_IRQ:
		return LIVE_EOIS;
	case IRQT_EV_EXIT:
	case IRQT_EV_EXIT_LAT_LOG2:
	case IRQT_EV_EXIT_OPEN:
		return -1;
	default:
		return LIVE_OTHER;
	}
}

static struct live_row *row_get(struct live_rows *r, int cls, const char *label)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].cls == cls && !strcmp(r->v[i].label, label))
			return &r->v[i];
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct live_row *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	struct live_row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	row->cls = cls;
	snprintf(row->label, sizeof row->label, "%s", label);
	return row;
}

static int selected(const struct irqt_key *k, const struct report_ctx *rc, uint32_t pid)
{
	struct attr a[2];
	if (k->pid != pid)
		return 0;
	if (rc->vcpu_filter < 0)
		return 1;
	int n = attr_key(k, rc->tracer, rc->layout, a);
	for (int i = 0; i < n; i++)
		if (a[i].vcpu == rc->vcpu_filter)
			return 1;
	return 0;
}

/* What a key adds to its vCPU's row in the vcpus class, NULL nothing;
 * exits are kvm_exit's where it fires (hw), else the derived ones. */
static const char *vcpu_metric(const struct irqt_key *k, const struct attr *a, int hw)
{
	if (a->metric == ATTR_IPI_SENT)
		return "ipis sent";
	if (a->metric == ATTR_IPI_RECEIVED)
		return "ipis received";
	switch (k->event) {
	case IRQT_EV_MSI:
		return "msi";
	case IRQT_EV_APIC_ACCEPT:
		return "apic accepts";
	case IRQT_EV_EOI:
		return "eoi";
	case IRQT_EV_EXIT:
		return hw ? "exits" : NULL;
	case IRQT_EV_MMIO:
		return !hw && k->sub ? "exits" : NULL;
	case IRQT_EV_PIO:
	case IRQT_EV_MSR:
		return hw ? NULL : "exits";
	default:
		return NULL;
	}
}

/* The vcpus class: per vCPU (the one taking each event, vcpu_attr.c) its
 * exits, MSIs, APIC accepts, EOIs and IPIs; hw: kvm_exit fired for the VM. */
static int add_vcpu_rows(struct live_rows *r, const struct counts *c, const struct report_ctx *rc,
			 uint32_t pid, int since_start, int hw)
{
	char who[48], label[96];
	counts_for_each(c, e)
	{
		struct attr a[2];
		if (!selected(&e->key, rc, pid))
			continue;
		int n = attr_key(&e->key, rc->tracer, rc->layout, a);
		for (int i = 0; i < n; i++) {
			const char *m = vcpu_metric(&e->key, &a[i], hw);
			if (!m || a[i].vcpu < -1 ||
			    (rc->vcpu_filter >= 0 && a[i].vcpu != rc->vcpu_filter))
				continue;
			report_vcpu_name(who, sizeof who, 1, pid, a[i].vcpu, a[i].tid);
			snprintf(label, sizeof label, "vcpu %s %s", who, m);
			struct live_row *row = row_get(r, LIVE_VCPUS, label);
			if (!row)
				return -1;
			*(since_start ? &row->total : &row->n) += e->value;
		}
	}
	return 0;
}

static int vm_has_hw_exits(const struct counts *c, uint32_t pid)
{
	counts_for_each(c, e) if (e->key.pid == pid && e->key.event == IRQT_EV_EXIT) return 1;
	return 0;
}

/* Device and interrupt rows of one counter table; into `total` when
 * since_start, else into `n`. */
static int add_events(struct live_rows *r, const struct counts *c, const struct report_ctx *rc,
		      uint32_t pid, int since_start)
{
	struct decode_ctx dc = {.layout = rc->layout, .names = rc->names};
	struct decoded d;
	counts_for_each(c, e)
	{
		if (!selected(&e->key, rc, pid))
			continue;
		decode_key(&e->key, &dc, &d);
		int cls = classify(&e->key, &d);
		if (cls < 0)
			continue;
		struct live_row *row = row_get(r, cls, d.label);
		if (!row)
			return -1;
		*(since_start ? &row->total : &row->n) += e->value;
		if (e->key.event == IRQT_EV_MSI && d.queue[0]) {
			/* the per-queue table: a shared vector's MSIs under all its queues */
			char label[sizeof d.queue + 16];
			snprintf(label, sizeof label, "msi %s%s", d.queue,
				 strchr(d.queue, '+') ? " (shared)" : "");
			if (!(row = row_get(r, LIVE_QUEUES, label)))
				return -1;
			*(since_start ? &row->total : &row->n) += e->value;
		}
	}
	return 0;
}

/* Exit rows (the total, then by reason) from report_exits' breakdown. */
static int add_exits(struct live_rows *r, const struct counts *c, const struct report_ctx *rc,
		     uint32_t pid, int since_start)
{
	json_t *ex = report_exits(c, rc, pid), *v;
	const char *reason;
	char label[160];
	struct live_row *all = row_get(r, LIVE_EXITS, "exits (all)");
	if (!ex || !all) {
		json_decref(ex);
		return -1;
	}
	all->is_total = 1;
	json_object_foreach(json_object_get(ex, "exits_by_reason"), reason, v)
	{
		uint64_t n = (uint64_t)json_integer_value(v);
		snprintf(label, sizeof label, "exit %s", reason);
		struct live_row *row = row_get(r, LIVE_EXITS, label);
		if (!row) {
			json_decref(ex);
			return -1;
		}
		snprintf(row->reason, sizeof row->reason, "%s", reason);
		*(since_start ? &row->total : &row->n) += n;
		*(since_start ? &all->total : &all->n) += n;
	}
	json_decref(ex);
	return 0;
}

static enum live_sort sort_key;

static int row_cmp(const void *a, const void *b)
{
	const struct live_row *x = a, *y = b;
	if (x->cls != y->cls)
		return x->cls - y->cls;
	if (x->is_total != y->is_total)
		return y->is_total - x->is_total;
	/* userspace exits after the exits by reason */
	int ux = !strncmp(x->label, "userspace-exit", 14);
	int uy = !strncmp(y->label, "userspace-exit", 14);
	if (ux != uy)
		return ux - uy;
	uint64_t kx = sort_key == LIVE_SORT_TOTAL ? x->total : x->n;
	uint64_t ky = sort_key == LIVE_SORT_TOTAL ? y->total : y->n;
	if (sort_key != LIVE_SORT_NAME && kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->label, y->label);
}

static int keep(const struct live_row *row, const struct live_opts *o)
{
	if (o->classes && !(o->classes & (1u << row->cls)))
		return 0;
	return !o->have_filter || regexec(&o->filter, row->label, 0, NULL, 0) == 0;
}

int live_rows_build(struct live_rows *out, const struct counts *delta, const struct counts *cur,
		    const struct report_ctx *rc, uint32_t pid, const struct live_opts *o)
{
	struct live_rows all = {0};
	memset(out, 0, sizeof *out);
	int hw = vm_has_hw_exits(cur, pid);
	if (add_exits(&all, cur, rc, pid, 1) || add_exits(&all, delta, rc, pid, 0) ||
	    add_events(&all, cur, rc, pid, 1) || add_events(&all, delta, rc, pid, 0) ||
	    add_vcpu_rows(&all, cur, rc, pid, 1, hw) ||
	    add_vcpu_rows(&all, delta, rc, pid, 0, hw)) {
		live_rows_free(&all);
		return -1;
	}
	sort_key = o->sort;
	qsort(all.v, all.n, sizeof *all.v, row_cmp);
	int in_class = 0, cls = -1;
	for (size_t i = 0; i < all.n; i++) {
		struct live_row *row = &all.v[i];
		if (!keep(row, o))
			continue;
		if (row->cls != cls) {
			cls = row->cls;
			in_class = 0;
		}
		if (!row->is_total && o->top > 0 && in_class++ >= o->top)
			continue;
		all.v[out->n++] = *row; /* compacts in place: out->n <= i */
	}
	out->v = all.v;
	out->cap = all.cap;
	if (!out->n) {
		free(all.v);
		memset(out, 0, sizeof *out);
	}
	return 0;
}
