// SPDX-License-Identifier: MIT
/*
 * The Linux boot protocol loader (vmm/linuxboot/): bzImage setup-header
 * parsing, e820 map construction, zero page, command line, initrd
 * placement and the MP table, into 16 MiB of guest RAM.
 *
 * Input: counts and sizes (vCPUs, reserved windows, IOAPIC pins, command
 * line and initrd lengths), the windows (gpa, size), the pins, the command
 * line, the initrd, and the rest is the kernel file. Guest RAM is a heap
 * block of exactly its size, so ASan sees any write past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "linuxboot/linuxboot.h"

#define RAM (16u << 20)

static uint8_t *ram;

static void check_loaded(const struct linuxboot_params *in, const struct linuxboot_entry *e)
{
	FUZZ_ASSERT(e->rip == e->kernel_gpa + 0x200);
	FUZZ_ASSERT(e->kernel_gpa >= 0x100000);
	FUZZ_ASSERT(e->kernel_size <= in->kernel_size);
	FUZZ_ASSERT(e->kernel_end >= e->kernel_gpa + e->kernel_size && e->kernel_end <= RAM);
	FUZZ_ASSERT(memcmp(ram + e->kernel_gpa, in->kernel + (in->kernel_size - e->kernel_size),
			   e->kernel_size) == 0);
	if (e->initrd_size) {
		FUZZ_ASSERT(e->initrd_gpa >= e->kernel_end &&
			    e->initrd_size <= RAM - e->initrd_gpa);
		FUZZ_ASSERT(memcmp(ram + e->initrd_gpa, in->initrd, in->initrd_size) == 0);
	}
	size_t cl = in->cmdline ? strlen(in->cmdline) : 0;
	FUZZ_ASSERT(memcmp(ram + e->cmdline_gpa, in->cmdline ? in->cmdline : "", cl + 1) == 0);
	/* The MP floating pointer structure checksums to zero. */
	FUZZ_ASSERT(linuxboot_checksum(ram + e->mptable_gpa, 16) == 0);
	FUZZ_ASSERT(e->e820_entries >= 1 && e->e820_entries <= LINUXBOOT_E820_MAX);
}

static void check_e820(const struct linuxboot_region *res, size_t n)
{
	struct linuxboot_e820 map[LINUXBOOT_E820_MAX];
	char err[256];
	int k = linuxboot_e820_build(RAM, res, n, map, LINUXBOOT_E820_MAX, err, sizeof(err));
	if (k < 0)
		return;
	FUZZ_ASSERT(k <= (int)LINUXBOOT_E820_MAX);
	for (int i = 1; i < k; i++) /* sorted, no overlap */
		FUZZ_ASSERT(map[i].addr >= map[i - 1].addr + map[i - 1].size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct linuxboot_region res[LINUXBOOT_MAX_RESERVED + 1];
	struct linuxboot_irq irqs[LINUXBOOT_IOAPIC_PINS + 1];
	struct linuxboot_params p = {0};
	struct linuxboot_entry e;
	char err[512];

	if (!ram && !(ram = malloc(RAM)))
		return 0;
	p.ncpus = fin_u8(&in) % (LINUXBOOT_MAX_CPUS + 2);
	p.nreserved = fin_u8(&in) % (LINUXBOOT_MAX_RESERVED + 2);
	p.nirqs = fin_u8(&in) % (LINUXBOOT_IOAPIC_PINS + 2);
	size_t cmdlen = fin_u16(&in) % 4096;
	size_t initrd = fin_u16(&in);
	for (size_t i = 0; i < p.nreserved; i++) {
		res[i].gpa = fin_u64(&in);
		res[i].size = fin_u64(&in);
	}
	for (size_t i = 0; i < p.nirqs; i++) {
		irqs[i].pin = fin_u8(&in);
		irqs[i].level = fin_u8(&in);
		irqs[i].active_low = fin_u8(&in);
	}
	char *cmdline = calloc(1, cmdlen + 1);
	uint8_t *rd = malloc(initrd + 1);
	if (!cmdline || !rd) {
		free(cmdline);
		free(rd);
		return 0;
	}
	fin_bytes(&in, cmdline, cmdlen);
	fin_bytes(&in, rd, initrd);
	p.cmdline = cmdlen ? cmdline : NULL;
	p.initrd = rd;
	p.initrd_size = initrd;
	p.kernel = in.p;
	p.kernel_size = in.left;
	p.reserved = res;
	p.irqs = irqs;

	struct linuxboot_header h;
	if (linuxboot_parse_header(p.kernel, p.kernel_size, &h, err, sizeof(err)) == 0)
		FUZZ_ASSERT(h.setup_size + h.pm_size == p.kernel_size);
	else
		FUZZ_ASSERT(err[0] != '\0');
	check_e820(res, p.nreserved);

	err[0] = '\0';
	if (linuxboot_load(&p, ram, RAM, &e, err, sizeof(err)) == 0)
		check_loaded(&p, &e);
	else
		FUZZ_ASSERT(err[0] != '\0');
	free(cmdline);
	free(rd);
	return 0;
}
