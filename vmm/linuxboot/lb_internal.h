/* SPDX-License-Identifier: MIT */
/* linuxboot internals: error messages, bounds-checked guest writes, LE access. */
#ifndef IRQPATH_LB_INTERNAL_H
#define IRQPATH_LB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Formats "linuxboot: <message>" into err (if any) and returns -1. */
int lb_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* 1 when [gpa, gpa + len) lies inside 0 .. mem_size (overflow-safe). */
static inline int lb_fits(uint64_t gpa, uint64_t len, uint64_t mem_size)
{
	return gpa <= mem_size && len <= mem_size - gpa;
}

/* Copies len bytes to guest-physical gpa; -1 (nothing written) if outside. */
int lb_put(uint8_t *mem, size_t mem_size, uint64_t gpa, const void *src, size_t len);

static inline uint16_t lb_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t lb_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t lb_rd64(const uint8_t *p)
{
	return (uint64_t)lb_rd32(p) | (uint64_t)lb_rd32(p + 4) << 32;
}
static inline void lb_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void lb_wr32(uint8_t *p, uint32_t v)
{
	lb_wr16(p, (uint16_t)v);
	lb_wr16(p + 2, (uint16_t)(v >> 16));
}
static inline void lb_wr64(uint8_t *p, uint64_t v)
{
	lb_wr32(p, (uint32_t)v);
	lb_wr32(p + 4, (uint32_t)(v >> 32));
}

/* boot_cpu.c: GDT and identity page tables for the 64-bit entry. */
int lb_write_gdt(uint8_t *mem, size_t mem_size, char *err, size_t errlen);
int lb_write_page_tables(uint8_t *mem, size_t mem_size, char *err, size_t errlen);

/* mptable.c: the checks linuxboot_mptable_write makes, before any write. */
struct linuxboot_irq;
int lb_mptable_check(unsigned int ncpus, const struct linuxboot_irq *irqs, size_t nirqs, char *err,
		     size_t errlen);

#endif
