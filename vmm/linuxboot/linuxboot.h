/* SPDX-License-Identifier: MIT */
/*
 * Linux x86-64 boot protocol for irqpath-vmm: loads a bzImage and builds
 * everything the kernel's 64-bit entry point expects (zero page with the
 * e820 map, command line, initramfs, GDT, identity page tables) plus an
 * Intel MP table describing the vCPUs and the IOAPIC, all inside one
 * caller-supplied guest-memory buffer (guest-physical 0 .. mem_size).
 * Nothing is ever written outside that buffer.
 *
 * Guest-physical layout (see README.md):
 *   0x00500  GDT (null, null, __BOOT_CS 0x10, __BOOT_DS 0x18)
 *   0x01000  PML4, 0x2000 PDPT, 0x3000-0x6fff four PDs: 0-4 GiB identity, 2 MiB pages
 *   0x07000  zero page (struct boot_params)
 *   0x08000  boot stack (rsp starts at 0x8ff0)
 *   0x20000  command line
 *   0x9fc00  MP floating pointer + configuration table (last KiB below 640 KiB)
 *   load     protected-mode kernel (pref_address, or 1 MiB for old kernels)
 *   initrd   highest page-aligned spot under initrd_addr_max and mem_size
 */
#ifndef IRQPATH_LINUXBOOT_H
#define IRQPATH_LINUXBOOT_H

#include <stddef.h>
#include <stdint.h>

#define LINUXBOOT_GDT_GPA 0x500ull
#define LINUXBOOT_PML4_GPA 0x1000ull
#define LINUXBOOT_ZERO_PAGE_GPA 0x7000ull
#define LINUXBOOT_STACK_TOP 0x8ff0ull
#define LINUXBOOT_CMDLINE_GPA 0x20000ull
#define LINUXBOOT_CMDLINE_MAX 0x10000u /* the room reserved at CMDLINE_GPA */
#define LINUXBOOT_MPTABLE_GPA 0x9fc00ull
#define LINUXBOOT_LOW_RAM_END 0x9fc00ull /* RAM below 640 KiB ends at the MP table */
#define LINUXBOOT_HIGH_RAM_START 0x100000ull
#define LINUXBOOT_IOAPIC_GPA 0xfec00000ull
#define LINUXBOOT_LAPIC_GPA 0xfee00000ull

/* Selectors the 64-bit boot protocol requires (flat 4 GiB segments). */
#define LINUXBOOT_BOOT_CS 0x10
#define LINUXBOOT_BOOT_DS 0x18
#define LINUXBOOT_GDT_ENTRIES 4

#define LINUXBOOT_MAX_CPUS 32
#define LINUXBOOT_MAX_RESERVED 16
#define LINUXBOOT_IOAPIC_PINS 24

/* e820 types */
#define LINUXBOOT_E820_RAM 1
#define LINUXBOOT_E820_RESERVED 2

/* A device window to mark reserved in the e820 map (must lie above RAM). */
struct linuxboot_region {
	uint64_t gpa;
	uint64_t size;
};

/* An IOAPIC input the MP table describes (ISA IRQs 0-15 get defaults). */
struct linuxboot_irq {
	uint8_t pin;	    /* IOAPIC input, < LINUXBOOT_IOAPIC_PINS */
	uint8_t level;	    /* 1: level triggered, 0: edge */
	uint8_t active_low; /* 1: active low, 0: active high */
};

struct linuxboot_params {
	const uint8_t *kernel; /* the bzImage file */
	size_t kernel_size;
	const uint8_t *initrd; /* may be NULL (initrd_size 0) */
	size_t initrd_size;
	const char *cmdline;			 /* may be NULL */
	unsigned int ncpus;			 /* 1 .. LINUXBOOT_MAX_CPUS */
	const struct linuxboot_region *reserved; /* device windows */
	size_t nreserved;
	const struct linuxboot_irq *irqs; /* pins to describe (overrides for 0-15) */
	size_t nirqs;
};

/* What the VMM must set on the boot vCPU, and where things went. */
struct linuxboot_entry {
	uint64_t rip; /* 64-bit entry: load address + 0x200 */
	uint64_t rsi; /* zero page */
	uint64_t rsp;
	uint64_t cr3;	  /* PML4: identity map of 0-4 GiB */
	uint64_t gdt_gpa; /* GDT base; limit gdt_limit */
	uint16_t gdt_limit;
	uint16_t cs, ds;     /* selectors: cs 64-bit code, ds/es/ss flat data */
	uint64_t kernel_gpa; /* where the protected-mode kernel was copied */
	uint64_t kernel_size;
	uint64_t kernel_end; /* kernel_gpa + init_size (memory the kernel uses) */
	uint64_t initrd_gpa; /* 0 when there is no initrd */
	uint64_t initrd_size;
	uint64_t cmdline_gpa;
	uint64_t mptable_gpa;
	uint16_t protocol; /* boot protocol version, e.g. 0x020f */
	unsigned int e820_entries;
};

/* Parsed bzImage setup header (the fields the loader uses). */
struct linuxboot_header {
	uint16_t protocol;
	uint8_t setup_sects;
	uint8_t loadflags;
	uint32_t cmdline_size;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable;
	uint16_t xloadflags;
	uint64_t pref_address;
	uint32_t init_size;
	uint64_t setup_size; /* bytes before the protected-mode kernel */
	uint64_t pm_size;    /* protected-mode kernel bytes in the file */
};

/*
 * Validates a bzImage's setup header. Returns 0, or -1 with a message
 * naming the problem in err (truncated file, bad boot flag, no "HdrS",
 * protocol older than 2.06, not loadable high, no 64-bit entry point).
 */
int linuxboot_parse_header(const uint8_t *kernel, size_t size, struct linuxboot_header *hdr,
			   char *err, size_t errlen);

/*
 * Loads the kernel and builds every boot structure in mem (guest-physical
 * 0 .. mem_size, all of it RAM). Returns 0 and fills out, or -1 with a
 * message in err; on error mem may hold partial writes, never any outside.
 */
int linuxboot_load(const struct linuxboot_params *in, uint8_t *mem, size_t mem_size,
		   struct linuxboot_entry *out, char *err, size_t errlen);

/* ---- the pieces, exposed for the VMM and the tests ---- */

struct linuxboot_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};
#define LINUXBOOT_E820_MAX 128 /* what the zero page holds */

/*
 * The e820 map for RAM 0 .. ram_size and the reserved windows, sorted by
 * address. Returns the entry count, or -1 with err set (window overlapping
 * RAM or another window, too many windows, RAM too small).
 */
int linuxboot_e820_build(uint64_t ram_size, const struct linuxboot_region *reserved,
			 size_t nreserved, struct linuxboot_e820 *map, size_t max, char *err,
			 size_t errlen);

/*
 * Writes the MP floating pointer + configuration table at gpa. Returns its
 * size in bytes, or -1 with err set. Checksums are filled in.
 */
int linuxboot_mptable_write(uint8_t *mem, size_t mem_size, uint64_t gpa, unsigned int ncpus,
			    const struct linuxboot_irq *irqs, size_t nirqs, char *err,
			    size_t errlen);

/* Sum of bytes mod 256 (0 for a table with a correct checksum). */
uint8_t linuxboot_checksum(const uint8_t *p, size_t len);

#endif
