/* SPDX-License-Identifier: MIT */
/*
 * Shared between the BPF programs (bpf/irqpath_trace.bpf.c) and the
 * collector (collectors/): the aggregation key and the event codes.
 * The includer provides __u32/__u64 (vmlinux.h in BPF, <linux/types.h>
 * in user space).
 */
#ifndef IRQPATH_TRACE_H
#define IRQPATH_TRACE_H

/* One counter per (VM pid, thread, event, sub, detail, extra). */
enum irqt_event {
	IRQT_EV_USERSPACE_EXIT = 1, /* detail: KVM_EXIT_* reason */
	IRQT_EV_MMIO, /* sub: 0 unsatisfied-read 1 read 2 write; detail: gpa; extra: written value,
			 capped (see below) */
	IRQT_EV_PIO,  /* sub: rw (1 write); detail: port */
	IRQT_EV_MSR,  /* sub: write; detail: MSR index (0x80b = x2APIC EOI) */
	IRQT_EV_MSI,  /* detail: vector; extra: destination APIC id */
	IRQT_EV_IOAPIC_SET_IRQ, /* detail: pin; extra: vector */
	IRQT_EV_SET_IRQ,	/* sub: level; detail: gsi */
	IRQT_EV_ACK_IRQ,	/* sub: irqchip (2 = IOAPIC); detail: pin: the IOAPIC EOI */
	IRQT_EV_EOI,		/* detail: LAPIC EOI vector (u32 of a signed int, -1 = none);
				   extra: the EOIing APIC id */
	IRQT_EV_APIC_ACCEPT,	/* detail: vector; extra: destination APIC id */
	IRQT_EV_EXIT,		/* sub: isa (1 VMX, 2 SVM); detail: exit reason */
	IRQT_EV_EXIT_LAT_LOG2,	/* sub: isa; detail: log2(kvm_exit -> kvm_entry ns) bucket;
				   extra: the exit's reason */
	IRQT_EV_EMULATE_INSN,	/* detail: failed (only with --emulate-insn) */
	IRQT_EV_EXIT_OPEN,	/* collector only: an exit whose thread has not re-entered
				   the guest yet (sub: isa; detail: reason) */
	IRQT_EV_APIC_IPI,	/* an ICR write (kvm_apic_ipi) in the sending vCPU's thread:
				   detail: dest_id; extra: icr_low */
	IRQT_EV_COUNT
};

/* Which context an event fired in (key.ctx). */
enum irqt_ctx {
	IRQT_CTX_THREAD = 0,  /* a thread of the VM process (vCPU or device thread) */
	IRQT_CTX_KWORKER = 1, /* a kworker running the VM's irqfd injection */
};

struct irqt_key {
	__u32 pid;   /* VM process (tgid) */
	__u32 tid;   /* thread the event fired in (kworker events: 0) */
	__u16 event; /* enum irqt_event */
	__u8 sub;
	__u8 ctx; /* enum irqt_ctx */
	__u32 pad;
	__u64 detail;
	__u64 extra;
};

/* A thread's last kvm_exit, until its kvm_entry (the exit_ts map; the
 * tracefs backend keeps the same). */
struct irqt_open_exit {
	__u64 ts;     /* ns */
	__u32 reason; /* exit_reason as the tracepoint records it */
	__u32 isa;
	__u32 pid; /* VM process */
	__u32 pad;
};

/* MMIO writes keep their value in key.extra when it is below this (the
 * legacy QueueNotify value is the queue index); larger values (ring
 * addresses...) all share extra = IRQT_VALUE_LIMIT, so keys stay few. */
#define IRQT_VALUE_LIMIT 256
#define IRQT_MAX_ENTRIES 16384
#define IRQT_MAX_THREADS 4096

/* The destination APIC id of an MSI from its address: bits 19:12, and
 * the extended destination (bits 63:40 of the address as KVM's
 * kvm_msi_set_irq records it, x2APIC ids above 255). */
#define IRQT_MSI_DEST(address) ((__u64)(__u8)((address) >> 12) | (((address) >> 32) & 0xffffff00))

/* kvm_apic_ipi's icr_low: destination shorthand (bits 19:18; 0 = the
 * dest_id field, 1 = self, 2 = all, 3 = all but self) and logical mode. */
#define IRQT_ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define IRQT_ICR_LOGICAL(icr) (((icr) >> 11) & 1)

#endif
