/* SPDX-License-Identifier: MIT */
#include "decode.h"

#include <stdio.h>
#include <string.h>

#define X2APIC_EOI_MSR 0x80b
#define IRQCHIP_IOAPIC 2 /* kvm_ack_irq's irqchip */

static const char *const kvm_exit_names[] = {
    [0] = "UNKNOWN",	   [1] = "EXCEPTION",	[2] = "IO",	    [3] = "HYPERCALL",
    [4] = "DEBUG",	   [5] = "HLT",		[6] = "MMIO",	    [7] = "IRQ_WINDOW_OPEN",
    [8] = "SHUTDOWN",	   [9] = "FAIL_ENTRY",	[10] = "INTR",	    [17] = "INTERNAL_ERROR",
    [24] = "SYSTEM_EVENT", [26] = "IOAPIC_EOI", [29] = "X86_RDMSR", [30] = "X86_WRMSR",
};

const char *decode_userspace_exit(uint64_t reason, char *buf, size_t len)
{
	if (reason >= 0x10000) {
		snprintf(buf, len, "ERRNO_%llu", (unsigned long long)(reason - 0x10000));
		return buf;
	}
	if (reason < sizeof kvm_exit_names / sizeof *kvm_exit_names && kvm_exit_names[reason])
		return kvm_exit_names[reason];
	snprintf(buf, len, "REASON_%llu", (unsigned long long)reason);
	return buf;
}

/* MMIO: a register, a doorbell, or QueueNotify (a register whose written
 * value names the queue). Unsatisfied reads complete later as reads. */
static void decode_mmio(const struct irqt_key *k, const struct layout *l, struct decoded *d)
{
	static const char *const dir[] = {"mmio-unsat-read", "mmio-read", "mmio-write"};
	char buf[64];
	int write = k->sub == 2;
	int by_value = l && layout_notify_by_value(l, k->detail);
	const char *bell = l && !by_value ? layout_doorbell(l, k->detail) : NULL;
	const char *reg = l ? layout_register(l, k->detail, buf, sizeof buf) : NULL;

	d->derived = k->sub ? "MMIO" : NULL;
	if (reg)
		snprintf(d->name, sizeof d->name, "%s", reg);
	else
		snprintf(d->name, sizeof d->name, "0x%llx", (unsigned long long)k->detail);
	d->is_register = k->sub && (by_value || !bell);
	if (bell && write)
		snprintf(d->queue, sizeof d->queue, "%s", bell);
	else if (by_value && write)
		snprintf(d->queue, sizeof d->queue, "%s",
			 layout_value_queue(l, k->detail, (unsigned)k->extra, buf, sizeof buf));
	if (d->queue[0])
		snprintf(d->label, sizeof d->label, "notify %s (%s)", d->queue,
			 bell ? "doorbell" : "QueueNotify");
	else if (bell)
		snprintf(d->label, sizeof d->label, "notify %s (doorbell)", bell);
	else
		snprintf(d->label, sizeof d->label, "%s %s", dir[k->sub % 3], d->name);
}

static void decode_exit(const struct irqt_key *k, const struct exit_names *x, struct decoded *d)
{
	char buf[32];
	/* the latency histogram keeps the reason in extra, its bucket in detail */
	uint64_t reason = k->event == IRQT_EV_EXIT_LAT_LOG2 ? k->extra : k->detail;
	snprintf(d->name, sizeof d->name, "%s",
		 exit_names_name(x, k->sub, reason, buf, sizeof buf));
	if (k->event == IRQT_EV_EXIT)
		snprintf(d->label, sizeof d->label, "exit %s", d->name);
	else if (k->event == IRQT_EV_EXIT_LAT_LOG2)
		snprintf(d->label, sizeof d->label, "exit %s latency 2^%llu ns", d->name,
			 (unsigned long long)k->detail);
	else
		snprintf(d->label, sizeof d->label, "exit %s not re-entered", d->name);
}

void decode_key(const struct irqt_key *k, const struct decode_ctx *dc, struct decoded *d)
{
	const struct layout *l = dc->layout;
	unsigned long long n = (unsigned long long)k->detail;
	const char *q;

	memset(d, 0, sizeof *d);
	switch (k->event) {
	case IRQT_EV_USERSPACE_EXIT:
		q = decode_userspace_exit(k->detail, d->name, sizeof d->name);
		if (q != d->name)
			snprintf(d->name, sizeof d->name, "%s", q);
		snprintf(d->label, sizeof d->label, "userspace-exit %s", d->name);
		break;
	case IRQT_EV_MMIO:
		decode_mmio(k, l, d);
		break;
	case IRQT_EV_PIO:
		d->derived = "IO";
		snprintf(d->name, sizeof d->name, "0x%llx", n);
		snprintf(d->label, sizeof d->label, "pio-%s %s", k->sub ? "out" : "in", d->name);
		break;
	case IRQT_EV_MSR:
		d->derived = "MSR";
		snprintf(d->name, sizeof d->name, "0x%llx", n);
		snprintf(d->label, sizeof d->label, "msr-%s %s%s", k->sub ? "write" : "read",
			 d->name, n == X2APIC_EOI_MSR ? " (x2APIC EOI)" : "");
		break;
	case IRQT_EV_MSI:
		q = l ? layout_vector_queue(l, (uint32_t)k->detail) : NULL;
		snprintf(d->queue, sizeof d->queue, "%s", q ? q : "");
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "msi vector %llu%s%s", n, q ? " " : "",
			 d->queue);
		break;
	case IRQT_EV_IOAPIC_SET_IRQ:
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "ioapic set_irq pin %llu", n);
		break;
	case IRQT_EV_SET_IRQ:
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "set_irq gsi %llu %s", n,
			 k->sub ? "raise" : "lower");
		break;
	case IRQT_EV_ACK_IRQ:
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "%s eoi pin %llu",
			 k->sub == IRQCHIP_IOAPIC ? "ioapic" : "pic", n);
		break;
	case IRQT_EV_EOI:
		snprintf(d->name, sizeof d->name, "%d", (int)(int32_t)k->detail);
		snprintf(d->label, sizeof d->label, "lapic eoi vector %s", d->name);
		break;
	case IRQT_EV_APIC_ACCEPT:
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "apic accept vector %llu", n);
		break;
	case IRQT_EV_APIC_IPI: /* detail: dest_id; extra: icr_low */
		snprintf(d->name, sizeof d->name, "%llu", n);
		snprintf(d->label, sizeof d->label, "ipi vector %u to apic %llu%s",
			 (unsigned)(k->extra & 0xff), n,
			 IRQT_ICR_SHORTHAND(k->extra) ? " (shorthand)" : "");
		break;
	case IRQT_EV_EXIT:
	case IRQT_EV_EXIT_LAT_LOG2:
	case IRQT_EV_EXIT_OPEN:
		decode_exit(k, dc->names, d);
		break;
	case IRQT_EV_EMULATE_INSN:
		snprintf(d->name, sizeof d->name, "%s", k->detail ? "failed" : "ok");
		snprintf(d->label, sizeof d->label, "emulated instruction %s", d->name);
		break;
	default:
		snprintf(d->label, sizeof d->label, "event %u", k->event);
		break;
	}
}
