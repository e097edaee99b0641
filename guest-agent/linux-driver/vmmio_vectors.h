/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which MSI vectors a version 3 device gets and which queues each one
 * signals. Freestanding (no kernel headers) so a user-space unit test
 * checks it against the device rule in include/irqpath/virtio_mmio_v3.h:
 * vector 0 is configuration changes, queue q uses min(q + 1, count - 1).
 */
#ifndef IRQPATH_VMMIO_VECTORS_H
#define IRQPATH_VMMIO_VECTORS_H

/*
 * Vectors to allocate for nvqs queues on a device implementing count;
 * 0 means "use the single interrupt" (per-queue MSI needs vector 0 for
 * configuration changes plus at least one for the queues).
 */
static inline unsigned int vmmio_msi_nvec(unsigned int count, unsigned int nvqs)
{
	if (count == 0 || (nvqs && count < 2))
		return 0;
	return count < nvqs + 1 ? count : nvqs + 1;
}

/*
 * Queues vector v (1 .. nvec - 1) signals: first..last. The last vector
 * also takes every queue past it when the device has too few vectors.
 */
static inline void vmmio_vector_queues(unsigned int v, unsigned int nvec, unsigned int nvqs,
				       unsigned int *first, unsigned int *last)
{
	*first = v - 1;
	*last = v == nvec - 1 ? nvqs - 1 : v - 1;
}

#endif
