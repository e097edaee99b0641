// SPDX-License-Identifier: MIT
#include "longmode.h"

#include <string.h>

#include "lb_internal.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull /* a 2 MiB page in a PD */
#define PAGE_2M 0x200000ull

uint64_t longmode_gdt_entry(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

int longmode_write_gdt(uint8_t *mem, size_t mem_size, uint64_t gdt_gpa, unsigned n, uint16_t cs,
		       uint16_t ds)
{
	uint64_t len = (uint64_t)n * 8;
	if (cs + 8u > len || ds + 8u > len || !lb_fits(gdt_gpa, len, mem_size))
		return -1;
	uint8_t *gdt = mem + gdt_gpa;
	memset(gdt, 0, len);
	lb_wr64(gdt + cs, longmode_gdt_entry(0, LONGMODE_FLAT_LIMIT, LONGMODE_CODE_ACCESS,
					     LONGMODE_CODE_FLAGS));
	lb_wr64(gdt + ds, longmode_gdt_entry(0, LONGMODE_FLAT_LIMIT, LONGMODE_DATA_ACCESS,
					     LONGMODE_DATA_FLAGS));
	return 0;
}

int longmode_write_page_tables(uint8_t *mem, size_t mem_size, uint64_t pml4_gpa,
			       uint64_t uncached_from)
{
	const uint64_t pdpt = pml4_gpa + LONGMODE_PAGE, pd = pdpt + LONGMODE_PAGE;
	if (!lb_fits(pml4_gpa, LONGMODE_TABLES_SIZE, mem_size))
		return -1;
	memset(mem + pml4_gpa, 0, LONGMODE_TABLES_SIZE);
	lb_wr64(mem + pml4_gpa, pdpt | PTE_P | PTE_RW);
	for (uint64_t g = 0; g < 4; g++) {
		uint8_t *p = mem + pd + g * LONGMODE_PAGE;
		lb_wr64(mem + pdpt + 8 * g, (pd + g * LONGMODE_PAGE) | PTE_P | PTE_RW);
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t pa = (g * 512 + i) * PAGE_2M;
			uint64_t attr = PTE_P | PTE_RW | PTE_PS;
			if (pa >= uncached_from)
				attr |= PTE_PCD | PTE_PWT;
			lb_wr64(p + 8 * i, pa | attr);
		}
	}
	return 0;
}
