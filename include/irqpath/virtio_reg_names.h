/* SPDX-License-Identifier: MIT */
/*
 * Register names shared by the device (irqpath-vmm), the tracer's decoder
 * (irqpath-trace) and the results, so a register is called the same
 * everywhere: virtio-mmio by version, and the virtio-pci BAR0 arrangement
 * irqpath-vmm uses (which the tracer assumes when no layout file is given).
 * Names follow the virtio 1.x specification.
 */
#ifndef IRQPATH_VIRTIO_REG_NAMES_H
#define IRQPATH_VIRTIO_REG_NAMES_H

#include "virtio_mmio_v3.h"

struct irqpath_reg_name {
	unsigned offset;
	const char *name;
	unsigned char min_version, max_version; /* virtio-mmio Version range */
};

static const struct irqpath_reg_name irqpath_mmio_regs[] = {
    {VIRTIO_MMIO_MAGIC_VALUE, "MagicValue", 1, 3},
    {VIRTIO_MMIO_VERSION, "Version", 1, 3},
    {VIRTIO_MMIO_DEVICE_ID, "DeviceID", 1, 3},
    {VIRTIO_MMIO_VENDOR_ID, "VendorID", 1, 3},
    {VIRTIO_MMIO_DEVICE_FEATURES, "DeviceFeatures", 1, 3},
    {VIRTIO_MMIO_DEVICE_FEATURES_SEL, "DeviceFeaturesSel", 1, 3},
    {VIRTIO_MMIO_DRIVER_FEATURES, "DriverFeatures", 1, 3},
    {VIRTIO_MMIO_DRIVER_FEATURES_SEL, "DriverFeaturesSel", 1, 3},
    {VIRTIO_MMIO_GUEST_PAGE_SIZE, "GuestPageSize", 1, 1},
    {VIRTIO_MMIO_QUEUE_SEL, "QueueSel", 1, 3},
    {VIRTIO_MMIO_QUEUE_NUM_MAX, "QueueNumMax", 1, 3},
    {VIRTIO_MMIO_QUEUE_NUM, "QueueNum", 1, 3},
    {VIRTIO_MMIO_QUEUE_ALIGN, "QueueAlign", 1, 1},
    {VIRTIO_MMIO_QUEUE_PFN, "QueuePFN", 1, 1},
    {VIRTIO_MMIO_QUEUE_READY, "QueueReady", 2, 3},
    {VIRTIO_MMIO_QUEUE_NOTIFY, "QueueNotify", 1, 3},
    {VIRTIO_MMIO_INTERRUPT_STATUS, "InterruptStatus", 1, 3},
    {VIRTIO_MMIO_INTERRUPT_ACK, "InterruptACK", 1, 3},
    {VIRTIO_MMIO_STATUS, "Status", 1, 3},
    {VIRTIO_MMIO_QUEUE_DESC_LOW, "QueueDescLow", 2, 3},
    {VIRTIO_MMIO_QUEUE_DESC_HIGH, "QueueDescHigh", 2, 3},
    {VIRTIO_MMIO_QUEUE_AVAIL_LOW, "QueueDriverLow", 2, 3},
    {VIRTIO_MMIO_QUEUE_AVAIL_HIGH, "QueueDriverHigh", 2, 3},
    {VIRTIO_MMIO_QUEUE_USED_LOW, "QueueDeviceLow", 2, 3},
    {VIRTIO_MMIO_QUEUE_USED_HIGH, "QueueDeviceHigh", 2, 3},
    {VIRTIO_MMIO_MSI_STATUS, "MsiStatus", 3, 3},
    {VIRTIO_MMIO_MSI_COMMAND, "MsiCommand", 3, 3},
    {VIRTIO_MMIO_MSI_ADDRESS_LOW, "MsiAddressLow", 3, 3},
    {VIRTIO_MMIO_MSI_ADDRESS_HIGH, "MsiAddressHigh", 3, 3},
    {VIRTIO_MMIO_MSI_DATA, "MsiData", 3, 3},
    {VIRTIO_MMIO_CONFIG_GENERATION, "ConfigGeneration", 2, 3},
};
#define IRQPATH_MMIO_NREGS (sizeof(irqpath_mmio_regs) / sizeof(irqpath_mmio_regs[0]))

/* Name of a virtio-mmio register of a Version 1/2/3 device, or NULL. */
static inline const char *irqpath_mmio_reg_name(unsigned offset, unsigned version)
{
	for (unsigned i = 0; i < IRQPATH_MMIO_NREGS; i++)
		if (irqpath_mmio_regs[i].offset == offset &&
		    version >= irqpath_mmio_regs[i].min_version &&
		    version <= irqpath_mmio_regs[i].max_version)
			return irqpath_mmio_regs[i].name;
	return NULL;
}

/* ---- doorbells: queue q's notify address relative to the window ---- */
/* irqpath-vmm's virtio-mmio v3 device reports these in NotifyBase/NotifyMultiplier. */
#define IRQPATH_V3_NOTIFY_BASE 0x800u
#define IRQPATH_V3_NOTIFY_MULT 4u

/* The one doorbell formula (virtio-pci: cap.offset + queue_notify_off * multiplier). */
static inline unsigned long long irqpath_doorbell_off(unsigned long long base, unsigned mult,
						      unsigned q)
{
	return base + (unsigned long long)mult * q;
}

/* ---- virtio-pci: irqpath-vmm's BAR0 arrangement ---- */
#define IRQPATH_VPCI_COMMON_OFF 0x0000u
#define IRQPATH_VPCI_COMMON_LEN 0x38u
#define IRQPATH_VPCI_ISR_OFF 0x1000u
#define IRQPATH_VPCI_DEVCFG_OFF 0x2000u
#define IRQPATH_VPCI_NOTIFY_OFF 0x3000u
#define IRQPATH_VPCI_NOTIFY_MULT 4u
#define IRQPATH_VPCI_MSIX_TABLE_OFF 0x4000u
#define IRQPATH_VPCI_MSIX_PBA_OFF 0x5000u
#define IRQPATH_VPCI_BAR0_SIZE 0x8000u

/* Common configuration fields (virtio 1.x 4.1.4.3): offset, width, name. */
struct irqpath_pci_field {
	unsigned char offset, width;
	const char *name;
};
static const struct irqpath_pci_field irqpath_pci_common[] = {
    {0x00, 4, "device_feature_select"}, {0x04, 4, "device_feature"},
    {0x08, 4, "driver_feature_select"}, {0x0c, 4, "driver_feature"},
    {0x10, 2, "config_msix_vector"},	{0x12, 2, "num_queues"},
    {0x14, 1, "device_status"},		{0x15, 1, "config_generation"},
    {0x16, 2, "queue_select"},		{0x18, 2, "queue_size"},
    {0x1a, 2, "queue_msix_vector"},	{0x1c, 2, "queue_enable"},
    {0x1e, 2, "queue_notify_off"},	{0x20, 4, "queue_desc_lo"},
    {0x24, 4, "queue_desc_hi"},		{0x28, 4, "queue_driver_lo"},
    {0x2c, 4, "queue_driver_hi"},	{0x30, 4, "queue_device_lo"},
    {0x34, 4, "queue_device_hi"},
};
#define IRQPATH_PCI_NCOMMON (sizeof(irqpath_pci_common) / sizeof(irqpath_pci_common[0]))

/* The BAR0 regions after the common configuration, each 4 KiB from its offset. */
#define IRQPATH_VPCI_REGION_SIZE 0x1000u
static const struct irqpath_reg_name irqpath_pci_regions[] = {
    {IRQPATH_VPCI_ISR_OFF, "isr", 0, 0},
    {IRQPATH_VPCI_DEVCFG_OFF, "device_config", 0, 0},
    {IRQPATH_VPCI_NOTIFY_OFF, "notify", 0, 0},
    {IRQPATH_VPCI_MSIX_TABLE_OFF, "msix_table", 0, 0},
    {IRQPATH_VPCI_MSIX_PBA_OFF, "msix_pba", 0, 0},
};
#define IRQPATH_PCI_NREGIONS (sizeof(irqpath_pci_regions) / sizeof(irqpath_pci_regions[0]))

#endif
