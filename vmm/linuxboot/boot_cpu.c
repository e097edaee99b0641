// SPDX-License-Identifier: MIT
/*
 * The CPU state the 64-bit boot protocol asks for: a GDT with flat
 * __BOOT_CS (64-bit code) and __BOOT_DS (data) descriptors, and page
 * tables that identity-map the kernel, zero page and command line (all of
 * 0-4 GiB, longmode.c).
 */
#include "lb_internal.h"
#include "linuxboot.h"
#include "longmode.h"

int lb_write_gdt(uint8_t *mem, size_t mem_size, char *err, size_t errlen)
{
	if (longmode_write_gdt(mem, mem_size, LINUXBOOT_GDT_GPA, LINUXBOOT_GDT_ENTRIES,
			       LINUXBOOT_BOOT_CS, LINUXBOOT_BOOT_DS))
		return lb_fail(err, errlen, "no room for the GDT at 0x%llx",
			       (unsigned long long)LINUXBOOT_GDT_GPA);
	return 0;
}

int lb_write_page_tables(uint8_t *mem, size_t mem_size, char *err, size_t errlen)
{
	if (longmode_write_page_tables(mem, mem_size, LINUXBOOT_PML4_GPA, LONGMODE_NO_UNCACHED))
		return lb_fail(err, errlen, "no room for the page tables at 0x%llx",
			       (unsigned long long)LINUXBOOT_PML4_GPA);
	return 0;
}
