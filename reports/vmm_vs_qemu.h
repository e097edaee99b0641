/* SPDX-License-Identifier: MIT */
/*
 * irqpath-vmm's devices side by side with QEMU's, for the micro-guest:
 * mmio-legacy against QEMU's virtio-mmio (profile qemu-mmio, -M microvm)
 * and pci against QEMU's virtio-pci (qemu-pci, -M q35). Per transaction:
 * exits by cause, userspace exits, register accesses, EOIs, MSIs; every
 * difference gets a "why" line built from the runs' own figures, and a
 * closing note says how the per-transaction costs compare.
 */
#ifndef IRQPATH_REPORTS_VMM_VS_QEMU_H
#define IRQPATH_REPORTS_VMM_VS_QEMU_H

#include <stdio.h>

#include "results.h"

/* Writes the section (<= 72 columns) when SET holds at least one pair;
 * returns the number of pairs shown. */
int vmm_vs_qemu_text(const struct result_set *set, FILE *f);

#endif
