/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *const kvm_exit_names[] = {
    [0] = "UNKNOWN",	   [1] = "EXCEPTION",	[2] = "IO",	    [3] = "HYPERCALL",
    [4] = "DEBUG",	   [5] = "HLT",		[6] = "MMIO",	    [7] = "IRQ_WINDOW_OPEN",
    [8] = "SHUTDOWN",	   [9] = "FAIL_ENTRY",	[10] = "INTR",	    [17] = "INTERNAL_ERROR",
    [24] = "SYSTEM_EVENT", [26] = "IOAPIC_EOI", [29] = "X86_RDMSR", [30] = "X86_WRMSR",
};

const char *report_userspace_exit_name(uint64_t reason, char *buf, size_t len)
{
	if (reason >= 0x10000) {
		snprintf(buf, len, "ERRNO_%llu", (unsigned long long)(reason - 0x10000));
		return buf;
	}
	if (reason < sizeof kvm_exit_names / sizeof *kvm_exit_names && kvm_exit_names[reason])
		return kvm_exit_names[reason];
	snprintf(buf, len, "REASON_%llu", (unsigned long long)reason);
	return buf;
}

/* VMX basic exit reasons (isa 1) and a few SVM codes (isa 2) */
static const char *hw_exit_name(unsigned isa, uint64_t r, char *buf, size_t len)
{
	static const struct {
		unsigned code;
		const char *n;
	} vmx[] = {{0, "EXCEPTION_NMI"},
		   {1, "EXTERNAL_INTERRUPT"},
		   {7, "INTERRUPT_WINDOW"},
		   {10, "CPUID"},
		   {12, "HLT"},
		   {28, "CR_ACCESS"},
		   {30, "IO_INSTRUCTION"},
		   {31, "MSR_READ"},
		   {32, "MSR_WRITE"},
		   {40, "PAUSE_INSTRUCTION"},
		   {44, "APIC_ACCESS"},
		   {45, "EOI_INDUCED"},
		   {48, "EPT_VIOLATION"},
		   {49, "EPT_MISCONFIG"},
		   {52, "PREEMPTION_TIMER"},
		   {56, "APIC_WRITE"}},
	  svm[] = {{0x060, "interrupt"}, {0x064, "vintr"},
		   {0x072, "cpuid"},	 {0x078, "hlt"},
		   {0x07b, "io"},	 {0x07c, "msr"},
		   {0x400, "npf"},	 {0x402, "avic_unaccelerated_access"}};
	if (isa == 1) {
		for (size_t i = 0; i < sizeof vmx / sizeof *vmx; i++)
			if (vmx[i].code == (r & 0xffff))
				return vmx[i].n;
	} else {
		for (size_t i = 0; i < sizeof svm / sizeof *svm; i++)
			if (svm[i].code == r)
				return svm[i].n;
	}
	snprintf(buf, len, "reason_%llu", (unsigned long long)r);
	return buf;
}

static void add_u64(json_t *obj, const char *key, uint64_t n)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key,
			    json_integer((json_int_t)(json_integer_value(v) + (json_int_t)n)));
}

static json_t *sub_obj(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		v = json_object();
		json_object_set_new(obj, key, v);
	}
	return v;
}

static int key_selected(const struct irqt_key *k, const struct report_ctx *rc, uint32_t pid,
			int by_tid, uint32_t tid)
{
	if (pid && k->pid != pid)
		return 0;
	if (by_tid && (k->ctx != IRQT_CTX_THREAD || k->tid != tid))
		return 0;
	if (rc->vcpu_filter >= 0 &&
	    (k->ctx != IRQT_CTX_THREAD || tracer_vcpu_of(rc->tracer, k->tid) != rc->vcpu_filter))
		return 0;
	return 1;
}

static int is_doorbell(const struct report_ctx *rc, uint64_t gpa)
{
	return rc->layout && layout_doorbell(rc->layout, gpa) != NULL;
}

json_t *report_totals(const struct counts *c, const struct report_ctx *rc, uint32_t pid, int by_tid,
		      uint32_t tid)
{
	json_t *t = json_object();
	const char *keys[] = {
	    "exits",	  "userspace_exits", "mmio",	   "pio", "msr",
	    "x2apic_eoi", "ioapic_set_irq",  "ioapic_eoi", "msi", "apic_accept_irq",
	    "eoi",	  "set_irq"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		json_object_set_new(t, keys[i], json_integer(0));
	uint64_t hw_exits = 0, derived = 0;
	counts_for_each(c, e)
	{
		const struct irqt_key *k = &e->key;
		if (!key_selected(k, rc, pid, by_tid, tid))
			continue;
		switch (k->event) {
		case IRQT_EV_USERSPACE_EXIT:
			if (k->detail < 0x10000)
				add_u64(t, "userspace_exits", e->value);
			break;
		case IRQT_EV_MMIO:
			if (k->sub != 0) { /* an unsatisfied read completes later as a read */
				add_u64(t, "mmio", e->value);
				derived += e->value;
			}
			break;
		case IRQT_EV_PIO:
			add_u64(t, "pio", e->value);
			derived += e->value;
			break;
		case IRQT_EV_MSR:
			add_u64(t, "msr", e->value);
			derived += e->value;
			if (k->detail == 0x80b && k->sub)
				add_u64(t, "x2apic_eoi", e->value);
			break;
		case IRQT_EV_MSI:
			add_u64(t, "msi", e->value);
			break;
		case IRQT_EV_IOAPIC_SET_IRQ:
			add_u64(t, "ioapic_set_irq", e->value);
			break;
		case IRQT_EV_ACK_IRQ:
			if (k->sub == 2) /* KVM_IRQCHIP_IOAPIC */
				add_u64(t, "ioapic_eoi", e->value);
			break;
		case IRQT_EV_EOI:
			add_u64(t, "eoi", e->value);
			break;
		case IRQT_EV_APIC_ACCEPT:
			add_u64(t, "apic_accept_irq", e->value);
			break;
		case IRQT_EV_SET_IRQ:
			add_u64(t, "set_irq", e->value);
			break;
		case IRQT_EV_EXIT:
			hw_exits += e->value;
			break;
		default:
			break;
		}
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

static uint64_t hw_exit_count(const struct counts *c, uint32_t pid)
{
	uint64_t n = 0;
	counts_for_each(c, e) if (e->key.event == IRQT_EV_EXIT && (!pid || e->key.pid == pid)) n +=
	    e->value;
	return n;
}

json_t *report_snapshot(const struct counts *c, const struct report_ctx *rc, uint32_t pid)
{
	const struct tracer *tr = rc->tracer;
	const struct layout *l = rc->layout;
	json_t *o = json_object();
	char buf[64], name[64];
	int have_hw = hw_exit_count(c, pid) > 0;

	json_object_set_new(o, "schema", json_string("irqpath-trace/1"));
	json_object_set_new(o, "backend", json_string(tr->backend));
	json_object_set_new(o, "exit_source", json_string(have_hw ? "kvm_exit" : "derived"));
	json_object_set_new(
	    o, "exit_source_detail",
	    json_string(have_hw ? "kvm:kvm_exit tracepoint"
				: "derived: kvm_mmio (reads+writes) + kvm_pio + kvm_msr; "
				  "userspace exits from kvm_userspace_exit"));
	json_t *miss = json_array();
	for (int i = 0; i < tr->nmissing; i++)
		json_array_append_new(miss, json_string(tr->missing[i]));
	json_object_set_new(o, "missing_tracepoints", miss);
	json_object_set_new(o, "lost_events", json_integer((json_int_t)tr->lost));
	json_object_set_new(o, "duration_s", json_real(rc->duration_s));
	json_object_set_new(o, "pid", pid ? json_integer(pid) : json_null());
	if (rc->vcpu_filter >= 0)
		json_object_set_new(o, "vcpu", json_integer(rc->vcpu_filter));
	json_object_set_new(o, "layout", l && l->have ? json_string(l->profile) : json_null());
	json_object_set_new(o, "totals", report_totals(c, rc, pid, 0, 0));

	json_t *by_reason = json_object(), *us_by_reason = json_object(), *regs = json_object(),
	       *notifies = json_object(), *ioapic = json_object(), *msi = json_object(),
	       *eoi = json_object(), *accept = json_object(), *gsi = json_object(),
	       *pio = json_object(), *msr = json_object(), *lat = json_object(),
	       *ctxs = json_object(), *vcpus = json_object();
	json_object_set_new(ctxs, "thread", json_integer(0));
	json_object_set_new(ctxs, "kworker", json_integer(0));
	uint32_t tids[TRACER_MAX_VCPUS];
	int ntids = 0;

	counts_for_each(c, e)
	{
		const struct irqt_key *k = &e->key;
		if (!key_selected(k, rc, pid, 0, 0))
			continue;
		add_u64(ctxs, k->ctx == IRQT_CTX_KWORKER ? "kworker" : "thread", e->value);
		if (k->ctx == IRQT_CTX_THREAD &&
		    (k->event == IRQT_EV_MMIO || k->event == IRQT_EV_PIO ||
		     k->event == IRQT_EV_MSR || k->event == IRQT_EV_USERSPACE_EXIT ||
		     k->event == IRQT_EV_EXIT)) {
			int seen = 0;
			for (int i = 0; i < ntids; i++)
				seen |= tids[i] == k->tid;
			if (!seen && ntids < TRACER_MAX_VCPUS)
				tids[ntids++] = k->tid;
		}
		switch (k->event) {
		case IRQT_EV_USERSPACE_EXIT:
			add_u64(us_by_reason,
				report_userspace_exit_name(k->detail, buf, sizeof buf), e->value);
			break;
		case IRQT_EV_MMIO: {
			if (k->sub == 0)
				break;
			if (!have_hw)
				add_u64(by_reason, "MMIO", e->value);
			int is_qn = l && layout_notify_by_value(l, k->detail);
			const char *q = l && !is_qn ? layout_doorbell(l, k->detail) : NULL;
			if (q && k->sub == 2) {
				add_u64(notifies, q, e->value);
				break;
			}
			/* QueueNotify: the written value is the queue index */
			if (is_qn && k->sub == 2)
				add_u64(notifies,
					layout_value_queue(l, k->detail, (unsigned)k->extra, buf,
							   sizeof buf),
					e->value);
			const char *reg = l ? layout_register(l, k->detail, buf, sizeof buf) : NULL;
			if (!reg) {
				snprintf(name, sizeof name, "0x%llx",
					 (unsigned long long)k->detail);
				reg = name;
			}
			if (is_qn || !is_doorbell(rc, k->detail))
				add_u64(sub_obj(regs, reg), k->sub == 2 ? "writes" : "reads",
					e->value);
			break;
		}
		case IRQT_EV_PIO:
			if (!have_hw)
				add_u64(by_reason, "IO", e->value);
			snprintf(name, sizeof name, "0x%llx", (unsigned long long)k->detail);
			add_u64(sub_obj(pio, name), k->sub ? "writes" : "reads", e->value);
			break;
		case IRQT_EV_MSR:
			if (!have_hw)
				add_u64(by_reason, "MSR", e->value);
			snprintf(name, sizeof name, "0x%llx", (unsigned long long)k->detail);
			add_u64(sub_obj(msr, name), k->sub ? "writes" : "reads", e->value);
			break;
		case IRQT_EV_MSI: {
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			json_t *v = sub_obj(msi, name);
			add_u64(v, "count", e->value);
			if (k->ctx == IRQT_CTX_KWORKER)
				add_u64(v, "from_kworker", e->value);
			const char *q = l ? layout_vector_queue(l, (uint32_t)k->detail) : NULL;
			json_object_set_new(v, "queue", q ? json_string(q) : json_null());
			break;
		}
		case IRQT_EV_IOAPIC_SET_IRQ:
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			add_u64(sub_obj(ioapic, name), "set_irq", e->value);
			if (k->sub)
				add_u64(sub_obj(ioapic, name), "coalesced", e->value);
			break;
		case IRQT_EV_ACK_IRQ:
			if (k->sub != 2)
				break;
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			add_u64(sub_obj(ioapic, name), "eoi", e->value);
			break;
		case IRQT_EV_EOI:
			snprintf(name, sizeof name, "%d", (int)(int32_t)k->detail);
			add_u64(eoi, name, e->value);
			break;
		case IRQT_EV_APIC_ACCEPT:
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			add_u64(accept, name, e->value);
			break;
		case IRQT_EV_SET_IRQ:
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			add_u64(sub_obj(gsi, name), k->sub ? "raise" : "lower", e->value);
			break;
		case IRQT_EV_EXIT:
			add_u64(by_reason, hw_exit_name(k->sub, k->detail, buf, sizeof buf),
				e->value);
			break;
		case IRQT_EV_EMULATE_INSN:
			add_u64(sub_obj(o, "emulated_instructions"), k->detail ? "failed" : "ok",
				e->value);
			break;
		case IRQT_EV_EXIT_LAT_LOG2:
			snprintf(name, sizeof name, "%llu", (unsigned long long)k->detail);
			add_u64(lat, name, e->value);
			break;
		default:
			break;
		}
	}
	/* make sure every known pin / vector appears, even at 0 */
	if (l && l->have && l->ioapic_pin >= 0) {
		snprintf(name, sizeof name, "%d", l->ioapic_pin);
		json_t *v = sub_obj(ioapic, name);
		if (!json_object_get(v, "set_irq"))
			json_object_set_new(v, "set_irq", json_integer(0));
		if (!json_object_get(v, "eoi"))
			json_object_set_new(v, "eoi", json_integer(0));
	}
	json_t *v;
	const char *key;
	json_object_foreach(ioapic, key, v)
	{
		if (!json_object_get(v, "set_irq"))
			json_object_set_new(v, "set_irq", json_integer(0));
		if (!json_object_get(v, "eoi"))
			json_object_set_new(v, "eoi", json_integer(0));
	}
	for (int i = 0; i < ntids; i++) {
		int vc = tracer_vcpu_of(tr, tids[i]);
		if (vc >= 0)
			snprintf(name, sizeof name, "%d", vc);
		else
			snprintf(name, sizeof name, "tid-%u", tids[i]);
		json_t *tt = report_totals(c, rc, pid, 1, tids[i]);
		json_object_set_new(tt, "tid", json_integer(tids[i]));
		json_object_set_new(vcpus, name, tt);
	}
	json_object_set_new(o, "exits_by_reason", by_reason);
	json_object_set_new(o, "userspace_exits_by_reason", us_by_reason);
	json_object_set_new(o, "mmio_by_register", regs);
	json_object_set_new(o, "notifies", notifies);
	json_object_set_new(o, "ioapic", ioapic);
	json_object_set_new(o, "msi_by_vector", msi);
	json_object_set_new(o, "eoi_by_vector", eoi);
	json_object_set_new(o, "apic_accept_by_vector", accept);
	json_object_set_new(o, "set_irq_by_gsi", gsi);
	json_object_set_new(o, "pio_by_port", pio);
	json_object_set_new(o, "msr_by_index", msr);
	json_object_set_new(o, "exit_latency_log2_ns",
			    have_hw ? lat : (json_decref(lat), json_null()));
	json_object_set_new(o, "events_by_context", ctxs);
	json_object_set_new(o, "per_vcpu", vcpus);
	if (!pid) { /* every VM: their totals side by side */
		json_t *vms = json_object();
		uint32_t pids[256];
		int n = report_pids(c, pids, 256);
		for (int i = 0; i < n; i++) {
			snprintf(name, sizeof name, "%u", pids[i]);
			json_object_set_new(vms, name, report_totals(c, rc, pids[i], 0, 0));
		}
		json_object_set_new(o, "per_vm", vms);
	}
	return o;
}

struct row {
	char what[160];
	uint64_t n;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->what, y->what);
}

static void describe(const struct irqt_key *k, const struct report_ctx *rc, char *out, size_t len)
{
	char buf[64];
	const struct layout *l = rc->layout;
	static const char *const mmio_type[] = {"mmio-unsat-read", "mmio-read", "mmio-write"};
	switch (k->event) {
	case IRQT_EV_USERSPACE_EXIT:
		snprintf(out, len, "userspace-exit %s",
			 report_userspace_exit_name(k->detail, buf, sizeof buf));
		break;
	case IRQT_EV_MMIO: {
		int is_qn = l && layout_notify_by_value(l, k->detail);
		const char *q = l && !is_qn ? layout_doorbell(l, k->detail) : NULL;
		const char *reg = l ? layout_register(l, k->detail, buf, sizeof buf) : NULL;
		char qb[16];
		if (is_qn && k->sub == 2)
			snprintf(
			    out, len, "notify %s (QueueNotify)",
			    layout_value_queue(l, k->detail, (unsigned)k->extra, qb, sizeof qb));
		else if (q)
			snprintf(out, len, "notify %s (doorbell)", q);
		else if (reg)
			snprintf(out, len, "%s %s", mmio_type[k->sub % 3], reg);
		else
			snprintf(out, len, "%s 0x%llx", mmio_type[k->sub % 3],
				 (unsigned long long)k->detail);
		break;
	}
	case IRQT_EV_PIO:
		snprintf(out, len, "pio-%s 0x%llx", k->sub ? "out" : "in",
			 (unsigned long long)k->detail);
		break;
	case IRQT_EV_MSR:
		snprintf(out, len, "msr-%s 0x%llx%s", k->sub ? "write" : "read",
			 (unsigned long long)k->detail, k->detail == 0x80b ? " (x2APIC EOI)" : "");
		break;
	case IRQT_EV_MSI: {
		const char *q = l ? layout_vector_queue(l, (uint32_t)k->detail) : NULL;
		snprintf(out, len, "msi vector %llu%s%s", (unsigned long long)k->detail,
			 q ? " " : "", q ? q : "");
		break;
	}
	case IRQT_EV_IOAPIC_SET_IRQ:
		snprintf(out, len, "ioapic set_irq pin %llu", (unsigned long long)k->detail);
		break;
	case IRQT_EV_SET_IRQ:
		snprintf(out, len, "set_irq gsi %llu %s", (unsigned long long)k->detail,
			 k->sub ? "raise" : "lower");
		break;
	case IRQT_EV_ACK_IRQ:
		snprintf(out, len, "%s eoi pin %llu", k->sub == 2 ? "ioapic" : "pic",
			 (unsigned long long)k->detail);
		break;
	case IRQT_EV_EOI:
		snprintf(out, len, "lapic eoi vector %d", (int)(int32_t)k->detail);
		break;
	case IRQT_EV_APIC_ACCEPT:
		snprintf(out, len, "apic accept vector %llu", (unsigned long long)k->detail);
		break;
	case IRQT_EV_EXIT:
		snprintf(out, len, "exit %s", hw_exit_name(k->sub, k->detail, buf, sizeof buf));
		break;
	default:
		snprintf(out, len, "event %u", k->event);
		break;
	}
}

void report_live_table(FILE *f, const struct counts *delta, const struct report_ctx *rc,
		       double interval_s, int top)
{
	uint32_t pids[64];
	int npids = report_pids(delta, pids, 64);
	if (!npids)
		fprintf(f, "  (no KVM events in this interval)\n");
	for (int p = 0; p < npids; p++) {
		struct row *rows = calloc(delta->len + 1, sizeof *rows);
		int n = 0;
		if (!rows)
			return;
		counts_for_each(delta, e)
		{
			if (e->key.pid != pids[p] || e->key.event == IRQT_EV_EXIT_LAT_LOG2 ||
			    e->key.event == IRQT_EV_EMULATE_INSN ||
			    !key_selected(&e->key, rc, pids[p], 0, 0))
				continue;
			char what[160];
			describe(&e->key, rc, what, sizeof what);
			int i;
			for (i = 0; i < n; i++)
				if (!strcmp(rows[i].what, what))
					break;
			if (i == n) {
				snprintf(rows[n].what, sizeof rows[n].what, "%s", what);
				n++;
			}
			rows[i].n += e->value;
		}
		qsort(rows, (size_t)n, sizeof *rows, row_cmp);
		fprintf(f, "VM pid %u\n  %-40s %12s %10s\n", pids[p], "event", "per second",
			"count");
		for (int i = 0; i < n && i < top; i++)
			fprintf(f, "  %-40s %12.1f %10llu\n", rows[i].what, rows[i].n / interval_s,
				(unsigned long long)rows[i].n);
		free(rows);
	}
}

void report_summary(FILE *f, json_t *snap)
{
	json_t *t = json_object_get(snap, "totals");
	const char *key;
	json_t *v;
	fprintf(f, "irqpath-trace: backend %s, exits %s, %.2f s, lost events %lld\n",
		json_string_value(json_object_get(snap, "backend")),
		json_string_value(json_object_get(snap, "exit_source")),
		json_real_value(json_object_get(snap, "duration_s")),
		(long long)json_integer_value(json_object_get(snap, "lost_events")));
	json_object_foreach(t, key, v)
	    fprintf(f, "  %-18s %lld\n", key, (long long)json_integer_value(v));
	json_t *miss = json_object_get(snap, "missing_tracepoints");
	if (json_array_size(miss)) {
		fprintf(f, "  missing tracepoints:");
		size_t i;
		json_array_foreach(miss, i, v) fprintf(f, " %s", json_string_value(v));
		fprintf(f, "\n");
	}
}
