// SPDX-License-Identifier: MIT
/*
 * The ELF64 loader over an arbitrary file image, into 16 MiB of guest RAM
 * (the micro-guest's minimum). A loaded image's entry point must lie in
 * RAM above the load floor, nothing may be written below the floor, and a
 * refusal must say why.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "elf_loader.h"
#include "irqpath/guest_abi.h"

#define RAM (16u << 20)

static uint8_t *ram;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_mem m = {.size = RAM};
	uint64_t entry = 0;
	char err[256];

	/* One allocation for the whole campaign; poisoned bytes would not help. */
	if (!ram && !(ram = calloc(1, RAM)))
		return 0;
	m.host = ram;
	ram[GABI_IMAGE_MIN - 1] = 0xa5; /* just below the floor: never written */

	if (elf_load(data, size, &m, GABI_IMAGE_MIN, &entry, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(entry >= GABI_IMAGE_MIN && entry < RAM);
	} else {
		FUZZ_ASSERT(err[0] != '\0');
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
	}
	FUZZ_ASSERT(ram[GABI_IMAGE_MIN - 1] == 0xa5);
	return 0;
}
