/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irqpath virtio-mmio driver: state shared by the transport core
 * (vmmio_main.c), the per-queue MSI support (vmmio_msi.c) and the
 * platform devices declared by module parameter (vmmio_devices.c).
 */
#ifndef IRQPATH_VMMIO_H
#define IRQPATH_VMMIO_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/msi.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>

/* The one register layout shared with irqpath-vmm (include/irqpath/). */
#include <irqpath/virtio_mmio_v3.h>

#define VMMIO_DRV_NAME "irqpath-virtio-mmio"

/* One MSI vector and the queues it signals (vmmio_queue_vector: the device's plan). */
struct vmmio_vector {
	struct vmmio_device *vm_dev;
	unsigned int index;	  /* vector number, 0 = config */
	unsigned int nqueues;	  /* queues the device signals on it */
	unsigned int first_queue; /* the lowest of them (the only one if nqueues == 1) */
	unsigned int last_queue;  /* the highest */
	unsigned int virq;
	void *dev_id; /* what request_irq was given; NULL: not requested */
	/* The affinity hint's storage: the kernel keeps the pointer, so the
	 * caller's (virtio_net's temporary) mask cannot be handed on. */
	cpumask_var_t affinity;
	struct msi_msg msg; /* last message written to the device */
	bool msg_valid;
	bool masked; /* as the irq chip last asked (addrdata keeps it per pair) */
	char name[48];
};

struct vmmio_device;

/*
 * How a device's MSI registers are driven: the seed's version 3 (a vector
 * table behind MSI_COMMAND) or the per-queue address/data pairs of the
 * addrdata design (vmmio_addrdata.c). Everything above the registers
 * (the MSI domain, the vector plan, handlers, affinity) is shared.
 * write_msg and mask run under msi_lock.
 */
struct vmmio_msi_regs {
	const char *name;
	/* the driver, not the device, decides which queues share a vector */
	bool driver_maps;
	/* vectors (v3) or pairs (addrdata) the device implements */
	unsigned int (*count)(struct vmmio_device *vm_dev);
	void (*write_msg)(struct vmmio_device *vm_dev, unsigned int v,
			  const struct msi_msg *msg);
	void (*mask)(struct vmmio_device *vm_dev, unsigned int v, bool masked);
	/* MSI delivery on for the nvec vectors in use; 0 or -EIO if refused */
	int (*enable)(struct vmmio_device *vm_dev);
	void (*disable)(struct vmmio_device *vm_dev);
};

struct vmmio_device {
	struct virtio_device vdev;
	struct platform_device *pdev;
	void __iomem *base;
	resource_size_t window_size;
	unsigned long version;

	/* Version 3 doorbells: queue q at notify_base + notify_multiplier * q. */
	u32 notify_base;
	u32 notify_multiplier;

	/* Queues by device index, for the shared pin and shared MSI vectors. */
	struct virtqueue **vq_by_index;
	unsigned int nvqs;

	/* Legacy pin in use (0: none requested). */
	int legacy_irq;

	/* MSI state (version 3, or a version 2 device with addrdata pairs). */
	const struct vmmio_msi_regs *msi_regs; /* NULL: the single interrupt only */
	raw_spinlock_t msi_lock; /* register sequences (ADDRESS/DATA/COMMAND, QueueSel/pair) */
	int msi_devid;
	bool msi_enabled;
	unsigned int msi_nvec;
	struct vmmio_vector *vectors;
};

struct vmmio_vq_info {
	struct virtqueue *vq;
	/* Precomputed so the notify fast path is one store. */
	void __iomem *notify_addr;
};

static inline struct vmmio_device *to_vmmio_device(struct virtio_device *vdev)
{
	return container_of(vdev, struct vmmio_device, vdev);
}

/* vmmio_main.c */
irqreturn_t vmmio_queue_range_interrupt(struct vmmio_device *vm_dev,
					unsigned int first, unsigned int last);

/* vmmio_msi.c */
int vmmio_msi_domain_init(void);
void vmmio_msi_domain_exit(void);
int vmmio_msi_alloc(struct vmmio_device *vm_dev, unsigned int nvec);
void vmmio_msi_free(struct vmmio_device *vm_dev);
int vmmio_msi_setup(struct vmmio_device *vm_dev);
void vmmio_msi_teardown(struct vmmio_device *vm_dev);
void vmmio_msi_synchronize(struct vmmio_device *vm_dev);
int vmmio_msi_set_affinity(struct vmmio_device *vm_dev, unsigned int queue,
			   const struct cpumask *mask);
const struct cpumask *vmmio_msi_get_affinity(struct vmmio_device *vm_dev,
					     unsigned int queue);
extern bool vmmio_use_msi;
extern const struct vmmio_msi_regs vmmio_v3_regs;

/* vmmio_addrdata.c */
extern const struct vmmio_msi_regs vmmio_addrdata_regs;
bool vmmio_addrdata_detect(struct vmmio_device *vm_dev);
extern unsigned int vmmio_msi_vectors;

/* vmmio_selftest.c */
int vmmio_selftest_run(void);

/* vmmio_devices.c */
int vmmio_devices_register(void);
void vmmio_devices_unregister(void);

#endif
