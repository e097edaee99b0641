/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space behind configuration mechanism #1 (ports 0xCF8
 * address, 0xCFC-0xCFF data): a host bridge at 00:00.0 and one endpoint
 * at 00:01.0 whose 256-byte header and capability list the transport
 * fills in. Only the bits real hardware lets software change are writable.
 */
#ifndef IRQPATH_VMM_PCI_CONFIG_H
#define IRQPATH_VMM_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CFG_SIZE 256u

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID 0x2e
#define PCI_CAP_PTR 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_CAP_LIST 0x10

#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_VNDR 0x09
#define PCI_MSIX_FLAGS_ENABLE 0x8000
#define PCI_MSIX_FLAGS_MASKALL 0x4000

struct pci_endpoint {
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE]; /* writable bits per byte */
	uint32_t bar0_size;	     /* power of two */
	uint32_t bar0_addr;	     /* fixed, assigned like firmware */
	uint8_t msix_cap;	     /* offset of the MSI-X capability, 0 if none */
	uint8_t cap_last;	     /* last capability in the list */
	unsigned cap_free;	     /* where the next capability goes */
};

struct pci_bus {
	uint32_t address; /* latched CONFIG_ADDRESS */
	uint8_t bridge[PCI_CFG_SIZE];
	struct pci_endpoint *dev; /* at 00:01.0 */
	uint64_t cfg_reads, cfg_writes, bad_accesses, bar_moves_refused;
};

void pci_bus_init(struct pci_bus *bus, struct pci_endpoint *dev);
/* Header of a type-0 endpoint; BAR0 is 32-bit memory at addr (size bytes). */
void pci_endpoint_init(struct pci_endpoint *d, uint16_t vendor, uint16_t device, uint32_t class_rev,
		       uint16_t subsys_vendor, uint16_t subsys, uint32_t bar0_addr,
		       uint32_t bar0_size);
/* Appends a capability of len bytes (id first byte); returns its offset or 0. */
uint8_t pci_add_cap(struct pci_endpoint *d, const uint8_t *cap, uint8_t len);
/* Port I/O on 0xCF8..0xCFF (port relative to 0xCF8). */
void pci_bus_io(struct pci_bus *bus, uint16_t port, bool is_write, uint8_t *data, unsigned len);
/* Direct config access to the endpoint (used by the I/O path and tests). */
uint32_t pci_cfg_read(struct pci_endpoint *d, unsigned off, unsigned len);
void pci_cfg_write(struct pci_bus *bus, struct pci_endpoint *d, unsigned off, unsigned len,
		   uint32_t v);
bool pci_memory_enabled(const struct pci_endpoint *d);
uint16_t pci_msix_flags(const struct pci_endpoint *d);

#endif
