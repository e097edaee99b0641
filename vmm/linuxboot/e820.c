// SPDX-License-Identifier: MIT
/*
 * The e820 map: RAM below 640 KiB (up to the MP table), the legacy hole
 * with the BIOS area marked reserved, RAM from 1 MiB to the end of guest
 * memory, and the caller's device windows (virtio-mmio, PCI BARs, IOAPIC,
 * LAPIC) as reserved. Sorted by address; nothing overlaps.
 */
#include <inttypes.h>

#include "lb_internal.h"
#include "linuxboot.h"

#define BIOS_AREA_GPA 0xf0000ull
#define BIOS_AREA_SIZE 0x10000ull
#define LEGACY_HOLE_START 0xa0000ull
#define RAM_MIN (2ull << 20)

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int linuxboot_e820_build(uint64_t ram_size, const struct linuxboot_region *reserved,
			 size_t nreserved, struct linuxboot_e820 *map, size_t max, char *err,
			 size_t errlen)
{
	struct linuxboot_e820 e[4 + LINUXBOOT_MAX_RESERVED];
	size_t n = 0;

	if (ram_size < RAM_MIN)
		return lb_fail(err, errlen,
			       "memory too small: %" PRIu64 " bytes, at least %llu needed",
			       ram_size, RAM_MIN);
	if (nreserved > LINUXBOOT_MAX_RESERVED)
		return lb_fail(err, errlen, "%zu device windows, at most %d supported", nreserved,
			       LINUXBOOT_MAX_RESERVED);
	if (nreserved && !reserved)
		return lb_fail(err, errlen, "device window list is NULL");

	e[n++] = (struct linuxboot_e820){0, LINUXBOOT_LOW_RAM_END, LINUXBOOT_E820_RAM};
	e[n++] = (struct linuxboot_e820){LINUXBOOT_LOW_RAM_END,
					 LEGACY_HOLE_START - LINUXBOOT_LOW_RAM_END,
					 LINUXBOOT_E820_RESERVED};
	e[n++] = (struct linuxboot_e820){BIOS_AREA_GPA, BIOS_AREA_SIZE, LINUXBOOT_E820_RESERVED};
	e[n++] = (struct linuxboot_e820){LINUXBOOT_HIGH_RAM_START,
					 ram_size - LINUXBOOT_HIGH_RAM_START, LINUXBOOT_E820_RAM};

	for (size_t i = 0; i < nreserved; i++) {
		const struct linuxboot_region *r = &reserved[i];

		if (!r->size || r->gpa + r->size < r->gpa)
			return lb_fail(err, errlen,
				       "device window %zu (0x%" PRIx64 ", size 0x%" PRIx64
				       ") is empty or wraps",
				       i, r->gpa, r->size);
		if (overlaps(r->gpa, r->size, 0, ram_size))
			return lb_fail(err, errlen,
				       "device window 0x%" PRIx64 "-0x%" PRIx64
				       " overlaps RAM (0-0x%" PRIx64 "): give less memory",
				       r->gpa, r->gpa + r->size - 1, ram_size - 1);
		for (size_t j = 0; j < n; j++)
			if (overlaps(r->gpa, r->size, e[j].addr, e[j].size))
				return lb_fail(err, errlen,
					       "device window 0x%" PRIx64 " overlaps 0x%" PRIx64
					       "-0x%" PRIx64,
					       r->gpa, e[j].addr, e[j].addr + e[j].size - 1);
		e[n++] = (struct linuxboot_e820){r->gpa, r->size, LINUXBOOT_E820_RESERVED};
	}
	if (n > max)
		return lb_fail(err, errlen, "%zu e820 entries, room for %zu", n, max);

	/* Insertion sort by address: a handful of entries. */
	for (size_t i = 1; i < n; i++) {
		struct linuxboot_e820 cur = e[i];
		size_t j = i;

		for (; j > 0 && e[j - 1].addr > cur.addr; j--)
			e[j] = e[j - 1];
		e[j] = cur;
	}
	for (size_t i = 0; i < n; i++)
		map[i] = e[i];
	return (int)n;
}
