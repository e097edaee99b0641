// SPDX-License-Identifier: MIT
/* The ELF loader against a good image and every kind of bad one. */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../elf_loader.h"

#define RAM (4u << 20)
#define MIN 0x100000u

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	uint8_t code[64];
};

static uint8_t *ram;
static struct guest_mem mem;
static char err[256];

static void good(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_entry = MIN + 4;
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 2;
	im->ph[0] = (Elf64_Phdr){.p_type = PT_LOAD,
				 .p_flags = PF_R | PF_X,
				 .p_offset = offsetof(struct image, code),
				 .p_paddr = MIN,
				 .p_filesz = 32,
				 .p_memsz = 32};
	im->ph[1] = (Elf64_Phdr){.p_type = PT_LOAD,
				 .p_flags = PF_R | PF_W,
				 .p_offset = offsetof(struct image, code) + 32,
				 .p_paddr = MIN + 0x1000,
				 .p_filesz = 32,
				 .p_memsz = 0x100};
	memset(im->code, 0xcc, sizeof(im->code));
}

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM);
	mem = (struct guest_mem){ram, RAM};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

static int load(struct image *im, size_t len, uint64_t *entry)
{
	return elf_load((const uint8_t *)im, len, &mem, MIN, entry, err, sizeof(err));
}

static void test_good_image(void **state)
{
	(void)state;
	struct image im;
	uint64_t entry = 0;
	good(&im);
	memset(ram + MIN + 0x1000 + 32, 0x55, 16); /* bss must be zeroed */
	assert_int_equal(load(&im, sizeof(im), &entry), 0);
	assert_int_equal(entry, MIN + 4);
	assert_int_equal(ram[MIN], 0xcc);
	assert_int_equal(ram[MIN + 0x1000 + 40], 0);
}

static void expect_fail(struct image *im, size_t len, const char *needle)
{
	uint64_t entry = 0;
	memset(ram + MIN, 0x11, 16);
	assert_int_equal(load(im, len, &entry), -1);
	assert_non_null(strstr(err, needle));
	assert_int_equal(ram[MIN], 0x11); /* nothing written */
}

static void test_bad_inputs(void **state)
{
	(void)state;
	struct image im;
	good(&im);
	expect_fail(&im, 10, "too short");
	good(&im);
	im.eh.e_ident[1] = 'X';
	expect_fail(&im, sizeof(im), "bad magic");
	good(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	expect_fail(&im, sizeof(im), "ELF64");
	good(&im);
	im.eh.e_machine = EM_AARCH64;
	expect_fail(&im, sizeof(im), "x86-64");
	good(&im);
	im.eh.e_phnum = 1000;
	expect_fail(&im, sizeof(im), "program header");
	good(&im);
	im.eh.e_phoff = sizeof(im) - 8;
	expect_fail(&im, sizeof(im), "past the end");
	good(&im);
	im.ph[0].p_filesz = 0x1000; /* file bytes past EOF */
	im.ph[0].p_memsz = 0x1000;
	expect_fail(&im, sizeof(im), "run past the end");
	good(&im);
	im.ph[1].p_paddr = RAM - 0x10; /* beyond RAM */
	expect_fail(&im, sizeof(im), "outside guest RAM");
	good(&im);
	im.ph[1].p_paddr = 0x9000; /* below the image floor (mailbox, tables) */
	expect_fail(&im, sizeof(im), "outside guest RAM");
	good(&im);
	im.ph[1].p_paddr = 0xfffffffffffff000ull; /* wraps */
	expect_fail(&im, sizeof(im), "outside guest RAM");
	good(&im);
	im.ph[0].p_filesz = 64;
	im.ph[0].p_memsz = 32;
	expect_fail(&im, sizeof(im), "exceeds memory size");
	good(&im);
	im.eh.e_entry = MIN + 0x1000; /* in the non-executable segment */
	expect_fail(&im, sizeof(im), "entry point");
	good(&im);
	im.ph[0].p_type = PT_NOTE;
	im.ph[1].p_type = PT_NOTE;
	expect_fail(&im, sizeof(im), "no loadable segment");
}

static void test_read_file_errors(void **state)
{
	(void)state;
	size_t len;
	assert_null(elf_read_file("/nonexistent/guest.elf", 1024, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open"));
	assert_null(elf_read_file("/proc/self/exe", 16, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "larger than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_image, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
	    cmocka_unit_test(test_read_file_errors),
	};
	return cmocka_run_group_tests_name("elf_loader", tests, NULL, NULL);
}
