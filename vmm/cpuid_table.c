// SPDX-License-Identifier: MIT
/* CPUID table assembly (see cpuid_table.h). No KVM calls here. */
#include <string.h>
#include "cpuid_table.h"

struct kvm_cpuid_entry2 *cpuid_table_find(struct kvm_cpuid_entry2 *e, unsigned n, unsigned function,
					  unsigned index)
{
	for (unsigned i = 0; i < n; i++)
		if (e[i].function == function &&
		    (!(e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e[i].index == index))
			return &e[i];
	return NULL;
}

/* "KVMKVMKVM\0\0\0" in EBX, ECX, EDX. */
static void kvm_signature(struct kvm_cpuid_entry2 *e)
{
	static const char sig[12] = "KVMKVMKVM\0\0";
	memcpy(&e->ebx, sig, 4);
	memcpy(&e->ecx, sig + 4, 4);
	memcpy(&e->edx, sig + 8, 4);
	if (e->eax < CPUID_KVM_FEATURES)
		e->eax = CPUID_KVM_FEATURES;
}

int cpuid_table_finish(struct kvm_cpuid_entry2 *e, unsigned n, unsigned max,
		       const struct cpuid_opts *o, struct cpuid_summary *s)
{
	struct kvm_cpuid_entry2 *sig = cpuid_table_find(e, n, CPUID_KVM_SIGNATURE, 0);
	struct kvm_cpuid_entry2 *feat = cpuid_table_find(e, n, CPUID_KVM_FEATURES, 0);
	unsigned need = n + !sig + !feat;
	if (need > max)
		return -1;
	memset(s, 0, sizeof(*s));
	s->kvm_signature_from_kvm = sig != NULL;
	if (!sig) {
		sig = &e[n++];
		memset(sig, 0, sizeof(*sig));
		sig->function = CPUID_KVM_SIGNATURE;
	}
	kvm_signature(sig);
	if (!feat) {
		feat = &e[n++];
		memset(feat, 0, sizeof(*feat));
		feat->function = CPUID_KVM_FEATURES;
	}
	s->kvm_features = feat->eax;

	for (unsigned i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *x = &e[i];
		if (x->function == 1) {
			x->ecx |= CPUID_1_ECX_X2APIC | CPUID_1_ECX_HYPERVISOR;
			if (o->tsc_deadline)
				x->ecx |= CPUID_1_ECX_TSC_DEADLINE;
			else
				x->ecx &= ~CPUID_1_ECX_TSC_DEADLINE;
			s->tsc_deadline = o->tsc_deadline;
			x->ebx = (x->ebx & 0x00ffffffu) | ((o->apic_id & 0xffu) << 24);
		} else if (x->function == 0xb || x->function == 0x1f) {
			x->edx = o->apic_id;
		}
	}
	return (int)n;
}
