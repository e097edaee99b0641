/* SPDX-License-Identifier: MIT */
/*
 * Long-mode entry: the vCPU state that matches the tables of
 * linuxboot/longmode.h (flat 64-bit code and data segments, paging on),
 * for both guests, and the micro-guest's tables at its guest_abi.h
 * addresses (page tables uncached above 3 GiB where the devices live).
 */
#ifndef IRQPATH_VMM_BOOT_LONGMODE_H
#define IRQPATH_VMM_BOOT_LONGMODE_H

#include <linux/kvm.h>
#include "guest_mem.h"

struct longmode_entry {
	uint64_t gdt_gpa;
	uint16_t gdt_limit;
	uint16_t cs, ds; /* selectors of the flat code and data descriptors */
	uint64_t cr3;	 /* PML4 */
	uint64_t idt_gpa;
	uint16_t idt_limit; /* 0: leave the IDT register as it is */
};

/* Segments, descriptor tables, CR0/CR3/CR4 and EFER for 64-bit entry. */
void longmode_set_sregs(struct kvm_sregs *s, const struct longmode_entry *e);

/* Writes the micro-guest's GDT and page tables at the guest_abi.h addresses. */
int longmode_write_tables(const struct guest_mem *m);

/* Fills sregs/regs to enter the micro-guest at entry with rdi = arg. */
void longmode_set_state(struct kvm_sregs *s, struct kvm_regs *r, uint64_t entry, uint64_t arg);

#endif
