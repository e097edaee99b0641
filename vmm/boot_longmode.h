/* SPDX-License-Identifier: MIT */
/*
 * Long-mode entry for the micro-guest: a GDT with a 64-bit code segment
 * (interrupt delivery needs a real one), identity page tables for the low
 * 4 GiB (2 MiB pages, uncached above 3 GiB where the devices live) and the
 * register state that enters the image at its ELF entry point.
 */
#ifndef IRQPATH_VMM_BOOT_LONGMODE_H
#define IRQPATH_VMM_BOOT_LONGMODE_H

#include <linux/kvm.h>
#include "guest_mem.h"

/* Writes GDT and page tables at the guest_abi.h addresses. */
int longmode_write_tables(const struct guest_mem *m);

/* Fills sregs/regs to enter 64-bit code at entry with rdi = arg. */
void longmode_set_state(struct kvm_sregs *s, struct kvm_regs *r, uint64_t entry, uint64_t arg);

#endif
