// SPDX-License-Identifier: GPL-2.0
/*
 * irqpath virtio-mmio transport: version 1 and 2 devices with the single
 * interrupt, version 3 devices with per-queue MSI and per-queue doorbells,
 * version 2 devices of the addrdata design (MSI address/data pairs per
 * queue, vmmio_addrdata.c) with per-queue MSI and QueueNotify (each
 * falling back to the single interrupt when MSI cannot be set up).
 *
 * Binds only to platform devices named "irqpath-virtio-mmio", which this
 * module creates from its devices= parameter (vmmio_devices.c), so it
 * never competes with the stock virtio_mmio for ACPI/DT-declared devices.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "vmmio.h"

/* ---- configuration space, status, features ---- */

static u64 vmmio_get_features(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	u64 features;

	writel(1, vm_dev->base + VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	features = readl(vm_dev->base + VIRTIO_MMIO_DEVICE_FEATURES);
	features <<= 32;
	writel(0, vm_dev->base + VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	features |= readl(vm_dev->base + VIRTIO_MMIO_DEVICE_FEATURES);
	return features;
}

static int vmmio_finalize_features(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);

	vring_transport_features(vdev);

	/* Modern devices (2, 3) must offer VIRTIO_F_VERSION_1. */
	if (vm_dev->version >= 2 &&
	    !__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev,
			"version %lu device without VIRTIO_F_VERSION_1\n",
			vm_dev->version);
		return -EINVAL;
	}

	writel(1, vm_dev->base + VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	writel((u32)(vdev->features >> 32),
	       vm_dev->base + VIRTIO_MMIO_DRIVER_FEATURES);
	writel(0, vm_dev->base + VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	writel((u32)vdev->features, vm_dev->base + VIRTIO_MMIO_DRIVER_FEATURES);
	return 0;
}

static void vmmio_get(struct virtio_device *vdev, unsigned int offset,
		      void *buf, unsigned int len)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	void __iomem *cfg = vm_dev->base + VIRTIO_MMIO_CONFIG + offset;
	u8 *bytes = buf;
	__le16 w;
	__le32 l;
	unsigned int i;

	/* Version 1 config space is byte addressed in guest endianness. */
	if (vm_dev->version == 1) {
		for (i = 0; i < len; i++)
			bytes[i] = readb(cfg + i);
		return;
	}

	switch (len) {
	case 1:
		bytes[0] = readb(cfg);
		break;
	case 2:
		w = cpu_to_le16(readw(cfg));
		memcpy(buf, &w, sizeof(w));
		break;
	case 4:
		l = cpu_to_le32(readl(cfg));
		memcpy(buf, &l, sizeof(l));
		break;
	case 8:
		l = cpu_to_le32(readl(cfg));
		memcpy(buf, &l, sizeof(l));
		l = cpu_to_le32(readl(cfg + sizeof(l)));
		memcpy(bytes + sizeof(l), &l, sizeof(l));
		break;
	default:
		BUG();
	}
}

static void vmmio_set(struct virtio_device *vdev, unsigned int offset,
		      const void *buf, unsigned int len)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	void __iomem *cfg = vm_dev->base + VIRTIO_MMIO_CONFIG + offset;
	const u8 *bytes = buf;
	__le16 w;
	__le32 l;
	unsigned int i;

	if (vm_dev->version == 1) {
		for (i = 0; i < len; i++)
			writeb(bytes[i], cfg + i);
		return;
	}

	switch (len) {
	case 1:
		writeb(bytes[0], cfg);
		break;
	case 2:
		memcpy(&w, buf, sizeof(w));
		writew(le16_to_cpu(w), cfg);
		break;
	case 4:
		memcpy(&l, buf, sizeof(l));
		writel(le32_to_cpu(l), cfg);
		break;
	case 8:
		memcpy(&l, buf, sizeof(l));
		writel(le32_to_cpu(l), cfg);
		memcpy(&l, bytes + sizeof(l), sizeof(l));
		writel(le32_to_cpu(l), cfg + sizeof(l));
		break;
	default:
		BUG();
	}
}

static u32 vmmio_generation(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);

	if (vm_dev->version == 1)
		return 0;
	return readl(vm_dev->base + VIRTIO_MMIO_CONFIG_GENERATION);
}

static u8 vmmio_get_status(struct virtio_device *vdev)
{
	return readl(to_vmmio_device(vdev)->base + VIRTIO_MMIO_STATUS) & 0xff;
}

static void vmmio_set_status(struct virtio_device *vdev, u8 status)
{
	/* 0 means reset, which has its own op. */
	WARN_ON(status == 0);
	writel(status, to_vmmio_device(vdev)->base + VIRTIO_MMIO_STATUS);
}

static void vmmio_reset(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);

	writel(0, vm_dev->base + VIRTIO_MMIO_STATUS);
	/* A modern device may take a while: wait until it reads back 0. */
	if (vm_dev->version >= 2)
		while (readl(vm_dev->base + VIRTIO_MMIO_STATUS))
			msleep(1);
}

/* ---- interrupts ---- */

irqreturn_t vmmio_queue_range_interrupt(struct vmmio_device *vm_dev,
					unsigned int first, unsigned int last)
{
	irqreturn_t ret = IRQ_NONE;
	unsigned int q;

	for (q = first; q <= last && q < vm_dev->nvqs; q++)
		if (vring_interrupt(0, vm_dev->vq_by_index[q]) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	return ret;
}

/* The single interrupt: read what happened, acknowledge it, dispatch. */
static irqreturn_t vmmio_legacy_interrupt(int irq, void *opaque)
{
	struct vmmio_device *vm_dev = opaque;
	irqreturn_t ret = IRQ_NONE;
	u32 status;

	status = readl(vm_dev->base + VIRTIO_MMIO_INTERRUPT_STATUS);
	if (!status)
		return IRQ_NONE;
	writel(status, vm_dev->base + VIRTIO_MMIO_INTERRUPT_ACK);

	if (status & VIRTIO_MMIO_INT_CONFIG) {
		virtio_config_changed(&vm_dev->vdev);
		ret = IRQ_HANDLED;
	}
	if (status & VIRTIO_MMIO_INT_VRING && vm_dev->nvqs) {
		vmmio_queue_range_interrupt(vm_dev, 0, vm_dev->nvqs - 1);
		ret = IRQ_HANDLED;
	}
	return ret;
}

static int vmmio_request_legacy_irq(struct vmmio_device *vm_dev)
{
	int irq = platform_get_irq(vm_dev->pdev, 0);
	int err;

	if (irq < 0) {
		dev_err(&vm_dev->vdev.dev, "no interrupt resource: %d\n", irq);
		return irq;
	}
	err = request_irq(irq, vmmio_legacy_interrupt, IRQF_SHARED,
			  dev_name(&vm_dev->vdev.dev), vm_dev);
	if (err) {
		dev_err(&vm_dev->vdev.dev, "request_irq(%d) failed: %d\n", irq,
			err);
		return err;
	}
	vm_dev->legacy_irq = irq;
	return 0;
}

static void vmmio_free_irqs(struct vmmio_device *vm_dev)
{
	vmmio_msi_teardown(vm_dev);
	if (vm_dev->legacy_irq) {
		free_irq(vm_dev->legacy_irq, vm_dev);
		vm_dev->legacy_irq = 0;
	}
}

static void vmmio_synchronize_cbs(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);

	if (vm_dev->legacy_irq)
		synchronize_irq(vm_dev->legacy_irq);
	vmmio_msi_synchronize(vm_dev);
}

/* ---- virtqueues ---- */

static bool vmmio_notify(struct virtqueue *vq)
{
	struct vmmio_vq_info *info = vq->priv;

	/* Version 3: the queue's own doorbell; 1 and 2: QueueNotify. */
	writel(vq->index, info->notify_addr);
	return true;
}

static int vmmio_notify_addr(struct vmmio_device *vm_dev, unsigned int index,
			     void __iomem **addr)
{
	u64 offset;

	if (vm_dev->version != 3) {
		*addr = vm_dev->base + VIRTIO_MMIO_QUEUE_NOTIFY;
		return 0;
	}
	offset = (u64)vm_dev->notify_base +
		 (u64)vm_dev->notify_multiplier * index;
	if (offset + sizeof(u32) > vm_dev->window_size) {
		dev_err(&vm_dev->vdev.dev,
			"queue %u doorbell at 0x%llx lies outside the 0x%llx byte window\n",
			index, offset, (u64)vm_dev->window_size);
		return -EINVAL;
	}
	*addr = vm_dev->base + offset;
	return 0;
}

static struct virtqueue *vmmio_setup_vq(struct virtio_device *vdev,
					unsigned int index,
					void (*callback)(struct virtqueue *vq),
					const char *name, bool ctx)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	void __iomem *notify_addr;
	struct vmmio_vq_info *info;
	struct virtqueue *vq;
	unsigned int num;
	u64 addr;
	int err;

	err = vmmio_notify_addr(vm_dev, index, &notify_addr);
	if (err)
		return ERR_PTR(err);

	writel(index, vm_dev->base + VIRTIO_MMIO_QUEUE_SEL);
	if (readl(vm_dev->base + (vm_dev->version == 1 ?
						  VIRTIO_MMIO_QUEUE_PFN :
						  VIRTIO_MMIO_QUEUE_READY))) {
		dev_err(&vdev->dev, "queue %u is already live\n", index);
		return ERR_PTR(-ENOENT);
	}
	num = readl(vm_dev->base + VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!num)
		return ERR_PTR(-ENOENT);

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);
	info->notify_addr = notify_addr;

	vq = vring_create_virtqueue(index, num, PAGE_SIZE, vdev, true, true,
				    ctx, vmmio_notify, callback, name);
	if (!vq) {
		kfree(info);
		return ERR_PTR(-ENOMEM);
	}
	vq->priv = info;
	info->vq = vq;

	writel(virtqueue_get_vring_size(vq),
	       vm_dev->base + VIRTIO_MMIO_QUEUE_NUM);
	if (vm_dev->version == 1) {
		addr = virtqueue_get_desc_addr(vq) >> PAGE_SHIFT;
		if (addr > U32_MAX) {
			dev_err(&vdev->dev,
				"queue %u ring above what QueuePFN can address\n",
				index);
			err = -E2BIG;
			goto out_del;
		}
		writel(PAGE_SIZE, vm_dev->base + VIRTIO_MMIO_QUEUE_ALIGN);
		writel((u32)addr, vm_dev->base + VIRTIO_MMIO_QUEUE_PFN);
	} else {
		addr = virtqueue_get_desc_addr(vq);
		writel((u32)addr, vm_dev->base + VIRTIO_MMIO_QUEUE_DESC_LOW);
		writel(addr >> 32, vm_dev->base + VIRTIO_MMIO_QUEUE_DESC_HIGH);
		addr = virtqueue_get_avail_addr(vq);
		writel((u32)addr, vm_dev->base + VIRTIO_MMIO_QUEUE_AVAIL_LOW);
		writel(addr >> 32, vm_dev->base + VIRTIO_MMIO_QUEUE_AVAIL_HIGH);
		addr = virtqueue_get_used_addr(vq);
		writel((u32)addr, vm_dev->base + VIRTIO_MMIO_QUEUE_USED_LOW);
		writel(addr >> 32, vm_dev->base + VIRTIO_MMIO_QUEUE_USED_HIGH);
		writel(1, vm_dev->base + VIRTIO_MMIO_QUEUE_READY);
	}
	return vq;

out_del:
	vring_del_virtqueue(vq);
	kfree(info);
	return ERR_PTR(err);
}

static void vmmio_del_vq(struct virtqueue *vq)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vq->vdev);
	struct vmmio_vq_info *info = vq->priv;

	writel(vq->index, vm_dev->base + VIRTIO_MMIO_QUEUE_SEL);
	if (vm_dev->version == 1) {
		writel(0, vm_dev->base + VIRTIO_MMIO_QUEUE_PFN);
	} else {
		writel(0, vm_dev->base + VIRTIO_MMIO_QUEUE_READY);
		WARN_ON(readl(vm_dev->base + VIRTIO_MMIO_QUEUE_READY));
	}
	vring_del_virtqueue(vq);
	kfree(info);
}

static void vmmio_del_vqs(struct virtio_device *vdev)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	struct virtqueue *vq, *n;

	vmmio_free_irqs(vm_dev);
	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		vmmio_del_vq(vq);
	kfree(vm_dev->vq_by_index);
	vm_dev->vq_by_index = NULL;
	vm_dev->nvqs = 0;
}

static int vmmio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			  struct virtqueue *vqs[],
			  vq_callback_t *callbacks[], const char *const names[],
			  const bool *ctx, struct irq_affinity *desc)
{
	struct vmmio_device *vm_dev = to_vmmio_device(vdev);
	unsigned int i, queue = 0;
	int err;

	vm_dev->vq_by_index = kcalloc(nvqs ?: 1, sizeof(*vm_dev->vq_by_index),
				      GFP_KERNEL);
	if (!vm_dev->vq_by_index)
		return -ENOMEM;

	/* Unnamed queues are skipped: device queue numbers stay dense. */
	for (i = 0; i < nvqs; i++) {
		if (!names[i]) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = vmmio_setup_vq(vdev, queue, callbacks[i], names[i],
					ctx ? ctx[i] : false);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			goto fail;
		}
		vm_dev->vq_by_index[queue++] = vqs[i];
		vm_dev->nvqs = queue;
	}

	if (vm_dev->msi_regs && vmmio_use_msi) {
		err = vmmio_msi_setup(vm_dev);
		if (!err)
			return 0;
		dev_warn(&vdev->dev,
			 "per-queue MSI unavailable (%d): using the single interrupt\n",
			 err);
	}
	err = vmmio_request_legacy_irq(vm_dev);
	if (!err)
		return 0;
fail:
	vmmio_del_vqs(vdev);
	return err;
}

static const char *vmmio_bus_name(struct virtio_device *vdev)
{
	return to_vmmio_device(vdev)->pdev->name;
}

/*
 * virtio_net asks for each queue pair's interrupt on the CPU that owns the
 * pair (virtnet_set_affinity): with a vector of its own, the queue's MSI
 * gets that CPU as its affinity hint and affinity, as virtio_pci does;
 * the shared pin and shared vectors keep the kernel's choice.
 */
static int vmmio_set_vq_affinity(struct virtqueue *vq,
				 const struct cpumask *cpu_mask)
{
	return vmmio_msi_set_affinity(to_vmmio_device(vq->vdev), vq->index,
				      cpu_mask);
}

static const struct cpumask *vmmio_get_vq_affinity(struct virtio_device *vdev,
						    int index)
{
	return vmmio_msi_get_affinity(to_vmmio_device(vdev), index);
}

static const struct virtio_config_ops vmmio_config_ops = {
	.get = vmmio_get,
	.set = vmmio_set,
	.generation = vmmio_generation,
	.get_status = vmmio_get_status,
	.set_status = vmmio_set_status,
	.reset = vmmio_reset,
	.find_vqs = vmmio_find_vqs,
	.del_vqs = vmmio_del_vqs,
	.synchronize_cbs = vmmio_synchronize_cbs,
	.get_features = vmmio_get_features,
	.finalize_features = vmmio_finalize_features,
	.bus_name = vmmio_bus_name,
	.set_vq_affinity = vmmio_set_vq_affinity,
	.get_vq_affinity = vmmio_get_vq_affinity,
};

/* ---- platform driver ---- */

static void vmmio_release(struct device *dev)
{
	kfree(to_vmmio_device(dev_to_virtio(dev)));
}

/* Version 3: where the doorbells are (QueueNotify reads back their layout). */
static int vmmio_read_doorbells(struct vmmio_device *vm_dev)
{
	u32 layout = readl(vm_dev->base + VIRTIO_MMIO_QUEUE_NOTIFY);

	vm_dev->notify_base = VIRTIO_MMIO_NOTIFY_BASE(layout);
	vm_dev->notify_multiplier = VIRTIO_MMIO_NOTIFY_MULTIPLIER(layout);
	if ((u64)vm_dev->notify_base + sizeof(u32) > vm_dev->window_size) {
		dev_err(&vm_dev->pdev->dev,
			"notify_base 0x%x outside the device window (0x%llx bytes)\n",
			vm_dev->notify_base, (u64)vm_dev->window_size);
		return -EINVAL;
	}
	return 0;
}

static int vmmio_probe(struct platform_device *pdev)
{
	struct vmmio_device *vm_dev;
	struct resource *res;
	u32 magic;
	int err;

	vm_dev = kzalloc(sizeof(*vm_dev), GFP_KERNEL);
	if (!vm_dev)
		return -ENOMEM;
	vm_dev->pdev = pdev;
	vm_dev->vdev.dev.parent = &pdev->dev;
	vm_dev->vdev.dev.release = vmmio_release;
	vm_dev->vdev.config = &vmmio_config_ops;
	raw_spin_lock_init(&vm_dev->msi_lock);
	vm_dev->msi_devid = -1;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	vm_dev->base = devm_ioremap_resource(&pdev->dev, res);
	if (IS_ERR(vm_dev->base)) {
		err = PTR_ERR(vm_dev->base);
		goto out_free;
	}
	vm_dev->window_size = resource_size(res);

	magic = readl(vm_dev->base + VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VIRTIO_MMIO_MAGIC) {
		dev_warn(&pdev->dev, "bad magic 0x%08x at %pR\n", magic, res);
		err = -ENODEV;
		goto out_free;
	}
	vm_dev->version = readl(vm_dev->base + VIRTIO_MMIO_VERSION);
	if (vm_dev->version < 1 || vm_dev->version > 3) {
		dev_err(&pdev->dev, "version %lu not supported (1, 2, 3 are)\n",
			vm_dev->version);
		err = -ENXIO;
		goto out_free;
	}
	vm_dev->vdev.id.device = readl(vm_dev->base + VIRTIO_MMIO_DEVICE_ID);
	if (vm_dev->vdev.id.device == 0) {
		/* A placeholder slot with no device behind it. */
		err = -ENODEV;
		goto out_free;
	}
	vm_dev->vdev.id.vendor = readl(vm_dev->base + VIRTIO_MMIO_VENDOR_ID);

	if (vm_dev->version == 1) {
		writel(PAGE_SIZE, vm_dev->base + VIRTIO_MMIO_GUEST_PAGE_SIZE);
		err = dma_set_mask(&pdev->dev, DMA_BIT_MASK(32 + PAGE_SHIFT));
		if (!err)
			err = dma_set_coherent_mask(&pdev->dev,
						    DMA_BIT_MASK(32));
	} else {
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	}
	if (err)
		dev_warn(&pdev->dev, "cannot set the DMA mask: %d\n", err);

	if (vm_dev->version == 3) {
		err = vmmio_read_doorbells(vm_dev);
		if (err)
			goto out_free;
		vm_dev->msi_regs = &vmmio_v3_regs;
	} else if (vm_dev->version == 2 && vmmio_use_msi &&
		   vmmio_addrdata_detect(vm_dev)) {
		/* the addrdata design: per-queue MSI pairs, QueueNotify doorbell */
		vm_dev->msi_regs = &vmmio_addrdata_regs;
	}

	platform_set_drvdata(pdev, vm_dev);
	dev_info(&pdev->dev, "virtio-mmio version %lu, device id %u%s%s\n",
		 vm_dev->version, vm_dev->vdev.id.device,
		 vm_dev->msi_regs ? ", MSI registers: " : "",
		 vm_dev->msi_regs ? vm_dev->msi_regs->name : "");

	err = register_virtio_device(&vm_dev->vdev);
	if (err)
		put_device(&vm_dev->vdev.dev); /* frees vm_dev */
	return err;

out_free:
	kfree(vm_dev);
	return err;
}

static int vmmio_remove(struct platform_device *pdev)
{
	struct vmmio_device *vm_dev = platform_get_drvdata(pdev);

	unregister_virtio_device(&vm_dev->vdev);
	return 0;
}

static struct platform_driver vmmio_driver = {
	.probe = vmmio_probe,
	.remove = vmmio_remove,
	.driver = {
		.name = VMMIO_DRV_NAME,
	},
};

static int __init vmmio_init(void)
{
	int err;

	err = vmmio_msi_domain_init();
	if (err)
		return err;
	err = vmmio_selftest_run();
	if (err)
		goto out_msi;
	err = platform_driver_register(&vmmio_driver);
	if (err)
		goto out_msi;
	err = vmmio_devices_register();
	if (err)
		goto out_driver;
	return 0;

out_driver:
	platform_driver_unregister(&vmmio_driver);
out_msi:
	vmmio_msi_domain_exit();
	return err;
}

static void __exit vmmio_exit(void)
{
	vmmio_devices_unregister();
	platform_driver_unregister(&vmmio_driver);
	vmmio_msi_domain_exit();
}

module_init(vmmio_init);
module_exit(vmmio_exit);

MODULE_DESCRIPTION("virtio-mmio transport with per-queue MSI (version 3) for irqpath");
MODULE_LICENSE("GPL");
