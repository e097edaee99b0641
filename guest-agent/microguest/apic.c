// SPDX-License-Identifier: MIT
/*
 * Interrupt plumbing: IDT, x2APIC (the EOI is one MSR write, as in Linux
 * guests with x2APIC), the IOAPIC redirection table, and the dispatcher
 * that counts every interrupt per vector in the mailbox.
 */
#include "guest.h"

#define MSR_APIC_BASE 0x1b
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_TPR 0x808
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_ICR 0x830
#define MSR_X2APIC_LVT0 0x835
#define MSR_X2APIC_LVT1 0x836
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_EN (1u << 11)

struct idt_entry {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, zero;
};

extern char isr_stubs[];
static irq_handler_fn handlers[256];

void idt_init(void)
{
	struct idt_entry *idt = (struct idt_entry *)GABI_IDT_GPA;
	for (unsigned v = 0; v < 256; v++) {
		u64 h = (u64)(uptr)isr_stubs + 16 * v;
		idt[v] = (struct idt_entry){.off0 = (u16)h,
					    .sel = 0x8,
					    .ist = 0,
					    .type = 0x8e, /* present, DPL0, interrupt gate */
					    .off1 = (u16)(h >> 16),
					    .off2 = (u32)(h >> 32)};
	}
	/* irqpath-vmm already points IDTR here; after a PVH boot nobody has. */
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} idtr = {256 * sizeof(struct idt_entry) - 1, GABI_IDT_GPA};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void irq_register(unsigned vector, irq_handler_fn fn)
{
	handlers[vector & 0xff] = fn;
}

void apic_init(bool bsp)
{
	/* Mask both 8259s: every device interrupt comes through the IOAPIC or MSI. */
	if (bsp) {
		outb(GABI_PORT_PIC1_DATA, 0xff);
		outb(GABI_PORT_PIC2_DATA, 0xff);
	}
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC_SVR, 0x100 | GABI_VEC_SPURIOUS);
	wrmsr(MSR_X2APIC_TPR, 0);
	wrmsr(MSR_X2APIC_LVT0, 1u << 16);
	wrmsr(MSR_X2APIC_LVT1, 1u << 16);
}

u32 apic_id(void)
{
	return (u32)rdmsr(MSR_X2APIC_ID);
}

void apic_send_ipi(unsigned dest)
{
	/* fixed delivery, physical destination, assert; x2APIC: dest in 63:32 */
	wrmsr(MSR_X2APIC_ICR, (u64)dest << 32 | 1u << 14 | GABI_VEC_IPI);
	vcpu_counts()->ipis_sent++;
}

void apic_eoi(void)
{
	wrmsr(MSR_X2APIC_EOI, 0);
}

static void ioapic_write_at(uptr base, unsigned reg, u32 v)
{
	wr32(base + 0x00, reg);
	wr32(base + 0x10, v);
}

static u32 ioapic_read_at(uptr base, unsigned reg)
{
	wr32(base + 0x00, reg);
	return rd32(base + 0x10);
}

static void route_at(uptr base, unsigned pin, unsigned vector, bool level)
{
	ioapic_write_at(base, 0x11 + 2 * pin, apic_id() << 24);
	/* fixed delivery, physical destination, active high */
	ioapic_write_at(base, 0x10 + 2 * pin, vector | (level ? 1u << 15 : 0));
}

void ioapic_route(unsigned pin, unsigned vector, bool level)
{
	route_at(GABI_IOAPIC_GPA, pin, vector, level);
}

/* Pins per IOAPIC: its version register's maximum redirection entry + 1. */
static unsigned ioapic_pins(uptr base)
{
	u32 ver = ioapic_read_at(base, 0x01);
	if (ver == 0xffffffffu)
		return 0; /* nothing there */
	return ((ver >> 16) & 0xff) + 1;
}

void ioapic_route_gsi(unsigned gsi, unsigned vector, bool level)
{
	unsigned first = ioapic_pins(GABI_IOAPIC_GPA);
	if (gsi < first) {
		route_at(GABI_IOAPIC_GPA, gsi, vector, level);
		return;
	}
	/* QEMU's microvm puts its virtio-mmio lines on a second IOAPIC. */
	unsigned second = ioapic_pins(GABI_QEMU_IOAPIC2_GPA);
	if (gsi - first >= second)
		fail("no IOAPIC pin for the device's GSI", gsi);
	route_at(GABI_QEMU_IOAPIC2_GPA, gsi - first, vector, level);
}

void isr_dispatch(u64 vector, u64 error_code, u64 rip);
void isr_dispatch(u64 vector, u64 error_code, u64 rip)
{
	if (vector < 32) {
		print("microguest: exception ");
		print_dec(vector);
		print(" error ");
		print_hex(error_code);
		print(" at ");
		print_hex(rip);
		print("\n");
		fail("CPU exception", vector);
	}
	struct gabi_vcpu *vc = vcpu_counts();
	cnt(&mb->irqs_by_vector[vector]);
	vc->irqs_by_vector[vector]++;
	vc->interrupts++;
	if (vector == GABI_VEC_SPURIOUS) /* spurious: no EOI */
		return;
	if (handlers[vector])
		handlers[vector]((unsigned)vector);
	else
		count_spurious();
	apic_eoi();
}
