// SPDX-License-Identifier: MIT
/*
 * lb-image: runs linuxboot_load as irqpath-vmm would and writes the result
 * as pieces QEMU can load, so the boot structures can be checked by booting
 * a real kernel under TCG (KVM here cannot run Linux):
 *
 *   lb-image KERNEL INITRD MEM_MIB STUB.bin OUTDIR CMDLINE [LEVEL_PINS]
 *
 * LEVEL_PINS: comma-separated IOAPIC pins the MP table marks level
 * triggered, active high (virtio-mmio interrupt lines), e.g. 12.
 * OUTDIR gets low.bin (guest-physical 0-640 KiB: GDT, page tables, zero
 * page, command line, MP table), kernel.bin, initrd.bin, bios.bin (STUB
 * with the entry rip/rsi/rsp patched in) and qemu.args, the matching
 * "-bios ... -device loader,..." options, one per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../linuxboot.h"

#define STUB_SIZE 0x10000
#define STUB_ENTRY 0xffd8 /* rip, rsi, rsp quads in reset_stub.S */
#define LOW_SIZE 0xa0000

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f) {
		fprintf(stderr, "lb-image: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	if (!buf)
		fprintf(stderr, "lb-image: cannot read %s\n", path);
	return buf;
}

static int spill(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "lb-image: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int write_image(const struct linuxboot_params *in, uint8_t *mem, size_t mem_size,
		       uint8_t *stub, size_t stub_size, const char *stub_path, const char *dir)
{
	struct linuxboot_entry e;
	char err[256], path[4096];
	FILE *args;

	if (stub_size != STUB_SIZE) {
		fprintf(stderr, "lb-image: %s is %zu bytes, want %d\n", stub_path, stub_size,
			STUB_SIZE);
		return 1;
	}
	if (linuxboot_load(in, mem, mem_size, &e, err, sizeof(err))) {
		fprintf(stderr, "lb-image: %s\n", err);
		return 1;
	}
	put64(stub + STUB_ENTRY, e.rip);
	put64(stub + STUB_ENTRY + 8, e.rsi);
	put64(stub + STUB_ENTRY + 16, e.rsp);
	if (spill(dir, "low.bin", mem, LOW_SIZE) ||
	    spill(dir, "kernel.bin", mem + e.kernel_gpa, e.kernel_size) ||
	    spill(dir, "initrd.bin", mem + e.initrd_gpa, e.initrd_size) ||
	    spill(dir, "bios.bin", stub, STUB_SIZE))
		return 1;

	snprintf(path, sizeof(path), "%s/qemu.args", dir);
	args = fopen(path, "w");
	if (!args)
		return 1;
	fprintf(args, "-bios\n%s/bios.bin\n", dir);
	fprintf(args, "-device\nloader,file=%s/low.bin,addr=0x0,force-raw=on\n", dir);
	fprintf(args, "-device\nloader,file=%s/kernel.bin,addr=0x%llx,force-raw=on\n", dir,
		(unsigned long long)e.kernel_gpa);
	fprintf(args, "-device\nloader,file=%s/initrd.bin,addr=0x%llx,force-raw=on\n", dir,
		(unsigned long long)e.initrd_gpa);
	if (fclose(args))
		return 1;
	printf("lb-image: protocol %u.%02u, rip 0x%llx, rsi 0x%llx, kernel 0x%llx-0x%llx, "
	       "initrd 0x%llx (%llu bytes), %u e820 entries\n",
	       e.protocol >> 8, e.protocol & 0xff, (unsigned long long)e.rip,
	       (unsigned long long)e.rsi, (unsigned long long)e.kernel_gpa,
	       (unsigned long long)e.kernel_end, (unsigned long long)e.initrd_gpa,
	       (unsigned long long)e.initrd_size, e.e820_entries);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct linuxboot_region windows[] = {
	    {0xfeb00000ull, 0x4000}, /* QEMU microvm's virtio-mmio slots */
	    {LINUXBOOT_IOAPIC_GPA, 0x1000},
	    {LINUXBOOT_LAPIC_GPA, 0x1000},
	};
	struct linuxboot_params in = {0};
	size_t stub_size = 0, mem_size;
	uint8_t *kernel, *initrd, *stub, *mem;
	int rc;

	struct linuxboot_irq pins[LINUXBOOT_IOAPIC_PINS];
	size_t npins = 0;

	if (argc != 7 && argc != 8) {
		fprintf(
		    stderr,
		    "usage: lb-image KERNEL INITRD MEM_MIB STUB.bin OUTDIR CMDLINE [LEVEL_PINS]\n");
		return 2;
	}
	for (char *p = argc == 8 ? argv[7] : NULL, *end; p && *p && npins < LINUXBOOT_IOAPIC_PINS;
	     p = *end ? end + 1 : end) {
		unsigned long pin = strtoul(p, &end, 0);

		if (end == p || (*end && *end != ',') || pin > 255) {
			fprintf(stderr, "lb-image: bad pin list '%s'\n", argv[7]);
			return 2;
		}
		pins[npins++] = (struct linuxboot_irq){.pin = (uint8_t)pin, .level = 1};
	}
	mem_size = (size_t)strtoul(argv[3], NULL, 0) << 20;
	kernel = slurp(argv[1], &in.kernel_size);
	initrd = slurp(argv[2], &in.initrd_size);
	stub = slurp(argv[4], &stub_size);
	mem = calloc(1, mem_size);
	in.kernel = kernel;
	in.initrd = initrd;
	in.cmdline = argv[6];
	/* LB_NCPUS: vCPUs the MP table lists (default 1), for SMP boots */
	in.ncpus = getenv("LB_NCPUS") ? (unsigned)strtoul(getenv("LB_NCPUS"), NULL, 0) : 1;
	in.reserved = windows;
	in.nreserved = 3;
	in.irqs = pins;
	in.nirqs = npins;
	rc = kernel && initrd && stub && mem
		 ? write_image(&in, mem, mem_size, stub, stub_size, argv[4], argv[5])
		 : 1;
	free(kernel);
	free(initrd);
	free(stub);
	free(mem);
	return rc;
}
