// SPDX-License-Identifier: GPL-2.0
/*
 * Platform devices declared by the devices= module parameter, because
 * Debian's kernel is built without virtio_mmio.device= support:
 *
 *   devices=SIZE@BASE:GSI[,SIZE@BASE:GSI...]   e.g. 4K@0xd0000000:5
 *
 * SIZE takes K/M suffixes. GSI is the interrupt controller input: with
 * ACPI it is mapped through acpi_register_gsi() (level, active high, as
 * virtio-mmio interrupts are); without ACPI (MP table, legacy IRQs) it is
 * used as the Linux IRQ number, which equals the pin for ISA IRQs 0-15.
 *
 * stock=1 declares them under the stock driver's platform name instead
 * ("virtio-mmio"), so Debian's own virtio_mmio module drives them: the
 * stock-driver baseline on a VMM that has no ACPI or device tree.
 */
#include <linux/acpi.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmmio.h"

static char *devices;
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices,
		 "virtio-mmio devices as SIZE@BASE:GSI[,...], e.g. 4K@0xd0000000:5");

static bool stock;
module_param(stock, bool, 0444);
MODULE_PARM_DESC(stock, "declare the devices for the stock virtio_mmio driver instead");

#define VMMIO_STOCK_NAME "virtio-mmio" /* drivers/virtio/virtio_mmio.c's platform name */
#define VMMIO_MAX_DEVICES 16

struct vmmio_declared {
	struct platform_device *pdev;
	u32 gsi;
	bool gsi_registered;
};

static struct vmmio_declared vmmio_declared[VMMIO_MAX_DEVICES];
static unsigned int vmmio_ndeclared;

static int vmmio_parse_one(char *spec, u64 *base, u64 *size, u32 *gsi)
{
	char *at, *colon, *end;

	at = strchr(spec, '@');
	colon = at ? strchr(at, ':') : NULL;
	if (!at || !colon)
		return -EINVAL;
	*at = '\0';
	*colon = '\0';
	*size = memparse(spec, &end);
	if (end == spec || *end || *size < VIRTIO_MMIO_CONFIG)
		return -EINVAL;
	if (kstrtoull(at + 1, 0, base) || kstrtou32(colon + 1, 0, gsi))
		return -EINVAL;
	if (*base + *size < *base)
		return -EINVAL;
	return 0;
}

static int vmmio_map_gsi(struct vmmio_declared *d)
{
#ifdef CONFIG_ACPI
	if (!acpi_disabled) {
		int irq = acpi_register_gsi(NULL, d->gsi, ACPI_LEVEL_SENSITIVE,
					    ACPI_ACTIVE_HIGH);

		if (irq >= 0)
			d->gsi_registered = true;
		return irq;
	}
#endif
	return d->gsi;
}

static void vmmio_unmap_gsi(struct vmmio_declared *d)
{
#ifdef CONFIG_ACPI
	if (d->gsi_registered)
		acpi_unregister_gsi(d->gsi);
#endif
	d->gsi_registered = false;
}

static int vmmio_declare(char *spec)
{
	struct vmmio_declared *d = &vmmio_declared[vmmio_ndeclared];
	struct resource res[2] = {};
	const char *name;
	u64 base, size;
	int irq, err;

	if (vmmio_ndeclared == VMMIO_MAX_DEVICES) {
		pr_err("irqpath-virtio-mmio: more than %d devices declared\n",
		       VMMIO_MAX_DEVICES);
		return -E2BIG;
	}
	err = vmmio_parse_one(spec, &base, &size, &d->gsi);
	if (err) {
		pr_err("irqpath-virtio-mmio: cannot parse device '%s' (want SIZE@BASE:GSI, e.g. 4K@0xd0000000:5)\n",
		       spec);
		return err;
	}
	irq = vmmio_map_gsi(d);
	if (irq < 0) {
		pr_err("irqpath-virtio-mmio: cannot map GSI %u: %d\n", d->gsi,
		       irq);
		return irq;
	}

	res[0] = (struct resource)DEFINE_RES_MEM(base, size);
	res[1] = (struct resource)DEFINE_RES_IRQ(irq);
	name = stock ? VMMIO_STOCK_NAME : VMMIO_DRV_NAME;
	d->pdev = platform_device_register_resndata(NULL, name, PLATFORM_DEVID_AUTO, res,
						    ARRAY_SIZE(res), NULL, 0);
	if (IS_ERR(d->pdev)) {
		err = PTR_ERR(d->pdev);
		pr_err("irqpath-virtio-mmio: cannot register device at 0x%llx: %d\n",
		       base, err);
		d->pdev = NULL;
		vmmio_unmap_gsi(d);
		return err;
	}
	pr_info("irqpath-virtio-mmio: declared 0x%llx@0x%llx, GSI %u (IRQ %d) for %s\n", size,
		base, d->gsi, irq, stock ? "the stock virtio_mmio" : "this driver");
	vmmio_ndeclared++;
	return 0;
}

int vmmio_devices_register(void)
{
	char *copy, *cursor, *spec;
	int err = 0;

	if (!devices || !*devices) {
		pr_info("irqpath-virtio-mmio: no devices= given; nothing to drive\n");
		return 0;
	}
	copy = kstrdup(devices, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = copy;
	while ((spec = strsep(&cursor, ",")) != NULL) {
		if (!*spec)
			continue;
		err = vmmio_declare(spec);
		if (err)
			break;
	}
	kfree(copy);
	if (err)
		vmmio_devices_unregister();
	return err;
}

void vmmio_devices_unregister(void)
{
	while (vmmio_ndeclared) {
		struct vmmio_declared *d = &vmmio_declared[--vmmio_ndeclared];

		platform_device_unregister(d->pdev);
		d->pdev = NULL;
		vmmio_unmap_gsi(d);
	}
}
