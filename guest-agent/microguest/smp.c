// SPDX-License-Identifier: MIT
/*
 * SMP: which vCPU runs (GS base -> its index), the per-vCPU counts next
 * to the mailbox totals, and the IPI that wakes a queue pair's owner when
 * its interrupt landed on another vCPU (mmio-legacy's one pin, shared MSI
 * entries), the way a Linux guest hands work to the CPU that owns it.
 */
#include "transport.h"

#define MSR_GS_BASE 0xc0000101u

unsigned ncpus = 1, npairs = 1, nqueues = 2;
static volatile u32 cpu_index[GABI_MAX_VCPUS];
/* Per queue, the used index last handed to its owner: one IPI per new work. */
static u16 forwarded[GABI_MAX_QUEUES];

void smp_cpu_init(unsigned idx)
{
	cpu_index[idx] = idx;
	wrmsr(MSR_GS_BASE, (u64)(uptr)&cpu_index[idx]);
}

void count_status_read(bool zero)
{
	cnt(&mb->status_reads);
	vcpu_counts()->status_reads++;
	if (zero)
		cnt(&mb->status_zero);
}

void count_ack(void)
{
	cnt(&mb->acks);
	vcpu_counts()->acks++;
}

void count_spurious(void)
{
	cnt(&mb->spurious);
	vcpu_counts()->spurious++;
}

bool net_queue_event(unsigned q)
{
	if (q >= nqueues || !gvq_more_used(&vqs[q]))
		return false;
	unsigned owner = gabi_queue_owner(q, npairs, ncpus);
	if (owner != this_cpu()) {
		/* the owner polls queues it asked no interrupt for (tx, ctrl) */
		if (vqs[q].avail->flags & VRING_AVAIL_F_NO_INTERRUPT)
			return false;
		/* only the entry's (or pin's) vCPU forwards q, so this is not shared */
		u16 idx = *(volatile u16 *)&vqs[q].used->idx;
		if (idx != forwarded[q]) {
			forwarded[q] = idx;
			apic_send_ipi(owner);
		}
		return true;
	}
	if (gvq_interrupt(&vqs[q]))
		net_vq_callback(q);
	return true;
}

/* The owner's side: run the callbacks of its own queues that have work. */
static void ipi_interrupt(unsigned vector)
{
	(void)vector;
	vcpu_counts()->ipis_received++;
	bool any = false;
	for (unsigned q = 0; q < 2 * npairs; q++)
		if (gabi_queue_owner(q, npairs, ncpus) == this_cpu() && gvq_interrupt(&vqs[q])) {
			net_vq_callback(q);
			any = true;
		}
	if (!any)
		count_spurious();
}

void ipi_init(void)
{
	irq_register(GABI_VEC_IPI, ipi_interrupt);
}

unsigned msi_dest(unsigned entry, unsigned entries)
{
	return gabi_plan_dest(entry, npairs, ncpus, entries);
}
