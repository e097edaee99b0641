/* SPDX-License-Identifier: MIT */
/*
 * The CPUID table a vCPU gets, assembled from KVM_GET_SUPPORTED_CPUID's
 * list without touching KVM (unit-tested on its own):
 * - leaf 1: x2APIC (the guest's EOI becomes an MSR write), the hypervisor
 *   bit (Linux looks at the 0x40000000 leaves only when it is set), the
 *   TSC-deadline bit when KVM_CAP_TSC_DEADLINE_TIMER says the in-kernel
 *   LAPIC emulates it (KVM never lists it itself), the APIC id in EBX;
 * - leaves 0xb / 0x1f: the x2APIC id in EDX;
 * - 0x40000000 "KVMKVMKVM" with EAX >= 0x40000001, and 0x40000001 with
 *   the paravirt features KVM offered (kvm-clock, ...). They are kept as
 *   KVM lists them; when KVM lists none, the signature leaf is added and
 *   the feature leaf is 0 (then the guest has no kvm-clock).
 */
#ifndef IRQPATH_VMM_CPUID_TABLE_H
#define IRQPATH_VMM_CPUID_TABLE_H

#include <linux/kvm.h>
#include <stdbool.h>

#define CPUID_KVM_SIGNATURE 0x40000000u
#define CPUID_KVM_FEATURES 0x40000001u
#define CPUID_KVM_FEATURE_CLOCKSOURCE (1u << 0)
#define CPUID_KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)

struct cpuid_opts {
	unsigned apic_id;
	bool tsc_deadline; /* KVM_CAP_TSC_DEADLINE_TIMER */
};

/* What the table gives the guest, for the VMM's report. */
struct cpuid_summary {
	bool tsc_deadline, kvm_signature_from_kvm;
	unsigned kvm_features; /* EAX of 0x40000001 */
};

/*
 * Finishes the table in place: e holds n entries and room for max.
 * Returns the new entry count, or -1 when a leaf must be added and there
 * is no room (e is then unchanged).
 */
int cpuid_table_finish(struct kvm_cpuid_entry2 *e, unsigned n, unsigned max,
		       const struct cpuid_opts *o, struct cpuid_summary *s);

/* The entry for function/index, or NULL. */
struct kvm_cpuid_entry2 *cpuid_table_find(struct kvm_cpuid_entry2 *e, unsigned n, unsigned function,
					  unsigned index);

#endif
