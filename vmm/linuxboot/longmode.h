/* SPDX-License-Identifier: MIT */
/*
 * 64-bit entry tables both guests use (the micro-guest and Linux's 64-bit
 * boot protocol): flat code and data descriptors, and identity page tables
 * for 0-4 GiB with 2 MiB pages (PML4 -> one PDPT -> four PDs, six 4 KiB
 * pages in a row). KVM-free: they are written into a byte array of guest
 * RAM; vmm/boot_longmode.c turns the same descriptors into vCPU state.
 */
#ifndef IRQPATH_LONGMODE_H
#define IRQPATH_LONGMODE_H

#include <stddef.h>
#include <stdint.h>

/* Descriptor access byte (P, DPL, S, type) and flags nibble (G, D/B, L, AVL). */
#define LONGMODE_CODE_ACCESS 0x9bu /* present, ring 0, code exec/read, accessed */
#define LONGMODE_CODE_FLAGS 0xau   /* G, L: 64-bit code */
#define LONGMODE_DATA_ACCESS 0x93u /* present, ring 0, data read/write, accessed */
#define LONGMODE_DATA_FLAGS 0xcu   /* G, D/B */
#define LONGMODE_FLAT_LIMIT 0xfffffu

#define LONGMODE_PAGE 0x1000ull
#define LONGMODE_TABLES_SIZE (6 * LONGMODE_PAGE)
#define LONGMODE_NO_UNCACHED UINT64_MAX

/* Control registers of the entry state. */
#define LONGMODE_CR0 0x80000011u	       /* PG | ET | PE */
#define LONGMODE_CR4 (1u << 5)		       /* PAE */
#define LONGMODE_EFER ((1u << 8) | (1u << 10)) /* LME | LMA */

uint64_t longmode_gdt_entry(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);

/*
 * A GDT of n entries at gdt_gpa: zero but for flat code at selector cs and
 * flat data at selector ds. 0, or -1 if it does not fit in RAM.
 */
int longmode_write_gdt(uint8_t *mem, size_t mem_size, uint64_t gdt_gpa, unsigned n, uint16_t cs,
		       uint16_t ds);

/*
 * Identity map of 0-4 GiB at pml4_gpa (LONGMODE_TABLES_SIZE bytes); pages
 * at or above uncached_from (device windows) are PCD|PWT. 0, or -1 if the
 * tables do not fit in RAM.
 */
int longmode_write_page_tables(uint8_t *mem, size_t mem_size, uint64_t pml4_gpa,
			       uint64_t uncached_from);

#endif
