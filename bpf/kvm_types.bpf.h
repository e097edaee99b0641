/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVM types the programs read, declared here rather than taken from
 * vmlinux.h: where KVM is a module (most distribution kernels) they are in
 * the module's BTF, not in vmlinux's, so vmlinux.h lacks them. The
 * ___irqpath flavour suffix keeps these apart from vmlinux.h's copies when
 * it has them; libbpf's CO-RE relocation matches the fields by name against
 * the running kernel's (or kvm module's) BTF at load time.
 */
#ifndef IRQPATH_KVM_TYPES_BPF_H
#define IRQPATH_KVM_TYPES_BPF_H

#define IRQPATH_CORE __attribute__((preserve_access_index))

struct trace_event_raw_kvm_userspace_exit___irqpath {
	struct trace_entry ent;
	__u32 reason;
	int errno;
} IRQPATH_CORE;

struct trace_event_raw_kvm_mmio___irqpath {
	struct trace_entry ent;
	__u32 type;
	__u32 len;
	__u64 gpa;
	__u64 val;
} IRQPATH_CORE;

struct trace_event_raw_kvm_pio___irqpath {
	struct trace_entry ent;
	unsigned int rw;
	unsigned int port;
	unsigned int size;
	unsigned int count;
	unsigned int val;
} IRQPATH_CORE;

struct trace_event_raw_kvm_msr___irqpath {
	struct trace_entry ent;
	unsigned int write;
	__u32 ecx;
	__u64 data;
	__u8 exception;
} IRQPATH_CORE;

struct trace_event_raw_kvm_msi_set_irq___irqpath {
	struct trace_entry ent;
	__u64 address;
	__u64 data;
} IRQPATH_CORE;

struct trace_event_raw_kvm_ioapic_set_irq___irqpath {
	struct trace_entry ent;
	__u64 e;
	int pin;
	bool coalesced;
} IRQPATH_CORE;

struct trace_event_raw_kvm_set_irq___irqpath {
	struct trace_entry ent;
	unsigned int gsi;
	int level;
	int irq_source_id;
} IRQPATH_CORE;

struct trace_event_raw_kvm_ack_irq___irqpath {
	struct trace_entry ent;
	unsigned int irqchip;
	unsigned int pin;
} IRQPATH_CORE;

struct trace_event_raw_kvm_eoi___irqpath {
	struct trace_entry ent;
	__u32 apicid;
	int vector;
} IRQPATH_CORE;

struct trace_event_raw_kvm_apic_ipi___irqpath {
	struct trace_entry ent;
	__u32 icr_low;
	__u32 dest_id;
} IRQPATH_CORE;

struct trace_event_raw_kvm_apic_accept_irq___irqpath {
	struct trace_entry ent;
	__u32 apicid;
	__u16 dm;
	__u16 tm;
	__u8 vec;
} IRQPATH_CORE;

struct trace_event_raw_kvm_exit___irqpath {
	struct trace_entry ent;
	unsigned int exit_reason;
	unsigned long guest_rip;
	__u32 isa;
	__u64 info1;
	__u64 info2;
	__u32 intr_info;
	__u32 error_code;
	unsigned int vcpu_id;
} IRQPATH_CORE;

struct trace_event_raw_kvm_entry___irqpath {
	struct trace_entry ent;
	unsigned int vcpu_id;
} IRQPATH_CORE;

struct trace_event_raw_kvm_emulate_insn___irqpath {
	struct trace_entry ent;
	__u64 rip;
	__u32 csbase;
	__u8 len;
	__u8 insn[15];
	__u8 flags;
	__u8 failed;
} IRQPATH_CORE;

struct kvm___irqpath {
	struct mm_struct *mm;
	pid_t userspace_pid;
} IRQPATH_CORE;

struct kvm_kernel_irqfd___irqpath {
	struct kvm___irqpath *kvm;
	struct work_struct inject;
} IRQPATH_CORE;

#endif
