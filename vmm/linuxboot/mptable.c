// SPDX-License-Identifier: MIT
/*
 * Intel MultiProcessor Specification 1.4 tables, so a kernel without ACPI
 * finds its vCPUs and the IOAPIC: a 16-byte floating pointer ("_MP_")
 * followed by the configuration table ("PCMP") with one processor entry
 * per vCPU, an ISA bus, one IOAPIC, I/O interrupt entries for ISA IRQs
 * 0-15 (identity on the IOAPIC; the caller may override trigger/polarity,
 * e.g. the level-triggered virtio-mmio pin) and the LINT0/LINT1 wiring.
 */
#include <string.h>

#include "lb_internal.h"
#include "linuxboot.h"

#define MPF_SIZE 16
#define MPC_HEADER_SIZE 44
#define MP_PROCESSOR 0
#define MP_BUS 1
#define MP_IOAPIC 2
#define MP_INTSRC 3
#define MP_LINTSRC 4
#define MP_INT 0
#define MP_NMI 1
#define MP_EXTINT 3
#define MP_POLARITY_HIGH 0x1
#define MP_POLARITY_LOW 0x3
#define MP_TRIGGER_EDGE (0x1 << 2)
#define MP_TRIGGER_LEVEL (0x3 << 2)
#define MP_CPU_ENABLED 0x1
#define MP_CPU_BSP 0x2
#define MP_APIC_VERSION 0x14
#define MP_IOAPIC_VERSION 0x11
#define MP_ISA_BUS 0
#define MP_TABLE_MAX 1024 /* it must fit in the last KiB below 640 KiB */

uint8_t linuxboot_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

static const struct linuxboot_irq *find_irq(const struct linuxboot_irq *irqs, size_t n,
					    unsigned int pin)
{
	for (size_t i = 0; i < n; i++)
		if (irqs[i].pin == pin)
			return &irqs[i];
	return NULL;
}

/* An I/O (MP_INTSRC) or local (MP_LINTSRC) interrupt assignment entry. */
static uint8_t *put_irq_entry(uint8_t *p, uint8_t entry, uint8_t irqtype, uint16_t flags,
			      uint8_t src_irq, uint8_t dst_id, uint8_t dst_pin)
{
	p[0] = entry;
	p[1] = irqtype;
	lb_wr16(p + 2, flags);
	p[4] = MP_ISA_BUS;
	p[5] = src_irq;
	p[6] = dst_id;
	p[7] = dst_pin;
	return p + 8;
}

int lb_mptable_check(unsigned int ncpus, const struct linuxboot_irq *irqs, size_t nirqs, char *err,
		     size_t errlen)
{
	if (ncpus < 1 || ncpus > LINUXBOOT_MAX_CPUS)
		return lb_fail(err, errlen, "%u vCPUs: the MP table describes 1 to %d", ncpus,
			       LINUXBOOT_MAX_CPUS);
	if (nirqs && !irqs)
		return lb_fail(err, errlen, "interrupt list is NULL");
	for (size_t i = 0; i < nirqs; i++)
		if (irqs[i].pin >= LINUXBOOT_IOAPIC_PINS)
			return lb_fail(err, errlen, "IOAPIC pin %u: the IOAPIC has %d pins",
				       irqs[i].pin, LINUXBOOT_IOAPIC_PINS);
	return 0;
}

int linuxboot_mptable_write(uint8_t *mem, size_t mem_size, uint64_t gpa, unsigned int ncpus,
			    const struct linuxboot_irq *irqs, size_t nirqs, char *err,
			    size_t errlen)
{
	uint8_t t[MP_TABLE_MAX];
	uint8_t *mpc = t + MPF_SIZE, *p;
	const uint8_t ioapic_id = (uint8_t)ncpus;
	uint16_t entries = 0;
	size_t len;

	/* Worst case: 16 + 44 + 32 * 20 + 8 + 8 + 24 * 8 + 2 * 8 = 924 bytes. */
	_Static_assert(16 + 44 + LINUXBOOT_MAX_CPUS * 20 + 16 + LINUXBOOT_IOAPIC_PINS * 8 + 16 <=
			   MP_TABLE_MAX,
		       "MP table buffer too small");
	if (lb_mptable_check(ncpus, irqs, nirqs, err, errlen))
		return -1;
	memset(t, 0, sizeof(t));

	/* Configuration table entries, after its 44-byte header. */
	p = mpc + MPC_HEADER_SIZE;
	for (unsigned int cpu = 0; cpu < ncpus; cpu++, entries++) {
		p[0] = MP_PROCESSOR;
		p[1] = (uint8_t)cpu; /* LAPIC id */
		p[2] = MP_APIC_VERSION;
		p[3] = MP_CPU_ENABLED | (cpu == 0 ? MP_CPU_BSP : 0);
		lb_wr32(p + 4, 0x600); /* CPU signature: family 6 */
		lb_wr32(p + 8, 0x201); /* feature flags: FPU, APIC */
		p += 20;
	}
	p[0] = MP_BUS;
	p[1] = MP_ISA_BUS;
	memcpy(p + 2, "ISA   ", 6);
	p += 8, entries++;
	p[0] = MP_IOAPIC;
	p[1] = ioapic_id;
	p[2] = MP_IOAPIC_VERSION;
	p[3] = 1; /* enabled */
	lb_wr32(p + 4, (uint32_t)LINUXBOOT_IOAPIC_GPA);
	p += 8, entries++;

	for (unsigned int pin = 0; pin < LINUXBOOT_IOAPIC_PINS; pin++) {
		const struct linuxboot_irq *o = find_irq(irqs, nirqs, pin);
		uint16_t flags = 0; /* ISA default: conforms to the bus (edge, high) */

		if (!o && (pin >= 16 || pin == 2)) /* 2 is the PIC cascade */
			continue;
		if (o)
			flags = (o->active_low ? MP_POLARITY_LOW : MP_POLARITY_HIGH) |
				(o->level ? MP_TRIGGER_LEVEL : MP_TRIGGER_EDGE);
		p = put_irq_entry(p, MP_INTSRC, MP_INT, flags, (uint8_t)pin, ioapic_id,
				  (uint8_t)pin);
		entries++;
	}
	/* LINT0 takes the PIC's ExtINT, LINT1 NMI, on every LAPIC (0xff). */
	p = put_irq_entry(p, MP_LINTSRC, MP_EXTINT, 0, 0, 0xff, 0);
	p = put_irq_entry(p, MP_LINTSRC, MP_NMI, 0, 0, 0xff, 1);
	entries += 2;
	len = (size_t)(p - t);

	memcpy(mpc, "PCMP", 4);
	lb_wr16(mpc + 4, (uint16_t)(len - MPF_SIZE)); /* base table length */
	mpc[6] = 4;				      /* spec revision 1.4 */
	memcpy(mpc + 8, "IRQPATH ", 8);
	memcpy(mpc + 16, "irqpath-vmm ", 12);
	lb_wr16(mpc + 34, entries);
	lb_wr32(mpc + 36, (uint32_t)LINUXBOOT_LAPIC_GPA);
	mpc[7] = (uint8_t)-linuxboot_checksum(mpc, len - MPF_SIZE);

	memcpy(t, "_MP_", 4);
	lb_wr32(t + 4, (uint32_t)(gpa + MPF_SIZE)); /* configuration table */
	t[8] = 1;				    /* length in 16-byte units */
	t[9] = 4;				    /* spec revision 1.4 */
	t[10] = (uint8_t)-linuxboot_checksum(t, MPF_SIZE);

	if (gpa + len > UINT32_MAX || lb_put(mem, mem_size, gpa, t, len))
		return lb_fail(err, errlen, "no room for the %zu-byte MP table at 0x%llx", len,
			       (unsigned long long)gpa);
	return (int)len;
}
