// SPDX-License-Identifier: GPL-2.0
/*
 * MSI for the addrdata design (include/irqpath/virtio_mmio_variants.h): a
 * version 2 device with one MSI address/data pair per queue, selected by
 * QueueSel, and one for configuration changes, each with a control word
 * (ENABLE, MASK) and no vector table. A non-zero MsiPairCount (0x0c4, a
 * reserved offset in virtio-mmio version 2) says the device has them.
 *
 * Pair p is the message of event p (config 0, queue q at q + 1), so the
 * driver decides sharing itself: a vector of the plan (vmmio_vectors.h)
 * is written into every pair whose event the plan puts on it, and queues
 * that share a vector carry one message. That makes msi_vectors=N work
 * without the device knowing: the device always has a pair per queue.
 *
 * QueueSel is the selector of the queue registers too. The MSI lifetime
 * nests inside the queues' (find_vqs sets up every queue before the first
 * vector is requested; del_vqs frees the vectors before the first queue
 * goes), so no queue setup runs while these sequences select a pair; among
 * themselves they are serialised by msi_lock.
 *
 * The device has no pending bit: an event raised while its pair is masked
 * is lost (irqpath-vmm --mask-probe shows it). Linux masks an MSI only
 * around affinity changes and disable_irq, where virtio's rings are
 * checked again after the vector is back, so a lost edge costs nothing
 * in what this module does.
 */
#include <linux/io.h>
#include <linux/module.h>

#include <irqpath/virtio_mmio_variants.h>

#include "vmmio.h"
#include "vmmio_vectors.h"

/* The most pairs a device may claim: the MSI index field's range. */
#define ADDRDATA_MAX_PAIRS 2048u

static unsigned int addrdata_count(struct vmmio_device *vm_dev)
{
	return readl(vm_dev->base + ADDRDATA_PAIR_COUNT);
}

/* A version 2 device with address/data pairs (reads 0 there otherwise). */
bool vmmio_addrdata_detect(struct vmmio_device *vm_dev)
{
	unsigned int pairs = addrdata_count(vm_dev);

	if (!pairs)
		return false;
	if (pairs < 2 || pairs > ADDRDATA_MAX_PAIRS) {
		dev_warn(&vm_dev->pdev->dev,
			 "MsiPairCount %u is not a pair count (2..%u): using the single interrupt\n",
			 pairs, ADDRDATA_MAX_PAIRS);
		return false;
	}
	return true;
}

/* The control word of one pair: enable while MSI is on, mask as asked. */
static u32 addrdata_ctrl(struct vmmio_device *vm_dev, const struct vmmio_vector *vec)
{
	return (vm_dev->msi_enabled ? ADDRDATA_CTRL_ENABLE : 0) |
	       (vec->masked ? ADDRDATA_CTRL_MASK : 0);
}

/*
 * Write vector v's message (msg != NULL) and/or control word into every
 * pair that carries it. The device routes a message when ENABLE is
 * written, so a new message on a live pair is followed by its control word.
 * Caller holds msi_lock.
 */
static void addrdata_program(struct vmmio_device *vm_dev, unsigned int v,
			     const struct msi_msg *msg)
{
	const struct vmmio_vector *vec = &vm_dev->vectors[v];
	u32 ctrl = addrdata_ctrl(vm_dev, vec);
	unsigned int q;

	if (v == VIRTIO_MMIO_MSI_CONFIG_VECTOR) {
		if (msg) {
			writel(msg->address_lo, vm_dev->base + ADDRDATA_CONFIG_ADDR_LOW);
			writel(msg->address_hi, vm_dev->base + ADDRDATA_CONFIG_ADDR_HIGH);
			writel(msg->data, vm_dev->base + ADDRDATA_CONFIG_DATA);
		}
		writel(ctrl, vm_dev->base + ADDRDATA_CONFIG_CTRL);
	}
	for (q = 0; q < vm_dev->nvqs; q++) {
		if (vmmio_queue_vector(q, vm_dev->msi_nvec, vm_dev->nvqs) != v)
			continue;
		writel(q, vm_dev->base + VIRTIO_MMIO_QUEUE_SEL);
		if (msg) {
			writel(msg->address_lo, vm_dev->base + ADDRDATA_QUEUE_ADDR_LOW);
			writel(msg->address_hi, vm_dev->base + ADDRDATA_QUEUE_ADDR_HIGH);
			writel(msg->data, vm_dev->base + ADDRDATA_QUEUE_DATA);
		}
		writel(ctrl, vm_dev->base + ADDRDATA_QUEUE_CTRL);
	}
}

static void addrdata_write_msg(struct vmmio_device *vm_dev, unsigned int v,
			       const struct msi_msg *msg)
{
	if (vm_dev->vectors && v < vm_dev->msi_nvec)
		addrdata_program(vm_dev, v, msg);
}

static void addrdata_mask(struct vmmio_device *vm_dev, unsigned int v, bool masked)
{
	if (vm_dev->vectors && v < vm_dev->msi_nvec)
		addrdata_program(vm_dev, v, NULL);
}

/* Every control word to ENABLE, then read back: a message the device
 * cannot route is refused (its ENABLE reads 0), and then so is MSI. */
static int addrdata_enable(struct vmmio_device *vm_dev)
{
	unsigned long flags;
	unsigned int v, q;
	int bad = -1; /* the queue whose pair stayed off; nvqs: config's */
	u32 ctrl;

	raw_spin_lock_irqsave(&vm_dev->msi_lock, flags);
	vm_dev->msi_enabled = true;
	for (v = 0; v < vm_dev->msi_nvec; v++)
		addrdata_program(vm_dev, v, NULL);
	ctrl = readl(vm_dev->base + ADDRDATA_CONFIG_CTRL);
	if (!(ctrl & ADDRDATA_CTRL_ENABLE))
		bad = vm_dev->nvqs;
	for (q = 0; bad < 0 && q < vm_dev->nvqs; q++) {
		writel(q, vm_dev->base + VIRTIO_MMIO_QUEUE_SEL);
		ctrl = readl(vm_dev->base + ADDRDATA_QUEUE_CTRL);
		if (!(ctrl & ADDRDATA_CTRL_ENABLE))
			bad = q;
	}
	raw_spin_unlock_irqrestore(&vm_dev->msi_lock, flags);
	if (bad < 0)
		return 0;
	if (bad == vm_dev->nvqs)
		dev_err(&vm_dev->vdev.dev,
			"device did not enable the config pair (control 0x%x)\n", ctrl);
	else
		dev_err(&vm_dev->vdev.dev,
			"device did not enable the pair of queue %d (control 0x%x)\n", bad, ctrl);
	return -EIO;
}

/* Every pair off: its events go back to InterruptStatus and the pin. */
static void addrdata_disable(struct vmmio_device *vm_dev)
{
	unsigned long flags;
	unsigned int q;

	raw_spin_lock_irqsave(&vm_dev->msi_lock, flags);
	vm_dev->msi_enabled = false;
	writel(0, vm_dev->base + ADDRDATA_CONFIG_CTRL);
	for (q = 0; q < vm_dev->nvqs; q++) {
		writel(q, vm_dev->base + VIRTIO_MMIO_QUEUE_SEL);
		writel(0, vm_dev->base + ADDRDATA_QUEUE_CTRL);
	}
	raw_spin_unlock_irqrestore(&vm_dev->msi_lock, flags);
}

const struct vmmio_msi_regs vmmio_addrdata_regs = {
	.name = "addrdata",
	.driver_maps = true,
	.count = addrdata_count,
	.write_msg = addrdata_write_msg,
	.mask = addrdata_mask,
	.enable = addrdata_enable,
	.disable = addrdata_disable,
};
