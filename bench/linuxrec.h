/* SPDX-License-Identifier: MIT */
/*
 * One repetition record (irqpath-results/1) from irqpath-qemu's
 * irqpath-linux/1: trans/s and latency from the guest's irqpath-rr,
 * interrupts per transaction per queue from its /proc/interrupts delta, and
 * the host-count metrics present but null — a TCG run has no KVM counters,
 * and a KVM run of QEMU is not traced (see bench/README.md); never zeros.
 */
#ifndef IRQPATH_BENCH_LINUXREC_H
#define IRQPATH_BENCH_LINUXREC_H

#include <jansson.h>

/* The note every TCG repetition and results file carries. */
#define LINUX_NOTE_TCG "no KVM counters (TCG)"

/*
 * {"index","status":"ok","transactions","elapsed_s","metrics","agreement":{},
 *  "accel","kvm_counters","note","trace_note","raw":{"linux","trace":null}}.
 * HOST_NOTE says why host counts are missing when the run used KVM.
 * Returns NULL (and a reason in err) when LINUX is not a usable ok result.
 */
json_t *linux_repetition(int index, const json_t *linux_doc, const char *host_note, char *err,
			 size_t errlen);

/*
 * The same with TRACE, irqpath-trace's snapshot of QEMU's pid (or NULL): used
 * for the host counts only when the run was KVM and the snapshot's pid is
 * the document's qemu_pid (a restarted QEMU is another process); rows that
 * need the device's layout (register and queue names) stay null.
 */
json_t *linux_repetition_traced(int index, const json_t *linux_doc, const json_t *trace,
				const char *host_note, char *err, size_t errlen);

/* Queue a guest interrupt name belongs to: "rx", "tx", "config", or "all"
 * for a line shared by every queue (virtio-mmio's one interrupt). */
const char *linux_irq_queue(const char *name);

#endif
