/* SPDX-License-Identifier: MIT */
/* Loads a static ELF64 x86-64 executable (the micro-guest) into guest RAM. */
#ifndef IRQPATH_VMM_ELF_LOADER_H
#define IRQPATH_VMM_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include "guest_mem.h"

/*
 * Copies every PT_LOAD segment of the image (file bytes in buf/len) to its
 * physical address and zeroes the rest of its memory size. Segments must
 * lie inside [min_gpa, RAM end). Returns 0 and the entry point, or -1 with
 * err describing what is wrong with the file; nothing is written to guest
 * memory unless every segment checks out.
 */
int elf_load(const uint8_t *buf, size_t len, const struct guest_mem *m, uint64_t min_gpa,
	     uint64_t *entry, char *err, size_t errlen);

/* Reads a whole file (at most max bytes); returns malloc'd buffer or NULL. */
uint8_t *elf_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen);

#endif
