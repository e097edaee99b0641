/* SPDX-License-Identifier: MIT */
/*
 * virtio-pci modern transport (virtio 1.x section 4.1): vendor 0x1af4,
 * device 0x1040 + device id, the common/notify/ISR/device capabilities in
 * BAR0, and MSI-X with its table and PBA in BAR0. Per-vector masking is
 * honoured: a message for a masked vector sets its pending bit and is sent
 * when the vector is unmasked.
 */
#ifndef IRQPATH_VMM_VIRTIO_PCI_H
#define IRQPATH_VMM_VIRTIO_PCI_H

#include "irq_sink.h"
#include "irqpath/virtio_reg_names.h"
#include "pci_config.h"
#include "virtio_dev.h"

/* BAR0 layout: shared with the tracer's decoder (irqpath/virtio_reg_names.h) */
#define VPCI_COMMON_OFF IRQPATH_VPCI_COMMON_OFF
#define VPCI_COMMON_LEN IRQPATH_VPCI_COMMON_LEN
#define VPCI_ISR_OFF IRQPATH_VPCI_ISR_OFF
#define VPCI_DEVCFG_OFF IRQPATH_VPCI_DEVCFG_OFF
#define VPCI_NOTIFY_OFF IRQPATH_VPCI_NOTIFY_OFF
#define VPCI_NOTIFY_MULT IRQPATH_VPCI_NOTIFY_MULT
#define VPCI_MSIX_TABLE_OFF IRQPATH_VPCI_MSIX_TABLE_OFF
#define VPCI_MSIX_PBA_OFF IRQPATH_VPCI_MSIX_PBA_OFF
#define VPCI_BAR0_SIZE IRQPATH_VPCI_BAR0_SIZE
#define VIRTIO_MSI_NO_VECTOR 0xffffu

/* common configuration fields */
#define VPCI_DFSELECT 0x00
#define VPCI_DF 0x04
#define VPCI_GFSELECT 0x08
#define VPCI_GF 0x0c
#define VPCI_MSIX_CONFIG 0x10
#define VPCI_NUM_QUEUES 0x12
#define VPCI_STATUS 0x14
#define VPCI_CFG_GENERATION 0x15
#define VPCI_Q_SELECT 0x16
#define VPCI_Q_SIZE 0x18
#define VPCI_Q_MSIX 0x1a
#define VPCI_Q_ENABLE 0x1c
#define VPCI_Q_NOFF 0x1e
#define VPCI_Q_DESCLO 0x20
#define VPCI_Q_DESCHI 0x24
#define VPCI_Q_AVAILLO 0x28
#define VPCI_Q_AVAILHI 0x2c
#define VPCI_Q_USEDLO 0x30
#define VPCI_Q_USEDHI 0x34

#define VPCI_COMMON_FIELDS IRQPATH_PCI_NCOMMON

struct virtio_pci {
	struct virtio_dev *dev;
	struct irq_sink irq;
	struct pci_endpoint ep;
	struct pci_bus bus;
	unsigned msix_count;

	uint32_t dfselect, gfselect;
	uint16_t queue_select;
	uint16_t config_vector;
	uint16_t queue_vector[VIRTIO_MAX_QUEUES];
	uint8_t isr;

	struct msi_vector msix[MSI_MAX_VECTORS];
	uint8_t msix_dirty[MSI_MAX_VECTORS]; /* table changed: re-route before firing */

	/* counters */
	uint64_t common_reads[VPCI_COMMON_FIELDS], common_writes[VPCI_COMMON_FIELDS];
	uint64_t isr_reads, notify_writes, devcfg_reads, msix_table_writes, msix_table_reads;
	uint64_t pba_reads, bad_accesses, disabled_accesses, intx_raises, msix_dropped;
};

int virtio_pci_init(struct virtio_pci *p, struct virtio_dev *dev, uint32_t bar0_addr,
		    unsigned msix_vectors, const struct irq_sink *irq);
/* An access inside BAR0 (offset relative to the BAR). */
void virtio_pci_bar_access(struct virtio_pci *p, uint64_t off, bool is_write, uint8_t *data,
			   unsigned len);
/* Port I/O on 0xCF8..0xCFF. */
void virtio_pci_cfg_io(struct virtio_pci *p, uint16_t port, bool is_write, uint8_t *data,
		       unsigned len);
/* Queue q's doorbell, relative to BAR0 (the notify capability's arrangement). */
uint64_t virtio_pci_doorbell(unsigned q);
/* Name of a common-config field by offset, or of the BAR region. */
const char *virtio_pci_reg_name(uint64_t off);
/* Index into the common_* counters for a field offset, or -1. */
int virtio_pci_common_index(unsigned off);

#endif
