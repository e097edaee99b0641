// SPDX-License-Identifier: MIT
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf_loader.h"

static int check_phdr(const Elf64_Phdr *ph, unsigned idx, size_t len, const struct guest_mem *m,
		      uint64_t min_gpa, char *err, size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz) {
		snprintf(err, errlen, "segment %u: file size %#llx exceeds memory size %#llx", idx,
			 (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
		return -1;
	}
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset) {
		snprintf(err, errlen, "segment %u: file bytes %#llx+%#llx run past the end (%zu)",
			 idx, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz,
			 len);
		return -1;
	}
	if (ph->p_paddr < min_gpa || !gm_ptr(m, ph->p_paddr, ph->p_memsz)) {
		snprintf(err, errlen,
			 "segment %u: load range %#llx+%#llx is outside guest RAM [%#llx, %#llx)",
			 idx, (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz,
			 (unsigned long long)min_gpa, (unsigned long long)m->size);
		return -1;
	}
	return 0;
}

int elf_load(const uint8_t *buf, size_t len, const struct guest_mem *m, uint64_t min_gpa,
	     uint64_t *entry, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	if (len < sizeof(eh)) {
		snprintf(err, errlen, "file too short for an ELF header (%zu bytes)", len);
		return -1;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		snprintf(err, errlen, "not an ELF file (bad magic)");
		return -1;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "not a little-endian ELF64 file");
		return -1;
	}
	if (eh.e_machine != EM_X86_64 || eh.e_type != ET_EXEC) {
		snprintf(err, errlen, "not an x86-64 executable (machine %u, type %u)",
			 eh.e_machine, eh.e_type);
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64) {
		snprintf(err, errlen, "bad program header table (entry size %u, count %u)",
			 eh.e_phentsize, eh.e_phnum);
		return -1;
	}
	if (eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff) {
		snprintf(err, errlen, "program header table runs past the end of the file");
		return -1;
	}

	/* Validate everything before touching guest memory. */
	Elf64_Phdr ph[64];
	memcpy(ph, buf + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));
	unsigned loads = 0;
	int entry_ok = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (check_phdr(&ph[i], i, len, m, min_gpa, err, errlen))
			return -1;
		loads++;
		if ((ph[i].p_flags & PF_X) && eh.e_entry >= ph[i].p_paddr &&
		    eh.e_entry - ph[i].p_paddr < ph[i].p_memsz)
			entry_ok = 1;
	}
	if (!loads) {
		snprintf(err, errlen, "no loadable segment");
		return -1;
	}
	if (!entry_ok) {
		snprintf(err, errlen, "entry point %#llx is not inside an executable segment",
			 (unsigned long long)eh.e_entry);
		return -1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint8_t *dst = gm_ptr(m, ph[i].p_paddr, ph[i].p_memsz);
		memcpy(dst, buf + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
	*entry = eh.e_entry;
	return 0;
}

uint8_t *elf_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	uint8_t *buf = malloc(max);
	size_t n = buf ? fread(buf, 1, max, f) : 0;
	int toolong = buf && n == max && fgetc(f) != EOF;
	fclose(f);
	if (!buf || toolong) {
		snprintf(err, errlen, "%s is larger than %zu bytes", path, max);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
