// SPDX-License-Identifier: MIT
#include <string.h>
#include "boot_longmode.h"
#include "irqpath/guest_abi.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull

int longmode_write_tables(const struct guest_mem *m)
{
	uint64_t *gdt = gm_ptr(m, GABI_GDT_GPA, 24);
	uint64_t *pt = gm_ptr(m, GABI_PT_GPA, 6 * 4096);
	if (!gdt || !pt)
		return -1;
	gdt[0] = 0;
	gdt[1] = 0x00209a0000000000ull; /* code: present, DPL0, L=1 */
	gdt[2] = 0x00cf92000000ffffull; /* data: present, writable, 4 GiB */

	uint64_t *pml4 = pt, *pdpt = pt + 512;
	memset(pt, 0, 6 * 4096);
	pml4[0] = (GABI_PT_GPA + 0x1000) | PTE_P | PTE_RW;
	for (uint64_t g = 0; g < 4; g++) {
		uint64_t pd_gpa = GABI_PT_GPA + 0x2000 + g * 0x1000;
		uint64_t *pd = pt + 512 * (2 + g);
		pdpt[g] = pd_gpa | PTE_P | PTE_RW;
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t pa = (g << 30) | (i << 21);
			uint64_t attr = PTE_P | PTE_RW | PTE_PS;
			if (pa >= 0xc0000000ull)
				attr |= PTE_PCD | PTE_PWT; /* device windows */
			pd[i] = pa | attr;
		}
	}
	return 0;
}

void longmode_set_state(struct kvm_sregs *s, struct kvm_regs *r, uint64_t entry, uint64_t arg)
{
	struct kvm_segment cs = {.base = 0,
				 .limit = 0xffffffff,
				 .selector = 0x8,
				 .type = 11,
				 .present = 1,
				 .dpl = 0,
				 .db = 0,
				 .s = 1,
				 .l = 1,
				 .g = 1};
	struct kvm_segment ds = {.base = 0,
				 .limit = 0xffffffff,
				 .selector = 0x10,
				 .type = 3,
				 .present = 1,
				 .dpl = 0,
				 .db = 1,
				 .s = 1,
				 .l = 0,
				 .g = 1};
	s->cs = cs;
	s->ds = s->es = s->fs = s->gs = s->ss = ds;
	s->gdt.base = GABI_GDT_GPA;
	s->gdt.limit = 23;
	s->idt.base = GABI_IDT_GPA;
	s->idt.limit = 256 * 16 - 1;
	s->cr3 = GABI_PT_GPA;
	s->cr4 = 1u << 5;		  /* PAE */
	s->cr0 = 0x80000011u;		  /* PG | ET | PE */
	s->efer = (1u << 8) | (1u << 10); /* LME | LMA */
	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rsp = GABI_STACK_TOP;
	r->rdi = arg;
	r->rflags = 2;
}
