/* SPDX-License-Identifier: MIT */
/*
 * One repetition record (irqpath-results/1) from irqpath-qemu-micro's
 * irqpath-qemu-micro/1 and irqpath-trace's snapshot of QEMU's pid. The
 * micro-guest's mailbox has irqpath-vmm/1's "guest" shape, so the
 * registry's vmm:guest.* and vmm:result.* sources read it as they read
 * irqpath-vmm's; the rows that count irqpath-vmm's own work (vmm:vmm.*:
 * its doorbells, its userspace exits, the interrupts it sent) are null —
 * QEMU does not report them, and a zero would be a claim.
 */
#ifndef IRQPATH_BENCH_QEMUMICROREC_H
#define IRQPATH_BENCH_QEMUMICROREC_H

#include <jansson.h>

#include "runner.h"

/*
 * merge_repetition()'s record with: raw.qemu_micro (the whole document) in
 * place of raw.vmm, "qemu" {machine, irqchip, version, pid}, the agreement
 * adjusted to what QEMU's devices let both sides measure (IOAPIC EOIs
 * against the guest's interrupts when microvm's IOAPIC is KVM's; no
 * config-vector MSI on q35), accel "kvm".
 */
json_t *qemu_micro_record(int index, const struct runner_output *out);

/* The note the agreement carries for q35's config vector. */
extern const char qemu_micro_config_msi_note[];

#endif
