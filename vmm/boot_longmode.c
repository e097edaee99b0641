// SPDX-License-Identifier: MIT
#include <string.h>
#include "boot_longmode.h"
#include "irqpath/guest_abi.h"
#include "linuxboot/longmode.h"

#define MICRO_CS 0x8
#define MICRO_DS 0x10
#define MICRO_GDT_ENTRIES 3
#define IDT_ENTRIES 256
#define DEVICE_WINDOWS_GPA 0xc0000000ull /* uncached from here up */

/* The kvm_segment for a flat descriptor of longmode.h, as the CPU caches it. */
static struct kvm_segment flat_segment(uint16_t selector, uint8_t access, uint8_t flags)
{
	return (struct kvm_segment){.base = 0,
				    .limit = flags & 0x8 ? (LONGMODE_FLAT_LIMIT << 12) | 0xfff
							 : LONGMODE_FLAT_LIMIT,
				    .selector = selector,
				    .type = access & 0xf,
				    .present = access >> 7,
				    .dpl = (access >> 5) & 3,
				    .s = (access >> 4) & 1,
				    .l = (flags >> 1) & 1,
				    .db = (flags >> 2) & 1,
				    .g = (flags >> 3) & 1};
}

void longmode_set_sregs(struct kvm_sregs *s, const struct longmode_entry *e)
{
	s->cs = flat_segment(e->cs, LONGMODE_CODE_ACCESS, LONGMODE_CODE_FLAGS);
	s->ds = flat_segment(e->ds, LONGMODE_DATA_ACCESS, LONGMODE_DATA_FLAGS);
	s->es = s->fs = s->gs = s->ss = s->ds;
	s->gdt.base = e->gdt_gpa;
	s->gdt.limit = e->gdt_limit;
	if (e->idt_limit) {
		s->idt.base = e->idt_gpa;
		s->idt.limit = e->idt_limit;
	}
	s->cr3 = e->cr3;
	s->cr4 = LONGMODE_CR4;
	s->cr0 = LONGMODE_CR0;
	s->efer = LONGMODE_EFER;
}

int longmode_write_tables(const struct guest_mem *m)
{
	if (longmode_write_gdt(m->host, m->size, GABI_GDT_GPA, MICRO_GDT_ENTRIES, MICRO_CS,
			       MICRO_DS))
		return -1;
	return longmode_write_page_tables(m->host, m->size, GABI_PT_GPA, DEVICE_WINDOWS_GPA);
}

void longmode_set_state(struct kvm_sregs *s, struct kvm_regs *r, uint64_t entry, uint64_t arg)
{
	longmode_set_sregs(s, &(struct longmode_entry){.gdt_gpa = GABI_GDT_GPA,
						       .gdt_limit = MICRO_GDT_ENTRIES * 8 - 1,
						       .cs = MICRO_CS,
						       .ds = MICRO_DS,
						       .cr3 = GABI_PT_GPA,
						       .idt_gpa = GABI_IDT_GPA,
						       .idt_limit = IDT_ENTRIES * 16 - 1});
	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rsp = GABI_STACK_TOP;
	r->rdi = arg;
	r->rflags = 2;
}
