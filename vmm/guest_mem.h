/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory as the VMM sees it. Every access the device model
 * makes on a guest-supplied address goes through gm_ptr(), which refuses
 * ranges that leave guest RAM (including ones that wrap around).
 */
#ifndef IRQPATH_VMM_GUEST_MEM_H
#define IRQPATH_VMM_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
	uint8_t *host; /* host mapping of guest-physical 0 */
	uint64_t size; /* bytes of RAM from gpa 0 */
};

/* Host pointer for [gpa, gpa+len) or NULL when any byte is outside RAM. */
static inline void *gm_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (gpa > m->size || len > m->size - gpa)
		return NULL;
	return m->host + gpa;
}

#endif
