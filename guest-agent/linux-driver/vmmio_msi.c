// SPDX-License-Identifier: GPL-2.0
/*
 * Per-queue MSI for version 3 devices and for version 2 devices with the
 * addrdata design's address/data pairs (vmmio_addrdata.c).
 *
 * x86 has no platform MSI domain of its own, so the module creates one
 * whose parent is x86_vector_domain: each allocated interrupt gets a CPU
 * vector from the parent, and the composed message (address/data) is
 * written into the device by the design's register ops (struct
 * vmmio_msi_regs): on version 3 through MSI_ADDRESS_LOW/HIGH, MSI_DATA and
 * an MSI_COMMAND UPDATE of that vector, mask and unmask with MSI_COMMAND.
 *
 * Vector layout (the device's plan, vmmio_vectors.h): vector 0 signals
 * configuration changes, queue q uses vector q + 1 when there is one per
 * queue; with fewer, the queues of a pair share one (pairs round-robin over
 * vectors 1..count-1, as virtio_pci falls back) and a control queue without
 * its own rides on vector 0; with fewer than 2 the caller falls back to the
 * pin.
 */
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "vmmio.h"
#include "vmmio_vectors.h"

bool vmmio_use_msi = true;
module_param_named(msi, vmmio_use_msi, bool, 0444);
MODULE_PARM_DESC(msi,
		 "per-queue MSI for version 3 and addrdata devices (default 1; 0: single interrupt)");

unsigned int vmmio_msi_vectors;
module_param_named(msi_vectors, vmmio_msi_vectors, uint, 0444);
MODULE_PARM_DESC(msi_vectors,
		 "addrdata devices: use at most N messages, queues sharing the rest by the vector plan (0: one per queue + config)");

/* hwirq = device id << bits | vector index; MSI_STATUS counts up to 2047. */
#define VMMIO_MSI_INDEX_BITS 11

static struct irq_domain *vmmio_msi_domain;
static struct fwnode_handle *vmmio_msi_fwnode;
static DEFINE_IDA(vmmio_msi_ida);

static struct vmmio_device *vmmio_of_desc(struct msi_desc *desc)
{
	return platform_get_drvdata(to_platform_device(desc->dev));
}

/* ---- version 3: a vector table behind MSI_COMMAND ---- */

/* Caller holds msi_lock. */
static void vmmio_msi_command(struct vmmio_device *vm_dev, unsigned int op,
			      unsigned int vector)
{
	writew(VIRTIO_MMIO_MSI_CMD(op, vector),
	       vm_dev->base + VIRTIO_MMIO_MSI_COMMAND);
}

static unsigned int v3_count(struct vmmio_device *vm_dev)
{
	return readw(vm_dev->base + VIRTIO_MMIO_MSI_STATUS) &
	       VIRTIO_MMIO_MSI_STATUS_COUNT;
}

static void v3_write_msg(struct vmmio_device *vm_dev, unsigned int v,
			 const struct msi_msg *msg)
{
	writel(msg->address_lo, vm_dev->base + VIRTIO_MMIO_MSI_ADDRESS_LOW);
	writel(msg->address_hi, vm_dev->base + VIRTIO_MMIO_MSI_ADDRESS_HIGH);
	writel(msg->data, vm_dev->base + VIRTIO_MMIO_MSI_DATA);
	vmmio_msi_command(vm_dev, VIRTIO_MMIO_MSI_CMD_UPDATE, v);
}

static void v3_mask(struct vmmio_device *vm_dev, unsigned int v, bool masked)
{
	vmmio_msi_command(vm_dev, masked ? VIRTIO_MMIO_MSI_CMD_MASK :
					   VIRTIO_MMIO_MSI_CMD_UNMASK, v);
}

static int v3_enable(struct vmmio_device *vm_dev)
{
	u16 status;

	writew(VIRTIO_MMIO_MSI_STATUS_ENABLE,
	       vm_dev->base + VIRTIO_MMIO_MSI_STATUS);
	status = readw(vm_dev->base + VIRTIO_MMIO_MSI_STATUS);
	if (status & VIRTIO_MMIO_MSI_STATUS_ENABLE)
		return 0;
	dev_err(&vm_dev->vdev.dev,
		"device did not enable MSI (MSI_STATUS 0x%04x)\n", status);
	return -EIO;
}

static void v3_disable(struct vmmio_device *vm_dev)
{
	writew(0, vm_dev->base + VIRTIO_MMIO_MSI_STATUS);
}

const struct vmmio_msi_regs vmmio_v3_regs = {
	.name = "v3",
	.count = v3_count,
	.write_msg = v3_write_msg,
	.mask = v3_mask,
	.enable = v3_enable,
	.disable = v3_disable,
};

/* ---- the MSI domain, shared by both designs ---- */

static void vmmio_msi_mask_op(struct irq_data *d, bool masked)
{
	struct msi_desc *desc = irq_data_get_msi_desc(d);
	struct vmmio_device *vm_dev = vmmio_of_desc(desc);
	unsigned long flags;

	raw_spin_lock_irqsave(&vm_dev->msi_lock, flags);
	if (vm_dev->vectors && desc->msi_index < vm_dev->msi_nvec)
		vm_dev->vectors[desc->msi_index].masked = masked;
	vm_dev->msi_regs->mask(vm_dev, desc->msi_index, masked);
	raw_spin_unlock_irqrestore(&vm_dev->msi_lock, flags);
}

static void vmmio_msi_mask(struct irq_data *d)
{
	vmmio_msi_mask_op(d, true);
}

static void vmmio_msi_unmask(struct irq_data *d)
{
	vmmio_msi_mask_op(d, false);
}

/* Called by the platform MSI layer whenever a vector's message changes. */
static void vmmio_msi_write_msg(struct msi_desc *desc, struct msi_msg *msg)
{
	struct vmmio_device *vm_dev = vmmio_of_desc(desc);
	unsigned long flags;

	raw_spin_lock_irqsave(&vm_dev->msi_lock, flags);
	if (vm_dev->vectors && desc->msi_index < vm_dev->msi_nvec) {
		vm_dev->vectors[desc->msi_index].msg = *msg;
		vm_dev->vectors[desc->msi_index].msg_valid = true;
	}
	vm_dev->msi_regs->write_msg(vm_dev, desc->msi_index, msg);
	raw_spin_unlock_irqrestore(&vm_dev->msi_lock, flags);
}

/* x86 lacks the generic MSI domain ops, so the domain supplies its own. */
static irq_hw_number_t vmmio_msi_get_hwirq(struct msi_domain_info *info,
					   msi_alloc_info_t *arg)
{
	return arg->hwirq;
}

static int vmmio_msi_prepare(struct irq_domain *domain, struct device *dev,
			     int nvec, msi_alloc_info_t *arg)
{
	memset(arg, 0, sizeof(*arg));
	return 0;
}

static void vmmio_msi_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	struct vmmio_device *vm_dev = vmmio_of_desc(desc);

	arg->desc = desc;
	arg->hwirq = ((irq_hw_number_t)vm_dev->msi_devid
		      << VMMIO_MSI_INDEX_BITS) |
		     desc->msi_index;
}

static int vmmio_msi_init(struct irq_domain *domain,
			  struct msi_domain_info *info, unsigned int virq,
			  irq_hw_number_t hwirq, msi_alloc_info_t *arg)
{
	irq_domain_set_info(domain, virq, hwirq, info->chip, info->chip_data,
			    handle_edge_irq, NULL, "edge");
	return 0;
}

static struct msi_domain_ops vmmio_msi_ops = {
	.get_hwirq = vmmio_msi_get_hwirq,
	.msi_prepare = vmmio_msi_prepare,
	.set_desc = vmmio_msi_set_desc,
	.msi_init = vmmio_msi_init,
};

/* irq_set_affinity and irq_write_msi_msg are filled in by the MSI core. */
static struct irq_chip vmmio_msi_chip = {
	.name = "VMMIO-MSI",
	.irq_ack = irq_chip_ack_parent,
	.irq_retrigger = irq_chip_retrigger_hierarchy,
	.irq_mask = vmmio_msi_mask,
	.irq_unmask = vmmio_msi_unmask,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static struct msi_domain_info vmmio_msi_info = {
	.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS,
	.ops = &vmmio_msi_ops,
	.chip = &vmmio_msi_chip,
};

int vmmio_msi_domain_init(void)
{
#ifdef CONFIG_X86
	if (!vmmio_use_msi)
		return 0;
	if (!x86_vector_domain) {
		pr_info("irqpath-virtio-mmio: no x86 vector domain; version 3 devices use the single interrupt\n");
		return 0;
	}
	vmmio_msi_fwnode = irq_domain_alloc_named_fwnode("irqpath-vmmio-msi");
	if (!vmmio_msi_fwnode)
		return -ENOMEM;
	vmmio_msi_domain = platform_msi_create_irq_domain(
		vmmio_msi_fwnode, &vmmio_msi_info, x86_vector_domain);
	if (!vmmio_msi_domain) {
		pr_warn("irqpath-virtio-mmio: cannot create the platform MSI domain; version 3 devices use the single interrupt\n");
		irq_domain_free_fwnode(vmmio_msi_fwnode);
		vmmio_msi_fwnode = NULL;
	}
#endif
	return 0;
}

void vmmio_msi_domain_exit(void)
{
	if (vmmio_msi_domain)
		irq_domain_remove(vmmio_msi_domain);
	if (vmmio_msi_fwnode)
		irq_domain_free_fwnode(vmmio_msi_fwnode);
	vmmio_msi_domain = NULL;
	vmmio_msi_fwnode = NULL;
}

/* Every queue the device signals on this vector (it shares it). */
static irqreturn_t vmmio_msi_queues_interrupt(struct vmmio_vector *vec)
{
	struct vmmio_device *vm_dev = vec->vm_dev;
	irqreturn_t ret = IRQ_NONE;
	unsigned int q;

	for (q = vec->first_queue; vec->nqueues && q <= vec->last_queue; q++)
		if (vmmio_queue_vector(q, vm_dev->msi_nvec, vm_dev->nvqs) ==
			    vec->index &&
		    vring_interrupt(0, vm_dev->vq_by_index[q]) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	return ret;
}

/*
 * Vector 0: configuration changes, and a control queue without a vector of
 * its own. MSI says nothing of which of them fired, so both are looked at
 * (a config read for a control-queue completion, a handful per run).
 */
static irqreturn_t vmmio_msi_config_interrupt(int irq, void *opaque)
{
	struct vmmio_vector *vec = opaque;

	virtio_config_changed(&vec->vm_dev->vdev);
	vmmio_msi_queues_interrupt(vec);
	return IRQ_HANDLED;
}

static irqreturn_t vmmio_msi_shared_interrupt(int irq, void *opaque)
{
	return vmmio_msi_queues_interrupt(opaque);
}

/* Which queues the device signals on vector v: count, lowest, highest. */
static void vmmio_msi_plan(struct vmmio_device *vm_dev, struct vmmio_vector *vec,
			   unsigned int v)
{
	unsigned int q;

	vec->index = v;
	vec->nqueues = 0;
	for (q = 0; q < vm_dev->nvqs; q++) {
		if (vmmio_queue_vector(q, vm_dev->msi_nvec, vm_dev->nvqs) != v)
			continue;
		if (!vec->nqueues++)
			vec->first_queue = q;
		vec->last_queue = q;
	}
}

static int vmmio_msi_request(struct vmmio_device *vm_dev, unsigned int v)
{
	struct vmmio_vector *vec = &vm_dev->vectors[v];
	const char *dev = dev_name(&vm_dev->vdev.dev);
	irq_handler_t handler;
	void *dev_id = vec;
	int err;

	vmmio_msi_plan(vm_dev, vec, v);
	if (v == VIRTIO_MMIO_MSI_CONFIG_VECTOR) {
		snprintf(vec->name, sizeof(vec->name), "%s-config", dev);
		handler = vmmio_msi_config_interrupt;
	} else if (vec->nqueues == 1) {
		/* One queue: straight to the ring, as virtio-pci does. */
		struct virtqueue *vq = vm_dev->vq_by_index[vec->first_queue];

		snprintf(vec->name, sizeof(vec->name), "%s-%s", dev, vq->name);
		handler = vring_interrupt;
		dev_id = vq;
	} else {
		if (vec->nqueues == vec->last_queue - vec->first_queue + 1)
			snprintf(vec->name, sizeof(vec->name), "%s-queues%u-%u",
				 dev, vec->first_queue, vec->last_queue);
		else /* pairs sharing round-robin, or nothing at all */
			snprintf(vec->name, sizeof(vec->name), "%s-vector%u",
				 dev, v);
		handler = vmmio_msi_shared_interrupt;
	}
	/* Activation here composes the message and writes it (UPDATE). */
	err = request_irq(vec->virq, handler, 0, vec->name, dev_id);
	if (err)
		return err;
	vec->dev_id = dev_id;
	return 0;
}

/* nvec vectors from the module's MSI domain, recorded in vm_dev->vectors. */
int vmmio_msi_alloc(struct vmmio_device *vm_dev, unsigned int nvec)
{
	struct device *dev = &vm_dev->pdev->dev;
	unsigned int v;
	int err;

	if (!vmmio_msi_domain)
		return -ENODEV;
	vm_dev->vectors = kcalloc(nvec, sizeof(*vm_dev->vectors), GFP_KERNEL);
	if (!vm_dev->vectors)
		return -ENOMEM;
	for (v = 0; v < nvec; v++)
		if (!zalloc_cpumask_var(&vm_dev->vectors[v].affinity,
					GFP_KERNEL)) {
			err = -ENOMEM;
			goto out_free_masks;
		}
	err = ida_alloc(&vmmio_msi_ida, GFP_KERNEL);
	if (err < 0)
		goto out_free_vectors;
	vm_dev->msi_devid = err;
	vm_dev->msi_nvec = nvec;

	dev_set_msi_domain(dev, vmmio_msi_domain);
	err = platform_msi_domain_alloc_irqs(dev, nvec, vmmio_msi_write_msg);
	if (err)
		goto out_free_id;
	for (v = 0; v < nvec; v++) {
		vm_dev->vectors[v].vm_dev = vm_dev;
		vm_dev->vectors[v].virq = msi_get_virq(dev, v);
		if (!vm_dev->vectors[v].virq) {
			vmmio_msi_free(vm_dev);
			return -ENOENT;
		}
	}
	return 0;

out_free_id:
	ida_free(&vmmio_msi_ida, vm_dev->msi_devid);
	vm_dev->msi_devid = -1;
out_free_vectors:
	v = nvec;
out_free_masks:
	while (v--)
		free_cpumask_var(vm_dev->vectors[v].affinity);
	kfree(vm_dev->vectors);
	vm_dev->vectors = NULL;
	vm_dev->msi_nvec = 0;
	return err;
}

/* Gives back what vmmio_msi_alloc took; the interrupts must be freed. */
void vmmio_msi_free(struct vmmio_device *vm_dev)
{
	unsigned int v;

	if (!vm_dev->vectors)
		return;
	platform_msi_domain_free_irqs(&vm_dev->pdev->dev);
	ida_free(&vmmio_msi_ida, vm_dev->msi_devid);
	vm_dev->msi_devid = -1;
	for (v = 0; v < vm_dev->msi_nvec; v++)
		free_cpumask_var(vm_dev->vectors[v].affinity);
	kfree(vm_dev->vectors);
	vm_dev->vectors = NULL;
	vm_dev->msi_nvec = 0;
}

int vmmio_msi_setup(struct vmmio_device *vm_dev)
{
	const struct vmmio_msi_regs *regs = vm_dev->msi_regs;
	unsigned int count, offered, nvec, v;
	int err;

	if (!vmmio_msi_domain || !regs)
		return -ENODEV;

	/* The device says how many vectors (pairs) it implements. */
	offered = count = regs->count(vm_dev);
	if (regs->driver_maps && vmmio_msi_vectors && vmmio_msi_vectors < count)
		count = vmmio_msi_vectors;
	nvec = vmmio_msi_nvec(count, vm_dev->nvqs);
	if (!nvec) {
		dev_info(&vm_dev->vdev.dev,
			 "%u MSI vector(s) to use; per-queue MSI needs 2 or more\n",
			 count);
		return -ENOSPC;
	}

	err = vmmio_msi_alloc(vm_dev, nvec);
	if (err)
		return err;
	for (v = 0; v < nvec; v++) {
		err = vmmio_msi_request(vm_dev, v);
		if (err) {
			dev_err(&vm_dev->vdev.dev,
				"MSI vector %u: request failed: %d\n", v, err);
			goto out_teardown;
		}
	}

	err = regs->enable(vm_dev);
	if (err)
		goto out_teardown;
	vm_dev->msi_enabled = true;
	dev_info(&vm_dev->vdev.dev,
		 "per-queue MSI (%s): %u vectors for %u queues (device offers %u)\n",
		 regs->name, nvec, vm_dev->nvqs, offered);
	return 0;

out_teardown:
	vmmio_msi_teardown(vm_dev);
	return err;
}

void vmmio_msi_teardown(struct vmmio_device *vm_dev)
{
	unsigned int v;

	if (!vm_dev->vectors)
		return;
	/* Back to InterruptStatus + pin semantics before vectors go away. */
	vm_dev->msi_regs->disable(vm_dev);
	vm_dev->msi_enabled = false;

	for (v = 0; v < vm_dev->msi_nvec; v++) {
		struct vmmio_vector *vec = &vm_dev->vectors[v];

		if (vec->dev_id) {
			irq_set_affinity_hint(vec->virq, NULL); /* as virtio_pci */
			free_irq(vec->virq, vec->dev_id);
		}
		vec->dev_id = NULL;
	}
	vmmio_msi_free(vm_dev);
}

void vmmio_msi_synchronize(struct vmmio_device *vm_dev)
{
	unsigned int v;

	for (v = 0; vm_dev->vectors && v < vm_dev->msi_nvec; v++)
		if (vm_dev->vectors[v].dev_id)
			synchronize_irq(vm_dev->vectors[v].virq);
}

/* The vector that signals only this queue, or NULL (shared, or no MSI). */
static struct vmmio_vector *vmmio_own_vector(struct vmmio_device *vm_dev,
					     unsigned int queue)
{
	unsigned int v;

	if (!vm_dev->msi_enabled || !vm_dev->vectors)
		return NULL;
	for (v = 1; v < vm_dev->msi_nvec; v++) {
		struct vmmio_vector *vec = &vm_dev->vectors[v];

		if (vec->dev_id && vec->nqueues == 1 &&
		    vec->first_queue == queue)
			return vec;
	}
	return NULL;
}

int vmmio_msi_set_affinity(struct vmmio_device *vm_dev, unsigned int queue,
			   const struct cpumask *mask)
{
	struct vmmio_vector *vec = vmmio_own_vector(vm_dev, queue);

	if (!vec)
		return 0; /* nothing of its own to steer */
	/* The hint shows in /proc/irq/N/affinity_hint; the affinity moves the
	 * vector, and the MSI core rewrites the device's message for it. The
	 * kernel keeps the hint's pointer: hand it our copy, as virtio_pci. */
	cpumask_copy(vec->affinity, mask);
	return irq_set_affinity_hint(vec->virq, vec->affinity);
}

const struct cpumask *vmmio_msi_get_affinity(struct vmmio_device *vm_dev,
					     unsigned int queue)
{
	struct vmmio_vector *vec = vmmio_own_vector(vm_dev, queue);

	return vec ? irq_get_affinity_mask(vec->virq) : NULL;
}
