/* SPDX-License-Identifier: MIT */
/*
 * One repetition record (irqpath-results/1) for a Linux guest on
 * irqpath-vmm, from irqpath-vmm/1 (with its "linux" section: the guest
 * agent's report and the guest's final /proc/interrupts counts) and the
 * irqpath-trace/1 snapshot taken over the workload window.
 *
 * Per-transaction figures: the tracer attaches while the guest waits
 * before its workload (irqpath.settle) and stops when the agent's report
 * starts on the console, so its counts span the TCP_RR client run: divide
 * by rr.transactions + rr.warmup_transactions (the window's transactions).
 * The guest's interrupt delta (the agent's irqs) spans the same client run.
 *
 * Agreement (exact equality): the guest's per-line interrupt counts since
 * boot (printed before it halts) against the EOIs KVM saw on that queue's
 * vector in the window, or KVM's IOAPIC EOIs of the legacy pin; see
 * vmmlinuxrec.c for why these are the same events and MSI sends are not.
 */
#ifndef IRQPATH_BENCH_VMMLINUXREC_H
#define IRQPATH_BENCH_VMMLINUXREC_H

#include <jansson.h>

/* Returns NULL (why in err) when VMM is not a usable ok Linux run. */
json_t *vmm_linux_repetition(int index, const json_t *vmm, const json_t *trace,
			     const char *trace_note, char *err, size_t errlen);

#endif
