// SPDX-License-Identifier: MIT
/*
 * The CPU state the 64-bit boot protocol asks for: a GDT with flat
 * __BOOT_CS (64-bit code) and __BOOT_DS (data) descriptors, and page
 * tables that identity-map the kernel, zero page and command line. We map
 * all of 0-4 GiB with 2 MiB pages: PML4 -> one PDPT -> four PDs.
 */
#include <string.h>

#include "lb_internal.h"
#include "linuxboot.h"

#define PTE_PRESENT 0x1ull
#define PTE_WRITE 0x2ull
#define PTE_LARGE 0x80ull
#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull

/* access: P/DPL/S/type byte; flags: G, D/B, L, AVL nibble. */
static uint64_t gdt_entry(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

int lb_write_gdt(uint8_t *mem, size_t mem_size, char *err, size_t errlen)
{
	uint8_t gdt[LINUXBOOT_GDT_ENTRIES * 8];

	memset(gdt, 0, sizeof(gdt));
	/* 0x10: present, ring 0, code exec/read, accessed; G=1, L=1. */
	lb_wr64(gdt + LINUXBOOT_BOOT_CS, gdt_entry(0, 0xfffff, 0x9b, 0xa));
	/* 0x18: present, ring 0, data read/write, accessed; G=1, D/B=1. */
	lb_wr64(gdt + LINUXBOOT_BOOT_DS, gdt_entry(0, 0xfffff, 0x93, 0xc));
	if (lb_put(mem, mem_size, LINUXBOOT_GDT_GPA, gdt, sizeof(gdt)))
		return lb_fail(err, errlen, "no room for the GDT at 0x%llx",
			       (unsigned long long)LINUXBOOT_GDT_GPA);
	return 0;
}

int lb_write_page_tables(uint8_t *mem, size_t mem_size, char *err, size_t errlen)
{
	const uint64_t pml4 = LINUXBOOT_PML4_GPA, pdpt = pml4 + PAGE_4K, pd = pdpt + PAGE_4K;
	uint8_t *p;

	if (!lb_fits(pml4, 6 * PAGE_4K, mem_size))
		return lb_fail(err, errlen, "no room for the page tables at 0x%llx",
			       (unsigned long long)pml4);
	memset(mem + pml4, 0, 6 * PAGE_4K);
	lb_wr64(mem + pml4, pdpt | PTE_PRESENT | PTE_WRITE);
	for (unsigned int i = 0; i < 4; i++) {
		lb_wr64(mem + pdpt + 8 * i, (pd + i * PAGE_4K) | PTE_PRESENT | PTE_WRITE);
		p = mem + pd + i * PAGE_4K;
		for (unsigned int j = 0; j < 512; j++)
			lb_wr64(p + 8 * j, ((uint64_t)(i * 512 + j) * PAGE_2M) | PTE_PRESENT |
					       PTE_WRITE | PTE_LARGE);
	}
	return 0;
}
