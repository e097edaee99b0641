// SPDX-License-Identifier: MIT
/*
 * linuxboot unit tests: a synthetic bzImage (every field checked in the
 * structures written), Debian's real vmlinuz when make guest-linux has run,
 * and bad inputs that must fail with a message naming the problem and
 * without writing anything (a guard zone past the buffer must stay intact).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../linuxboot.h"

#define MiB (1024ull * 1024)
#define GUARD 4096
#define GUARD_BYTE 0xa5

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}
static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}
static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}
static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* ---- guest memory with a guard zone ---- */

struct guest {
	uint8_t *mem;
	size_t size;
};

static struct guest guest_new(size_t size)
{
	struct guest g = {calloc(1, size + GUARD), size};

	assert_non_null(g.mem);
	memset(g.mem + size, GUARD_BYTE, GUARD);
	return g;
}

static void guest_check_free(struct guest *g)
{
	for (size_t i = 0; i < GUARD; i++)
		if (g->mem[g->size + i] != GUARD_BYTE)
			fail_msg("write past the guest buffer at offset 0x%zx", g->size + i);
	free(g->mem);
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* ---- a synthetic bzImage ---- */

struct kimg {
	uint8_t *data;
	size_t size;
};

#define SETUP_SECTS 4
#define SETUP_BYTES ((SETUP_SECTS + 1) * 512)

static struct kimg kimg_new(size_t pm_size)
{
	struct kimg k = {calloc(1, SETUP_BYTES + pm_size), SETUP_BYTES + pm_size};
	uint8_t *d = k.data;

	assert_non_null(d);
	d[0x1f1] = SETUP_SECTS;
	wr16(d + 0x1fe, 0xaa55);
	d[0x200] = 0xeb; /* jmp */
	d[0x201] = 0x6a; /* header ends at 0x26c */
	memcpy(d + 0x202, "HdrS", 4);
	wr16(d + 0x206, 0x020f);
	d[0x211] = 0x01;	     /* LOADED_HIGH */
	wr32(d + 0x22c, 0x7fffffff); /* initrd_addr_max */
	wr32(d + 0x230, 0x200000);   /* kernel_alignment */
	d[0x234] = 1;		     /* relocatable */
	wr16(d + 0x236, 0x1 | 0x2);  /* XLF_KERNEL_64 | CAN_BE_LOADED_ABOVE_4G */
	wr32(d + 0x238, 2047);	     /* cmdline_size */
	wr64(d + 0x258, 0x1000000);  /* pref_address */
	wr32(d + 0x260, 4 * MiB);    /* init_size */
	for (size_t i = 0; i < pm_size; i++)
		d[SETUP_BYTES + i] = (uint8_t)(i * 7 + 3);
	return k;
}

static const struct linuxboot_region windows[] = {
    {0xd0000000ull, 0x1000},
    {0xe0000000ull, 0x8000},
    {0xfec00000ull, 0x1000},
    {0xfee00000ull, 0x1000},
};
static const struct linuxboot_irq legacy_pin[] = {{.pin = 5, .level = 1, .active_low = 0}};

static struct linuxboot_params params_for(const struct kimg *k)
{
	return (struct linuxboot_params){
	    .kernel = k->data,
	    .kernel_size = k->size,
	    .cmdline = "console=ttyS0 irqpath.server=10.0.0.1",
	    .ncpus = 2,
	    .reserved = windows,
	    .nreserved = 4,
	    .irqs = legacy_pin,
	    .nirqs = 1,
	};
}

/* ---- checks on what was written ---- */

/* Walks PML4 -> PDPT -> PD (2 MiB pages); returns the mapped address or -1. */
static uint64_t walk(const uint8_t *mem, uint64_t cr3, uint64_t va)
{
	uint64_t e = rd64(mem + cr3 + 8 * ((va >> 39) & 511));

	if (!(e & 1))
		return (uint64_t)-1;
	e = rd64(mem + (e & ~0xfffull) + 8 * ((va >> 30) & 511));
	if (!(e & 1))
		return (uint64_t)-1;
	e = rd64(mem + (e & ~0xfffull) + 8 * ((va >> 21) & 511));
	if (!(e & 1) || !(e & 0x80))
		return (uint64_t)-1;
	return (e & ~0x1fffffull) + (va & 0x1fffff);
}

static void check_e820(const uint8_t *zp, size_t mem_size)
{
	unsigned int n = zp[0x1e8];
	uint64_t prev_end = 0, ram_low = 0, ram_high = 0;
	int saw_window = 0;

	assert_true(n >= 4);
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = zp + 0x2d0 + 20 * i;
		uint64_t addr = rd64(e), size = rd64(e + 8);
		uint32_t type = rd32(e + 16);

		assert_true(size > 0);
		assert_true(addr >= prev_end); /* sorted, no overlap */
		prev_end = addr + size;
		if (type == LINUXBOOT_E820_RAM && addr == 0)
			ram_low = size;
		if (type == LINUXBOOT_E820_RAM && addr == 0x100000)
			ram_high = addr + size;
		if (type == LINUXBOOT_E820_RAM)
			assert_true(addr + size <= mem_size);
		if (addr == 0xd0000000ull && type == LINUXBOOT_E820_RESERVED)
			saw_window = 1;
	}
	assert_int_equal(ram_low, 0x9fc00);
	assert_int_equal(ram_high, mem_size);
	assert_true(saw_window);
}

static void check_mptable(const uint8_t *mem, unsigned int ncpus)
{
	const uint8_t *mpf = mem + LINUXBOOT_MPTABLE_GPA, *mpc, *p;
	unsigned int cpus = 0, ioapics = 0, bsp = 0, pin5 = 0, pin2 = 0, entries;
	uint16_t len;

	assert_memory_equal(mpf, "_MP_", 4);
	assert_int_equal(linuxboot_checksum(mpf, 16), 0);
	assert_int_equal(mpf[8], 1);
	mpc = mem + rd32(mpf + 4);
	assert_memory_equal(mpc, "PCMP", 4);
	len = rd16(mpc + 4);
	assert_true(len > 44 && rd32(mpf + 4) + len <= 0xa0000);
	assert_int_equal(linuxboot_checksum(mpc, len), 0);
	assert_int_equal(rd32(mpc + 36), LINUXBOOT_LAPIC_GPA);
	entries = rd16(mpc + 34);
	p = mpc + 44;
	for (unsigned int i = 0; i < entries; i++) {
		switch (p[0]) {
		case 0:
			assert_int_equal(p[1], cpus);
			if (p[3] & 2)
				bsp++;
			cpus++;
			p += 20;
			break;
		case 2:
			assert_int_equal(rd32(p + 4), LINUXBOOT_IOAPIC_GPA);
			ioapics++;
			p += 8;
			break;
		case 3:
			if (p[7] == 5) {
				pin5++;
				assert_int_equal(rd16(p + 2), 0x1 | 0xc); /* active high, level */
			}
			if (p[7] == 2)
				pin2++;
			p += 8;
			break;
		default:
			p += 8;
		}
	}
	assert_ptr_equal(p, mpc + len);
	assert_int_equal(cpus, ncpus);
	assert_int_equal(bsp, 1);
	assert_int_equal(ioapics, 1);
	assert_int_equal(pin5, 1);
	assert_int_equal(pin2, 0);
}

static void check_cpu_state(const uint8_t *mem, const struct linuxboot_entry *e)
{
	assert_int_equal(e->cs, 0x10);
	assert_int_equal(e->ds, 0x18);
	assert_int_equal(e->gdt_limit, 31);
	assert_int_equal(rd64(mem + e->gdt_gpa + 0x10), 0x00af9b000000ffffull);
	assert_int_equal(rd64(mem + e->gdt_gpa + 0x18), 0x00cf93000000ffffull);
	assert_int_equal(walk(mem, e->cr3, 0), 0);
	assert_int_equal(walk(mem, e->cr3, e->rip), e->rip);
	assert_int_equal(walk(mem, e->cr3, e->kernel_end - 1), e->kernel_end - 1);
	assert_int_equal(walk(mem, e->cr3, 0xfee00000ull), 0xfee00000ull);
	assert_int_equal(walk(mem, e->cr3, 0x100000000ull), (uint64_t)-1);
}

/* ---- tests ---- */

static void test_synthetic_load(void **state)
{
	(void)state;
	struct kimg k = kimg_new(1 * MiB);
	struct guest g = guest_new(64 * MiB);
	struct linuxboot_params in = params_for(&k);
	struct linuxboot_entry e;
	uint8_t initrd[100 * 1024];
	char err[256] = "";
	const uint8_t *zp;

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0x5a);
	in.initrd = initrd;
	in.initrd_size = sizeof(initrd);
	assert_int_equal(linuxboot_load(&in, g.mem, g.size, &e, err, sizeof(err)), 0);

	assert_int_equal(e.rip, 0x1000000 + 0x200);
	assert_int_equal(e.rsi, LINUXBOOT_ZERO_PAGE_GPA);
	assert_int_equal(e.protocol, 0x020f);
	assert_int_equal(e.kernel_gpa, 0x1000000);
	assert_int_equal(e.kernel_end, 0x1000000 + 4 * MiB);
	assert_memory_equal(g.mem + e.kernel_gpa, k.data + SETUP_BYTES, 1 * MiB);

	zp = g.mem + e.rsi;
	assert_int_equal(rd16(zp + 0x1fe), 0xaa55);
	assert_memory_equal(zp + 0x202, "HdrS", 4);
	assert_int_equal(zp[0x210], 0xff); /* type_of_loader */
	assert_int_equal(rd32(zp + 0x228), LINUXBOOT_CMDLINE_GPA);
	assert_string_equal((const char *)g.mem + rd32(zp + 0x228), in.cmdline);
	assert_int_equal(rd32(zp + 0x218), e.initrd_gpa);
	assert_int_equal(rd32(zp + 0x21c), sizeof(initrd));
	assert_int_equal(e.initrd_gpa & 0xfff, 0);
	assert_true(e.initrd_gpa >= e.kernel_end);
	assert_true(e.initrd_gpa + sizeof(initrd) <= g.size);
	assert_memory_equal(g.mem + e.initrd_gpa, initrd, sizeof(initrd));
	assert_int_equal(zp[0x1e8], e.e820_entries);
	assert_int_equal(e.e820_entries, 4 + 4);
	check_e820(zp, g.size);
	check_mptable(g.mem, 2);
	check_cpu_state(g.mem, &e);
	guest_check_free(&g);
	free(k.data);
}

static void test_no_initrd_no_cmdline(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct guest g = guest_new(32 * MiB);
	struct linuxboot_params in = params_for(&k);
	struct linuxboot_entry e;
	char err[256] = "";

	in.cmdline = NULL;
	in.ncpus = LINUXBOOT_MAX_CPUS;
	assert_int_equal(linuxboot_load(&in, g.mem, g.size, &e, err, sizeof(err)), 0);
	assert_int_equal(e.initrd_gpa, 0);
	assert_int_equal(rd32(g.mem + e.rsi + 0x21c), 0);
	assert_int_equal(g.mem[LINUXBOOT_CMDLINE_GPA], 0);
	check_mptable(g.mem, LINUXBOOT_MAX_CPUS);
	guest_check_free(&g);
	free(k.data);
}

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Debian's vmlinuz from make guest-linux ($IRQPATH_BUILD/guest-linux/). */
static void test_real_bzimage(void **state)
{
	(void)state;
	const char *build = getenv("IRQPATH_BUILD");
	char path[4096], err[256] = "";
	struct linuxboot_header h;
	struct linuxboot_entry e;
	struct kimg k;
	uint8_t *initrd;
	size_t initrd_size = 0;

	snprintf(path, sizeof(path), "%s/guest-linux/vmlinuz", build ? build : "build");
	k.data = slurp(path, &k.size);
	if (!k.data) {
		printf("# SKIP %s absent (make guest-linux builds it)\n", path);
		skip();
	}
	assert_int_equal(linuxboot_parse_header(k.data, k.size, &h, err, sizeof(err)), 0);
	printf("# %s: protocol %u.%02u, setup_sects %u, pref 0x%llx, init_size 0x%x, cmdline_size "
	       "%u, initrd_addr_max 0x%x\n",
	       path, h.protocol >> 8, h.protocol & 0xff, h.setup_sects,
	       (unsigned long long)h.pref_address, h.init_size, h.cmdline_size, h.initrd_addr_max);
	assert_true(h.protocol >= 0x020c);
	assert_true(h.xloadflags & 1);
	assert_true(h.relocatable);

	snprintf(path, sizeof(path), "%s/guest-linux/initramfs.cpio.gz", build ? build : "build");
	initrd = slurp(path, &initrd_size);

	struct guest g = guest_new(256 * MiB);
	struct linuxboot_params in = params_for(&k);

	in.initrd = initrd;
	in.initrd_size = initrd ? initrd_size : 0;
	in.ncpus = 1;
	assert_int_equal(linuxboot_load(&in, g.mem, g.size, &e, err, sizeof(err)), 0);
	assert_int_equal(e.rip, e.kernel_gpa + 0x200);
	assert_int_equal(e.kernel_gpa, h.pref_address);
	assert_int_equal(e.kernel_size, k.size - h.setup_size);
	assert_memory_equal(g.mem + e.kernel_gpa, k.data + h.setup_size, e.kernel_size);
	if (initrd)
		assert_memory_equal(g.mem + e.initrd_gpa, initrd, initrd_size);
	check_e820(g.mem + e.rsi, g.size);
	check_mptable(g.mem, 1);
	check_cpu_state(g.mem, &e);
	guest_check_free(&g);
	free(initrd);
	free(k.data);
}

/* ---- bad inputs: -1, a message naming the problem, nothing written ---- */

static void expect_failure(struct linuxboot_params *in, size_t mem_size, const char *want)
{
	struct guest g = guest_new(mem_size);
	struct linuxboot_entry e;
	char err[256] = "";

	assert_int_equal(linuxboot_load(in, g.mem, g.size, &e, err, sizeof(err)), -1);
	printf("# %s\n", err);
	if (!strstr(err, want))
		fail_msg("error '%s' does not mention '%s'", err, want);
	assert_true(strncmp(err, "linuxboot: ", 11) == 0);
	assert_true(all_zero(g.mem, g.size < 2 * MiB ? g.size : 2 * MiB));
	guest_check_free(&g);
}

static void test_truncated(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);

	in.kernel_size = 0x100;
	expect_failure(&in, 32 * MiB, "truncated: 256 bytes");
	in.kernel_size = 0x240; /* past "HdrS" but short of init_size */
	expect_failure(&in, 32 * MiB, "header ends at 0x26c");
	in.kernel_size = SETUP_BYTES; /* setup only */
	expect_failure(&in, 32 * MiB, "no protected-mode kernel");
	free(k.data);
}

static void test_bad_magic(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);

	wr16(k.data + 0x1fe, 0x1234);
	expect_failure(&in, 32 * MiB, "boot flag 0x1234");
	wr16(k.data + 0x1fe, 0xaa55);
	memcpy(k.data + 0x202, "ELF!", 4);
	expect_failure(&in, 32 * MiB, "HdrS");
	free(k.data);
}

static void test_old_protocol(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);

	wr16(k.data + 0x206, 0x0205);
	expect_failure(&in, 32 * MiB, "protocol 2.05 is too old");
	wr16(k.data + 0x206, 0x020f);
	k.data[0x211] = 0;
	expect_failure(&in, 32 * MiB, "LOADED_HIGH");
	k.data[0x211] = 1;
	wr16(k.data + 0x236, 0);
	expect_failure(&in, 32 * MiB, "no 64-bit entry point");
	free(k.data);
}

static void test_cmdline_too_long(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);
	char line[301];

	memset(line, 'x', 300);
	line[300] = 0;
	wr32(k.data + 0x238, 255);
	in.cmdline = line;
	expect_failure(&in, 32 * MiB, "command line is 300 bytes, the kernel takes at most 255");
	free(k.data);
}

static void test_initrd_too_large(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);
	static uint8_t big[20 * 1024 * 1024];

	in.initrd = big;
	in.initrd_size = sizeof(big);
	/* 32 MiB of memory, the kernel ends at 20 MiB: 12 MiB left. */
	expect_failure(&in, 32 * MiB, "initrd too large: 20971520 bytes");
	/* Room in memory, but initrd_addr_max is below the kernel's end. */
	in.initrd_size = 4096;
	wr32(k.data + 0x22c, 0x1200000);
	expect_failure(&in, 64 * MiB, "initrd too large");
	free(k.data);
}

static void test_memory_too_small(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);

	expect_failure(&in, 16 * MiB, "memory too small");
	wr64(k.data + 0x258, 0); /* old-style: 1 MiB load, init_size 4 MiB */
	expect_failure(&in, 4 * MiB, "memory too small");
	free(k.data);
}

static void test_bad_machine(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);
	struct linuxboot_region low = {0x100000, 0x1000};
	struct linuxboot_irq pin = {.pin = 24};

	in.ncpus = 0;
	expect_failure(&in, 32 * MiB, "0 vCPUs");
	in.ncpus = LINUXBOOT_MAX_CPUS + 1;
	expect_failure(&in, 32 * MiB, "33 vCPUs");
	in.ncpus = 1;
	in.reserved = &low;
	in.nreserved = 1;
	expect_failure(&in, 32 * MiB, "overlaps RAM");
	in.reserved = windows;
	in.nreserved = 4;
	in.irqs = &pin;
	expect_failure(&in, 32 * MiB, "IOAPIC pin 24");
	free(k.data);
}

static void test_null_and_tiny(void **state)
{
	(void)state;
	struct kimg k = kimg_new(4096);
	struct linuxboot_params in = params_for(&k);
	struct linuxboot_entry e;
	struct linuxboot_e820 map[8];
	char err[128] = "";

	assert_int_equal(linuxboot_load(&in, NULL, 0, &e, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NULL"));
	assert_int_equal(linuxboot_load(&in, NULL, 0, &e, NULL, 0), -1); /* no err buffer */
	assert_int_equal(linuxboot_e820_build(1 * MiB, NULL, 0, map, 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "memory too small"));
	assert_int_equal(linuxboot_e820_build(64 * MiB, windows, 4, map, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "room for 3"));
	/* An MP table that would run past the buffer is refused, not truncated. */
	{
		struct guest g = guest_new(0xa0000);

		assert_int_equal(
		    linuxboot_mptable_write(g.mem, g.size, 0x9ff00, 4, NULL, 0, err, sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "no room for the"));
		guest_check_free(&g);
	}
	free(k.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_synthetic_load),   cmocka_unit_test(test_no_initrd_no_cmdline),
	    cmocka_unit_test(test_real_bzimage),     cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_bad_magic),	     cmocka_unit_test(test_old_protocol),
	    cmocka_unit_test(test_cmdline_too_long), cmocka_unit_test(test_initrd_too_large),
	    cmocka_unit_test(test_memory_too_small), cmocka_unit_test(test_bad_machine),
	    cmocka_unit_test(test_null_and_tiny),
	};
	return cmocka_run_group_tests_name("linuxboot", tests, NULL, NULL);
}
