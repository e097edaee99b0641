// SPDX-License-Identifier: MIT
#include <string.h>
#include "pci_config.h"

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

void pci_bus_init(struct pci_bus *bus, struct pci_endpoint *dev)
{
	memset(bus, 0, sizeof(*bus));
	bus->dev = dev;
	put16(bus->bridge + PCI_VENDOR_ID, 0x8086);
	put16(bus->bridge + PCI_DEVICE_ID, 0x29c0); /* a host bridge id guests know */
	put32(bus->bridge + PCI_REVISION, 0x06000000);
}

void pci_endpoint_init(struct pci_endpoint *d, uint16_t vendor, uint16_t device, uint32_t class_rev,
		       uint16_t subsys_vendor, uint16_t subsys, uint32_t bar0_addr,
		       uint32_t bar0_size)
{
	memset(d, 0, sizeof(*d));
	put16(d->cfg + PCI_VENDOR_ID, vendor);
	put16(d->cfg + PCI_DEVICE_ID, device);
	put32(d->cfg + PCI_REVISION, class_rev);
	put16(d->cfg + PCI_SUBSYS_VENDOR, subsys_vendor);
	put16(d->cfg + PCI_SUBSYS_ID, subsys);
	put32(d->cfg + PCI_BAR0, bar0_addr); /* 32-bit, non-prefetchable memory */
	d->cfg[PCI_INTERRUPT_PIN] = 1;	     /* INTA# */
	d->bar0_addr = bar0_addr;
	d->bar0_size = bar0_size;
	put16(d->wmask + PCI_COMMAND,
	      PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	d->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

uint8_t pci_add_cap(struct pci_endpoint *d, const uint8_t *cap, uint8_t len)
{
	/* Capabilities are packed from 0x40, dword aligned, linked in order. */
	unsigned off = d->cap_free ? d->cap_free : 0x40;
	if (len < 2 || off + len > PCI_CFG_SIZE)
		return 0;
	memcpy(d->cfg + off, cap, len);
	d->cfg[off + 1] = 0;
	if (d->cap_last)
		d->cfg[d->cap_last + 1] = (uint8_t)off;
	else
		d->cfg[PCI_CAP_PTR] = (uint8_t)off;
	d->cap_last = (uint8_t)off;
	d->cap_free = (off + len + 3) & ~3u;
	put16(d->cfg + PCI_STATUS, PCI_STATUS_CAP_LIST);
	if (cap[0] == PCI_CAP_ID_MSIX) {
		d->msix_cap = (uint8_t)off;
		put16(d->wmask + off + 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	}
	return (uint8_t)off;
}

uint32_t pci_cfg_read(struct pci_endpoint *d, unsigned off, unsigned len)
{
	uint32_t v = 0;
	if (off >= PCI_CFG_SIZE || len > 4 || off + len > PCI_CFG_SIZE)
		return 0xffffffffu;
	memcpy(&v, d->cfg + off, len);
	return v;
}

void pci_cfg_write(struct pci_bus *bus, struct pci_endpoint *d, unsigned off, unsigned len,
		   uint32_t v)
{
	if (off >= PCI_CFG_SIZE || off + len > PCI_CFG_SIZE) {
		bus->bad_accesses++;
		return;
	}
	if (off == PCI_BAR0 && len == 4) {
		/* Sizing writes all-ones; anything else must be the assigned address. */
		if (v == 0xffffffffu)
			put32(d->cfg + PCI_BAR0, ~(d->bar0_size - 1));
		else if ((v & ~0xfu) == d->bar0_addr)
			put32(d->cfg + PCI_BAR0, d->bar0_addr);
		else {
			bus->bar_moves_refused++;
			put32(d->cfg + PCI_BAR0, d->bar0_addr);
		}
		return;
	}
	for (unsigned i = 0; i < len; i++) {
		uint8_t m = d->wmask[off + i];
		d->cfg[off + i] = (uint8_t)((d->cfg[off + i] & ~m) | ((v >> (8 * i)) & m));
	}
}

bool pci_memory_enabled(const struct pci_endpoint *d)
{
	return d->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY;
}

uint16_t pci_msix_flags(const struct pci_endpoint *d)
{
	uint16_t v = 0;
	if (d->msix_cap)
		memcpy(&v, d->cfg + d->msix_cap + 2, 2);
	return v;
}

void pci_bus_io(struct pci_bus *bus, uint16_t port, bool is_write, uint8_t *data, unsigned len)
{
	if (port < 4) {
		/* CONFIG_ADDRESS: only whole-dword accesses latch it. */
		if (port != 0 || len != 4) {
			bus->bad_accesses++;
			if (!is_write)
				memset(data, 0xff, len);
			return;
		}
		if (is_write)
			memcpy(&bus->address, data, 4);
		else
			memcpy(data, &bus->address, 4);
		return;
	}
	unsigned off = (bus->address & 0xfc) + (port - 4);
	unsigned busno = (bus->address >> 16) & 0xff, devno = (bus->address >> 11) & 0x1f;
	unsigned fn = (bus->address >> 8) & 7;
	bool enabled = bus->address & 0x80000000u;
	uint8_t *cfg = NULL;
	struct pci_endpoint *ep = NULL;
	if (enabled && busno == 0 && fn == 0 && devno == 0)
		cfg = bus->bridge;
	else if (enabled && busno == 0 && fn == 0 && devno == 1 && bus->dev)
		ep = bus->dev;
	if (len != 1 && len != 2 && len != 4) {
		bus->bad_accesses++;
		return;
	}
	if (!is_write) {
		bus->cfg_reads++;
		uint32_t v = 0xffffffffu; /* no device: master abort */
		if (cfg && off + len <= PCI_CFG_SIZE)
			memcpy(&v, cfg + off, len);
		else if (ep)
			v = pci_cfg_read(ep, off, len);
		memcpy(data, &v, len);
		return;
	}
	bus->cfg_writes++;
	uint32_t v = 0;
	memcpy(&v, data, len);
	if (ep)
		pci_cfg_write(bus, ep, off, len, v);
}
