/* SPDX-License-Identifier: MIT */
/* Which vCPU takes an event. Tracepoints fire in the thread that causes
 * them, which for interrupts is often not the vCPU that receives them
 * (the VMM's I/O thread or a kworker injects an MSI): MSIs are taken by
 * their destination APIC id, APIC accepts and EOIs by their apicid, an
 * IPI is sent by the ICR-writing vCPU's thread and received by dest_id,
 * everything else (exits, register accesses) by the thread it fired in.
 * A thread is a vCPU by the layout's "vcpus" (tid), else by its name
 * ("vcpu<i>" for irqpath-vmm, "CPU <i>/KVM" for QEMU), else by the
 * vcpu_id/apicid its own kvm_exit/kvm_eoi carry. */
#ifndef IRQPATH_VCPU_ATTR_H
#define IRQPATH_VCPU_ATTR_H

#include <stdint.h>

#include "counts.h"
#include "layout.h"
#include "tracer.h"

enum attr_metric {
	ATTR_THREAD,	   /* an event of the vCPU's own thread (exit, access...) */
	ATTR_TAKEN,	   /* an interrupt it takes: MSI, APIC accept, EOI */
	ATTR_IPI_SENT,	   /* an ICR write it made */
	ATTR_IPI_RECEIVED, /* an IPI aimed at it */
};

/* Receivers that are no single vCPU. */
#define ATTR_ALL (-2)	  /* shorthand all / all-but-self, or a broadcast id */
#define ATTR_UNKNOWN (-3) /* logical destination: the guest's LDRs decide */

struct attr {
	int vcpu;     /* index; -1: a thread not known as a vCPU (tid), or ATTR_* */
	uint32_t tid; /* the thread when vcpu is -1 */
	int metric;   /* enum attr_metric */
};

/* vCPU index of a thread name, -1 if it names no vCPU. */
int vcpu_from_comm(const char *comm);
/* vCPU index of a thread of VM pid: the layout, else the tracer's map; -1. */
int attr_thread_vcpu(const struct tracer *t, const struct layout *l, uint32_t pid, uint32_t tid);
/* The vCPUs (at most 2: an IPI's sender and receiver) a key's events are
 * taken by; returns how many (0: no vCPU, e.g. a kworker's set_irq). */
int attr_key(const struct irqt_key *k, const struct tracer *t, const struct layout *l,
	     struct attr out[2]);
/* Threads of the counters that no map names yet, looked up by name in
 * /proc (while they are alive: called as the run goes). */
void vcpu_learn_comm(struct tracer *t, const struct layout *l, const struct counts *c);
/* The same for every thread of process pid (/proc/PID/task). */
void vcpu_learn_tasks(struct tracer *t, const struct layout *l, uint32_t pid);

#endif
