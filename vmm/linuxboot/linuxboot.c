// SPDX-License-Identifier: MIT
/*
 * bzImage loading and the zero page (Documentation/arch/x86/boot.rst):
 * the file starts with the real-mode setup (setup_sects + 1 sectors of
 * 512 bytes, the setup header at 0x1f1), then the protected-mode kernel,
 * which we copy to its load address and enter at +0x200 in 64-bit mode.
 * Fields are read and written by offset, little-endian, so no kernel
 * header or packed struct is involved.
 */
#include <inttypes.h>
#include <string.h>

#include "lb_internal.h"
#include "linuxboot.h"

/* Setup header fields: offsets in the bzImage and in the zero page alike. */
#define HDR_START 0x1f1
#define HDR_SETUP_SECTS 0x1f1
#define HDR_VID_MODE 0x1fa
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200 /* its second byte: header length past 0x202 */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_2_06 0x23c /* through cmdline_size */
#define HDR_END_2_10 0x264 /* through init_size */

/* Zero page fields outside the setup header. */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 0x1000

#define BOOT_FLAG 0xaa55
#define HDRS_MAGIC 0x53726448u /* "HdrS" */
#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define LOADER_UNDEFINED 0xff
#define ENTRY_64_OFFSET 0x200
#define PAGE_MASK_4K (~0xfffull)

int linuxboot_parse_header(const uint8_t *k, size_t size, struct linuxboot_header *hdr, char *err,
			   size_t errlen)
{
	size_t need;

	memset(hdr, 0, sizeof(*hdr));
	if (!k)
		return lb_fail(err, errlen, "no kernel image given");
	if (size < HDR_VERSION + 2)
		return lb_fail(err, errlen,
			       "kernel image truncated: %zu bytes, the setup header needs 0x%x",
			       size, HDR_VERSION + 2);
	if (lb_rd16(k + HDR_BOOT_FLAG) != BOOT_FLAG)
		return lb_fail(err, errlen,
			       "not a bzImage: boot flag 0x%04x at 0x1fe, expected 0xaa55",
			       lb_rd16(k + HDR_BOOT_FLAG));
	if (lb_rd32(k + HDR_MAGIC) != HDRS_MAGIC)
		return lb_fail(err, errlen, "not a bzImage: no \"HdrS\" signature at 0x202");
	hdr->protocol = lb_rd16(k + HDR_VERSION);
	if (hdr->protocol < 0x0206)
		return lb_fail(err, errlen,
			       "boot protocol %u.%02u is too old (2.06 or later needed)",
			       hdr->protocol >> 8, hdr->protocol & 0xff);
	need = hdr->protocol >= 0x020a ? HDR_END_2_10 : HDR_END_2_06;
	if (HDR_MAGIC + (size_t)k[HDR_JUMP + 1] > need)
		need = HDR_MAGIC + (size_t)k[HDR_JUMP + 1];
	if (size < need)
		return lb_fail(
		    err, errlen,
		    "kernel image truncated: %zu bytes, protocol %u.%02u's header ends at 0x%zx",
		    size, hdr->protocol >> 8, hdr->protocol & 0xff, need);

	hdr->setup_sects = k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4;
	hdr->loadflags = k[HDR_LOADFLAGS];
	hdr->cmdline_size = lb_rd32(k + HDR_CMDLINE_SIZE);
	hdr->initrd_addr_max = lb_rd32(k + HDR_INITRD_ADDR_MAX);
	hdr->kernel_alignment = lb_rd32(k + HDR_KERNEL_ALIGNMENT);
	hdr->relocatable = k[HDR_RELOCATABLE];
	hdr->xloadflags = lb_rd16(k + HDR_XLOADFLAGS);
	if (hdr->protocol >= 0x020a) {
		hdr->pref_address = lb_rd64(k + HDR_PREF_ADDRESS);
		hdr->init_size = lb_rd32(k + HDR_INIT_SIZE);
	}
	if (!(hdr->loadflags & LOADED_HIGH))
		return lb_fail(
		    err, errlen,
		    "kernel is not loadable at 1 MiB (LOADED_HIGH clear): a zImage, not a bzImage");
	if (hdr->protocol >= 0x020c && !(hdr->xloadflags & XLF_KERNEL_64))
		return lb_fail(
		    err, errlen,
		    "kernel has no 64-bit entry point (XLF_KERNEL_64 clear): a 32-bit kernel?");
	hdr->setup_size = ((uint64_t)hdr->setup_sects + 1) * 512;
	if (size <= hdr->setup_size)
		return lb_fail(
		    err, errlen,
		    "kernel image truncated: %zu bytes, no protected-mode kernel after the %" PRIu64
		    " setup bytes",
		    size, hdr->setup_size);
	hdr->pm_size = size - hdr->setup_size;
	return 0;
}

/* Where the protected-mode kernel goes and how much memory it will use. */
static uint64_t load_address(const struct linuxboot_header *h)
{
	return h->pref_address >= LINUXBOOT_HIGH_RAM_START ? h->pref_address
							   : LINUXBOOT_HIGH_RAM_START;
}

static void build_zero_page(uint8_t *bp, const uint8_t *kernel, const struct linuxboot_header *h,
			    uint64_t load, uint64_t initrd_gpa, uint64_t initrd_size,
			    const struct linuxboot_e820 *map, int nmap)
{
	size_t hdr_end = HDR_MAGIC + (size_t)kernel[HDR_JUMP + 1];

	memset(bp, 0, BP_SIZE);
	/* The setup header travels into the zero page, then we fill in ours. */
	memcpy(bp + HDR_START, kernel + HDR_START, hdr_end - HDR_START);
	bp[HDR_SETUP_SECTS] = h->setup_sects;
	lb_wr16(bp + HDR_VID_MODE, 0xffff); /* "normal" */
	bp[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	bp[HDR_LOADFLAGS] = h->loadflags;
	lb_wr32(bp + HDR_CODE32_START, (uint32_t)load);
	lb_wr32(bp + HDR_RAMDISK_IMAGE, (uint32_t)initrd_gpa);
	lb_wr32(bp + HDR_RAMDISK_SIZE, (uint32_t)initrd_size);
	lb_wr32(bp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_gpa >> 32));
	lb_wr32(bp + BP_EXT_RAMDISK_SIZE, (uint32_t)(initrd_size >> 32));
	lb_wr32(bp + HDR_CMD_LINE_PTR, (uint32_t)LINUXBOOT_CMDLINE_GPA);
	lb_wr32(bp + BP_EXT_CMD_LINE_PTR, (uint32_t)(LINUXBOOT_CMDLINE_GPA >> 32));

	bp[BP_E820_ENTRIES] = (uint8_t)nmap;
	for (int i = 0; i < nmap; i++) {
		uint8_t *e = bp + BP_E820_TABLE + 20 * (size_t)i;

		lb_wr64(e, map[i].addr);
		lb_wr64(e + 8, map[i].size);
		lb_wr32(e + 16, map[i].type);
	}
}

int linuxboot_load(const struct linuxboot_params *in, uint8_t *mem, size_t mem_size,
		   struct linuxboot_entry *out, char *err, size_t errlen)
{
	struct linuxboot_e820 map[LINUXBOOT_E820_MAX];
	struct linuxboot_header h;
	uint8_t bp[BP_SIZE];
	uint64_t load, kernel_end, initrd_gpa = 0, limit;
	size_t cmdlen;
	int nmap, mplen;

	if (!in || !mem || !out)
		return lb_fail(err, errlen, "NULL argument");
	memset(out, 0, sizeof(*out));
	if (linuxboot_parse_header(in->kernel, in->kernel_size, &h, err, errlen))
		return -1;

	if (lb_mptable_check(in->ncpus, in->irqs, in->nirqs, err, errlen))
		return -1;
	load = load_address(&h);
	kernel_end = load + (h.init_size > h.pm_size ? h.init_size : h.pm_size);
	if (kernel_end > mem_size)
		return lb_fail(err, errlen,
			       "memory too small: the kernel needs 0x%" PRIx64 "-0x%" PRIx64
			       " (init_size 0x%x), guest memory ends at 0x%zx",
			       load, kernel_end - 1, h.init_size, mem_size);

	cmdlen = in->cmdline ? strlen(in->cmdline) : 0;
	if (cmdlen > h.cmdline_size || cmdlen >= LINUXBOOT_CMDLINE_MAX)
		return lb_fail(
		    err, errlen, "command line is %zu bytes, the kernel takes at most %u", cmdlen,
		    h.cmdline_size < LINUXBOOT_CMDLINE_MAX - 1 ? h.cmdline_size
							       : LINUXBOOT_CMDLINE_MAX - 1);

	if (in->initrd_size) {
		if (!in->initrd)
			return lb_fail(err, errlen, "initrd size %zu but no initrd data",
				       in->initrd_size);
		/* Highest page-aligned spot below initrd_addr_max and the end of RAM. */
		limit = (uint64_t)h.initrd_addr_max + 1;
		if (limit > mem_size)
			limit = mem_size;
		if (in->initrd_size > limit ||
		    ((limit - in->initrd_size) & PAGE_MASK_4K) < kernel_end)
			return lb_fail(
			    err, errlen,
			    "initrd too large: %zu bytes do not fit between the kernel's end "
			    "0x%" PRIx64 " and 0x%" PRIx64 " (initrd_addr_max 0x%x, memory 0x%zx)",
			    in->initrd_size, kernel_end, limit, h.initrd_addr_max, mem_size);
		initrd_gpa = (limit - in->initrd_size) & PAGE_MASK_4K;
	}

	nmap = linuxboot_e820_build(mem_size, in->reserved, in->nreserved, map, LINUXBOOT_E820_MAX,
				    err, errlen);
	if (nmap < 0)
		return -1;

	/* Everything is checked: now write. */
	if (lb_write_gdt(mem, mem_size, err, errlen) ||
	    lb_write_page_tables(mem, mem_size, err, errlen))
		return -1;
	build_zero_page(bp, in->kernel, &h, load, initrd_gpa, in->initrd_size, map, nmap);
	if (lb_put(mem, mem_size, LINUXBOOT_ZERO_PAGE_GPA, bp, sizeof(bp)))
		return lb_fail(err, errlen, "no room for the zero page");
	if (lb_put(mem, mem_size, LINUXBOOT_CMDLINE_GPA, in->cmdline ? in->cmdline : "", cmdlen) ||
	    lb_put(mem, mem_size, LINUXBOOT_CMDLINE_GPA + cmdlen, "", 1))
		return lb_fail(err, errlen, "no room for the command line");
	if (lb_put(mem, mem_size, load, in->kernel + h.setup_size, h.pm_size))
		return lb_fail(err, errlen, "no room for the kernel at 0x%" PRIx64, load);
	if (in->initrd_size && lb_put(mem, mem_size, initrd_gpa, in->initrd, in->initrd_size))
		return lb_fail(err, errlen, "no room for the initrd at 0x%" PRIx64, initrd_gpa);
	mplen = linuxboot_mptable_write(mem, mem_size, LINUXBOOT_MPTABLE_GPA, in->ncpus, in->irqs,
					in->nirqs, err, errlen);
	if (mplen < 0)
		return -1;

	out->rip = load + ENTRY_64_OFFSET;
	out->rsi = LINUXBOOT_ZERO_PAGE_GPA;
	out->rsp = LINUXBOOT_STACK_TOP;
	out->cr3 = LINUXBOOT_PML4_GPA;
	out->gdt_gpa = LINUXBOOT_GDT_GPA;
	out->gdt_limit = LINUXBOOT_GDT_ENTRIES * 8 - 1;
	out->cs = LINUXBOOT_BOOT_CS;
	out->ds = LINUXBOOT_BOOT_DS;
	out->kernel_gpa = load;
	out->kernel_size = h.pm_size;
	out->kernel_end = kernel_end;
	out->initrd_gpa = initrd_gpa;
	out->initrd_size = in->initrd_size;
	out->cmdline_gpa = LINUXBOOT_CMDLINE_GPA;
	out->mptable_gpa = LINUXBOOT_MPTABLE_GPA;
	out->protocol = h.protocol;
	out->e820_entries = (unsigned int)nmap;
	return 0;
}
