// SPDX-License-Identifier: MIT
/* Hostile scenarios that only make sense with MSI and doorbells (v3). */
#include "transport.h"

#define R(off) (GABI_MMIO_DEV_GPA + (off))

int hostile_transport_specific(const struct transport *t, unsigned scenario);
int hostile_pci_specific(unsigned scenario);

int hostile_transport_specific(const struct transport *t, unsigned scenario)
{
	if (t != &mmio_transport) {
		int rc = hostile_pci_specific(scenario);
		if (rc == 0) {
			t->set_status(0);
			for (int i = 0; i < 2000; i++)
				__asm__ volatile("sti; nop; cli");
		}
		return rc;
	}
	if (rd32(R(VIRTIO_MMIO_VERSION)) != 3)
		return -1;
	switch (scenario) {
	case GABI_HOSTILE_MSI_BAD_VECTOR:
		/* Vector indexes past the count the device reported. */
		wr32(R(VIRTIO_MMIO_MSI_ADDRESS_LOW), (u32)GABI_LAPIC_GPA);
		wr32(R(VIRTIO_MMIO_MSI_DATA), 0x50);
		wr16(R(VIRTIO_MMIO_MSI_COMMAND),
		     VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, 100));
		wr16(R(VIRTIO_MMIO_MSI_COMMAND),
		     VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UNMASK, 0xfff));
		wr16(R(VIRTIO_MMIO_MSI_COMMAND), 0xf123); /* unknown op */
		/* A non-APIC address for a real vector. */
		wr32(R(VIRTIO_MMIO_MSI_ADDRESS_LOW), 0x1000);
		wr16(R(VIRTIO_MMIO_MSI_COMMAND),
		     VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UPDATE, 0));
		return 0;
	case GABI_HOSTILE_DOORBELL_PAST: {
		u32 n = rd32(R(VIRTIO_MMIO_QUEUE_NOTIFY));
		uptr base = R(VIRTIO_MMIO_NOTIFY_BASE(n));
		unsigned mult = VIRTIO_MMIO_NOTIFY_MULTIPLIER(n);
		wr32(base + mult * 5, 5);		/* a queue that does not exist */
		wr32(base + 2, 1);			/* between doorbells */
		wr32(R(GABI_MMIO_DEV_SIZE - 4), 1);	/* last word of the window */
		wr32(R(GABI_MMIO_DEV_SIZE + 0x100), 1); /* past the window */
		(void)rd32(base);			/* doorbells are write-only */
		return 0;
	}
	default:
		return -1;
	}
}
