// SPDX-License-Identifier: GPL-2.0
/*
 * irqpath-trace BPF side: counts KVM tracepoint events in kernel, per
 * (VM pid, thread, event, detail), in a per-CPU hash. Nothing goes to user
 * space per event; the collector reads the map.
 *
 * Ownership rule (which VM an event belongs to):
 *  - an event in a thread of process P belongs to VM P (vCPU threads, and
 *    the VMM's device thread whose eventfd write injects an irqfd MSI);
 *  - an event in a workqueue worker that is running irqfd_inject (IOAPIC
 *    pins raised through KVM_IRQFD, MSIs that could not be injected
 *    atomically) belongs to the VM of that irqfd: the worker's current work
 *    is the irqfd's inject work, irqfd->kvm->mm is compared with the mm seen
 *    in the target's own threads, falling back to kvm->userspace_pid (the
 *    thread that created the VM);
 *  - everything else is not a VM event and, under -p, is dropped.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "irqpath_trace.h"
#include "kvm_types.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* What a tracepoint program returns: for BPF_PROG_TYPE_TRACEPOINT, 0 makes
 * the kernel drop the event for every perf user of the tracepoint (perf
 * stat, perf record) on the whole host; 1 lets it through. The tracer must
 * never hide events from the other tools. */
#define PASS 1

#define PF_WQ_WORKER 0x00000020

/* Set by the collector before load. */
const volatile __u32 target_pid = 0;	    /* 0: every VM */
const volatile __u64 irqfd_inject_addr = 0; /* from /proc/kallsyms, 0 if unknown */

/* Learned: the target process's mm, to recognise its irqfds in kworkers. */
__u64 target_mm = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, IRQT_MAX_ENTRIES);
	__type(key, struct irqt_key);
	__type(value, __u64);
} counts SEC(".maps");

/* Updates that did not fit in `counts` (reported as lost events). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* thread id -> vcpu id, from events that carry it */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IRQT_MAX_THREADS);
	__type(key, __u32);
	__type(value, __u32);
} tid_vcpu SEC(".maps");

/* thread id -> its last kvm_exit not yet followed by kvm_entry: the exit
 * latency histogram's start, and (read by the collector) the exits whose
 * vCPU never re-entered */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IRQT_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct irqt_open_exit);
} exit_ts SEC(".maps");

/* Fills pid/tid/ctx for the current context; 0 when the event is not ours. */
static __always_inline int owner(struct irqt_key *k)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct task_struct *t = bpf_get_current_task_btf();

	k->tid = (__u32)id;
	k->ctx = IRQT_CTX_THREAD;
	if (t->flags & PF_WQ_WORKER) {
		struct kthread *kt = (struct kthread *)t->worker_private;
		struct worker *w = (struct worker *)BPF_CORE_READ(kt, data);
		__u64 fn = (__u64)BPF_CORE_READ(w, current_func);
		struct work_struct *work = BPF_CORE_READ(w, current_work);

		if (work && (!irqfd_inject_addr || fn == irqfd_inject_addr)) {
			struct kvm_kernel_irqfd___irqpath *irqfd =
			    (void *)work -
			    bpf_core_field_offset(struct kvm_kernel_irqfd___irqpath, inject);
			struct kvm___irqpath *kvm = BPF_CORE_READ(irqfd, kvm);
			__u64 mm = (__u64)BPF_CORE_READ(kvm, mm);

			k->ctx = IRQT_CTX_KWORKER;
			k->tid = 0;
			if (target_pid && mm && mm == target_mm) {
				k->pid = target_pid;
				return 1;
			}
			if (!irqfd_inject_addr) /* unverified work item: only an mm match counts */
				return 0;
			k->pid = BPF_CORE_READ(kvm, userspace_pid);
			return !target_pid || k->pid == target_pid;
		}
	}
	if (target_pid && tgid != target_pid)
		return 0;
	if (target_pid && !target_mm)
		target_mm = (__u64)t->mm;
	k->pid = tgid;
	return 1;
}

static __always_inline void bump(struct irqt_key *k, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&counts, k);

	if (v) {
		*v += n;
		return;
	}
	if (bpf_map_update_elem(&counts, k, &n, BPF_NOEXIST) == 0)
		return;
	v = bpf_map_lookup_elem(&counts, k); /* lost a race with another CPU's insert */
	if (v) {
		*v += n;
		return;
	}
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&drops, &zero);
	if (d)
		*d += 1;
}

static __always_inline void count(__u16 ev, __u8 sub, __u64 detail, __u64 extra)
{
	struct irqt_key k = {};

	if (!owner(&k))
		return;
	k.event = ev;
	k.sub = sub;
	k.detail = detail;
	k.extra = extra;
	bump(&k, 1);
}

static __always_inline void learn_vcpu(__u32 vcpu)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&tid_vcpu, &tid, &vcpu, BPF_ANY);
}

SEC("tracepoint/kvm/kvm_userspace_exit")
int tp_userspace_exit(struct trace_event_raw_kvm_userspace_exit___irqpath *ctx)
{
	/* errno < 0: KVM_RUN returned an error (e.g. -EINTR), not an exit reason */
	__u64 reason = ctx->errno < 0 ? 0x10000 + (__u32)(-ctx->errno) : ctx->reason;

	count(IRQT_EV_USERSPACE_EXIT, 0, reason, 0);
	return PASS;
}

SEC("tracepoint/kvm/kvm_mmio")
int tp_mmio(struct trace_event_raw_kvm_mmio___irqpath *ctx)
{
	__u64 gpa = ctx->gpa, extra = 0;

	/* a read that goes to user space fires twice: unsatisfied (type 0),
	 * then read; one access, counted once, at completion */
	if (ctx->type == 0)
		return PASS;
	if (ctx->type == 2)
		extra = ctx->val < IRQT_VALUE_LIMIT ? ctx->val : IRQT_VALUE_LIMIT;
	count(IRQT_EV_MMIO, ctx->type, gpa, extra);
	return PASS;
}

SEC("tracepoint/kvm/kvm_pio")
int tp_pio(struct trace_event_raw_kvm_pio___irqpath *ctx)
{
	count(IRQT_EV_PIO, ctx->rw ? 1 : 0, ctx->port, 0);
	return PASS;
}

SEC("tracepoint/kvm/kvm_msr")
int tp_msr(struct trace_event_raw_kvm_msr___irqpath *ctx)
{
	count(IRQT_EV_MSR, ctx->write ? 1 : 0, ctx->ecx, 0);
	return PASS;
}

SEC("tracepoint/kvm/kvm_msi_set_irq")
int tp_msi_set_irq(struct trace_event_raw_kvm_msi_set_irq___irqpath *ctx)
{
	/* the destination, not the injecting thread, is the vCPU that takes it */
	count(IRQT_EV_MSI, 0, ctx->data & 0xff, IRQT_MSI_DEST(ctx->address));
	return PASS;
}

SEC("tracepoint/kvm/kvm_ioapic_set_irq")
int tp_ioapic_set_irq(struct trace_event_raw_kvm_ioapic_set_irq___irqpath *ctx)
{
	count(IRQT_EV_IOAPIC_SET_IRQ, ctx->coalesced ? 1 : 0, (__u32)ctx->pin, ctx->e & 0xff);
	return PASS;
}

SEC("tracepoint/kvm/kvm_set_irq")
int tp_set_irq(struct trace_event_raw_kvm_set_irq___irqpath *ctx)
{
	count(IRQT_EV_SET_IRQ, ctx->level ? 1 : 0, ctx->gsi, 0);
	return PASS;
}

SEC("tracepoint/kvm/kvm_ack_irq")
int tp_ack_irq(struct trace_event_raw_kvm_ack_irq___irqpath *ctx)
{
	count(IRQT_EV_ACK_IRQ, ctx->irqchip, ctx->pin, 0);
	return PASS;
}

SEC("tracepoint/kvm/kvm_eoi")
int tp_eoi(struct trace_event_raw_kvm_eoi___irqpath *ctx)
{
	learn_vcpu(ctx->apicid);
	count(IRQT_EV_EOI, 0, (__u32)ctx->vector, ctx->apicid);
	return PASS;
}

SEC("tracepoint/kvm/kvm_apic_accept_irq")
int tp_apic_accept_irq(struct trace_event_raw_kvm_apic_accept_irq___irqpath *ctx)
{
	count(IRQT_EV_APIC_ACCEPT, 0, ctx->vec, ctx->apicid);
	return PASS;
}

/* An ICR write: fires in the sending vCPU's thread (the sender), dest_id
 * names the receiver. */
SEC("tracepoint/kvm/kvm_apic_ipi")
int tp_apic_ipi(struct trace_event_raw_kvm_apic_ipi___irqpath *ctx)
{
	count(IRQT_EV_APIC_IPI, 0, ctx->dest_id, ctx->icr_low);
	return PASS;
}

SEC("tracepoint/kvm/kvm_exit")
int tp_exit(struct trace_event_raw_kvm_exit___irqpath *ctx)
{
	struct irqt_key k = {};
	struct irqt_open_exit x = {.ts = bpf_ktime_get_ns()};

	if (!owner(&k))
		return PASS;
	learn_vcpu(ctx->vcpu_id);
	k.event = IRQT_EV_EXIT;
	k.sub = ctx->isa;
	k.detail = ctx->exit_reason;
	bump(&k, 1);
	x.reason = ctx->exit_reason;
	x.isa = ctx->isa;
	x.pid = k.pid;
	bpf_map_update_elem(&exit_ts, &k.tid, &x, BPF_ANY);
	return PASS;
}

/* One event per instruction KVM emulates (every guest ring-0 instruction on
 * a nested host): loaded only when the collector is asked to. */
SEC("tracepoint/kvm/kvm_emulate_insn")
int tp_emulate_insn(struct trace_event_raw_kvm_emulate_insn___irqpath *ctx)
{
	count(IRQT_EV_EMULATE_INSN, 0, ctx->failed ? 1 : 0, 0);
	return PASS;
}

static __always_inline __u64 log2_u64(__u64 v)
{
	__u64 r = 0;

	for (int i = 0; i < 64; i++) {
		if (v <= 1)
			break;
		v >>= 1;
		r++;
	}
	return r;
}

/* kvm_entry closes the thread's open exit: one histogram count for the
 * exit's reason (kvm_entry without an exit seen, e.g. before attach, is
 * not counted) */
SEC("tracepoint/kvm/kvm_entry")
int tp_entry(struct trace_event_raw_kvm_entry___irqpath *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct irqt_open_exit *x = bpf_map_lookup_elem(&exit_ts, &tid);

	learn_vcpu(ctx->vcpu_id);
	if (!x)
		return PASS;
	struct irqt_key k = {.pid = x->pid, .tid = tid, .ctx = IRQT_CTX_THREAD};
	k.event = IRQT_EV_EXIT_LAT_LOG2;
	k.sub = (__u8)x->isa;
	k.detail = log2_u64(bpf_ktime_get_ns() - x->ts);
	k.extra = x->reason;
	bpf_map_delete_elem(&exit_ts, &tid);
	bump(&k, 1);
	return PASS;
}
