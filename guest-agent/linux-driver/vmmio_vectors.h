/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which MSI vectors a version 3 device gets and which queues each one
 * signals. Freestanding (no kernel headers) so a user-space unit test
 * checks it against the device's own plan (gabi_plan_entry in
 * include/irqpath/guest_abi.h, what irqpath-vmm sends): vector 0 is
 * configuration changes; with a vector per queue, queue q uses q + 1;
 * with fewer, the queues of pair p share vector 1 + p % (count - 1), the
 * way Linux's virtio_pci falls back, and a control queue without a vector
 * of its own rides on vector 0. For one pair (rx, tx) that is the older
 * rule min(q + 1, count - 1).
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

/* Queue pairs of a device with nvqs queues (virtio-net: 2P + ctrl, or 2). */
static inline unsigned int vmmio_pairs(unsigned int nvqs)
{
	return nvqs > 2 ? nvqs / 2 : 1;
}

/*
 * The vector (0 .. nvec - 1) the device signals queue q on, when the
 * driver enabled nvec = vmmio_msi_nvec(count, nvqs) vectors.
 */
static inline unsigned int vmmio_queue_vector(unsigned int q, unsigned int nvec,
					      unsigned int nvqs)
{
	unsigned int pairs = vmmio_pairs(nvqs);
	unsigned int queues = pairs > 1 ? 2 * pairs + 1 : 2;
	unsigned int v;

	if (nvec >= queues + 1)
		v = q + 1;
	else if (nvec <= 1 || q >= 2 * pairs)
		v = 0;
	else if (nvec >= 2 * pairs + 1)
		v = q + 1;
	else
		v = 1 + (q / 2) % (nvec - 1);
	/* a queue count no virtio-net has (3: one pair + ctrl): last vector */
	return v < nvec ? v : nvec - 1;
}

#endif
