// SPDX-License-Identifier: MIT
/*
 * CPUID table assembly from a KVM_GET_SUPPORTED_CPUID-shaped list: the
 * leaf-1 bits, APIC ids, the KVM paravirt leaves kept or added, and no
 * change when there is no room.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../cpuid_table.h"

#define MAX 16

static unsigned base_table(struct kvm_cpuid_entry2 *e, bool with_kvm)
{
	unsigned n = 0;
	memset(e, 0, MAX * sizeof(*e));
	e[n++] = (struct kvm_cpuid_entry2){.function = 0, .eax = 0xd};
	e[n++] = (struct kvm_cpuid_entry2){
	    .function = 1, .ebx = 0x00000800, .ecx = 0x1 | CPUID_1_ECX_TSC_DEADLINE};
	for (unsigned i = 0; i < 2; i++)
		e[n++] = (struct kvm_cpuid_entry2){.function = 0xb,
						   .index = i,
						   .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
						   .edx = 0x55};
	if (with_kvm) {
		e[n++] = (struct kvm_cpuid_entry2){.function = CPUID_KVM_SIGNATURE,
						   .eax = 0x40000001,
						   .ebx = 0x4b4d564b,
						   .ecx = 0x564b4d56,
						   .edx = 0x4d};
		e[n++] =
		    (struct kvm_cpuid_entry2){.function = CPUID_KVM_FEATURES, .eax = 0x01007afb};
	}
	return n;
}

static void signature_is(struct kvm_cpuid_entry2 *s)
{
	char sig[13] = {0};
	memcpy(sig, &s->ebx, 4);
	memcpy(sig + 4, &s->ecx, 4);
	memcpy(sig + 8, &s->edx, 4);
	assert_string_equal(sig, "KVMKVMKVM");
	assert_true(s->eax >= CPUID_KVM_FEATURES);
}

static void kvm_leaves_kept(void **state)
{
	(void)state;
	struct kvm_cpuid_entry2 e[MAX];
	unsigned n = base_table(e, true);
	struct cpuid_opts o = {.apic_id = 3, .tsc_deadline = true};
	struct cpuid_summary s;
	assert_int_equal(cpuid_table_finish(e, n, MAX, &o, &s), (int)n);
	struct kvm_cpuid_entry2 *l1 = cpuid_table_find(e, n, 1, 0);
	assert_non_null(l1);
	assert_true(l1->ecx & CPUID_1_ECX_X2APIC);
	assert_true(l1->ecx & CPUID_1_ECX_HYPERVISOR);
	assert_true(l1->ecx & CPUID_1_ECX_TSC_DEADLINE);
	assert_true(l1->ecx & 0x1); /* other bits untouched */
	assert_int_equal(l1->ebx, 0x03000800);
	assert_int_equal(cpuid_table_find(e, n, 0xb, 1)->edx, 3);
	assert_int_equal(cpuid_table_find(e, n, 0xb, 0)->edx, 3);
	signature_is(cpuid_table_find(e, n, CPUID_KVM_SIGNATURE, 0));
	assert_int_equal(cpuid_table_find(e, n, CPUID_KVM_FEATURES, 0)->eax, 0x01007afb);
	assert_true(s.tsc_deadline);
	assert_true(s.kvm_signature_from_kvm);
	assert_int_equal(s.kvm_features, 0x01007afb);
}

static void no_tsc_deadline_without_cap(void **state)
{
	(void)state;
	struct kvm_cpuid_entry2 e[MAX];
	unsigned n = base_table(e, true);
	struct cpuid_opts o = {.apic_id = 0, .tsc_deadline = false};
	struct cpuid_summary s;
	assert_int_equal(cpuid_table_finish(e, n, MAX, &o, &s), (int)n);
	assert_false(cpuid_table_find(e, n, 1, 0)->ecx & CPUID_1_ECX_TSC_DEADLINE);
	assert_false(s.tsc_deadline);
	assert_int_equal(cpuid_table_find(e, n, 1, 0)->ebx >> 24, 0);
}

static void kvm_leaves_added(void **state)
{
	(void)state;
	struct kvm_cpuid_entry2 e[MAX];
	unsigned n = base_table(e, false);
	struct cpuid_opts o = {.apic_id = 1, .tsc_deadline = true};
	struct cpuid_summary s;
	int m = cpuid_table_finish(e, n, MAX, &o, &s);
	assert_int_equal(m, (int)n + 2);
	signature_is(cpuid_table_find(e, (unsigned)m, CPUID_KVM_SIGNATURE, 0));
	assert_int_equal(cpuid_table_find(e, (unsigned)m, CPUID_KVM_FEATURES, 0)->eax, 0);
	assert_false(s.kvm_signature_from_kvm);
	assert_int_equal(s.kvm_features, 0);
}

static void no_room(void **state)
{
	(void)state;
	struct kvm_cpuid_entry2 e[MAX], before[MAX];
	unsigned n = base_table(e, false);
	memcpy(before, e, sizeof(e));
	struct cpuid_opts o = {.apic_id = 1, .tsc_deadline = true};
	struct cpuid_summary s;
	assert_int_equal(cpuid_table_finish(e, n, n + 1, &o, &s), -1);
	assert_memory_equal(e, before, sizeof(e));
}

static void find_respects_index(void **state)
{
	(void)state;
	struct kvm_cpuid_entry2 e[MAX];
	unsigned n = base_table(e, true);
	assert_null(cpuid_table_find(e, n, 0xb, 2));
	assert_non_null(cpuid_table_find(e, n, 1, 7)); /* index ignored without the flag */
	assert_null(cpuid_table_find(e, n, 0x80000008, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kvm_leaves_kept),	   cmocka_unit_test(no_tsc_deadline_without_cap),
	    cmocka_unit_test(kvm_leaves_added),	   cmocka_unit_test(no_room),
	    cmocka_unit_test(find_respects_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
