// SPDX-License-Identifier: MIT
/*
 * The virtio-pci transport in front of the virtio-net device: PCI
 * configuration space through ports 0xCF8/0xCFC (header, capability list,
 * MSI-X control), and BAR0 (common config, ISR, device config, doorbells,
 * the MSI-X table and PBA).
 *
 * Input: header (MSI-X vector count, RAM size, reflect response size,
 * image length, route refusal), the guest memory image, then a program of
 * steps: BAR0 accesses (offset, width 1/2/4/8, read/write, value), raw
 * port I/O on 0xCF8..0xCFF, config-space accesses to 00:01.0 (address
 * latch + data, the way a driver does it), ioeventfd notifies, and guest
 * memory pokes.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "fuzz_net.h"
#include "irqpath/guest_abi.h"
#include "net_backend.h"
#include "virtio_net.h"
#include "virtio_pci.h"

#define MAX_STEPS 256u

struct sink_state {
	struct virtio_pci *p;
	uint64_t pins, fires, programs;
	bool refuse_routes;
};

static void sink_raise_pin(void *opaque)
{
	struct sink_state *s = opaque;
	/* INTx only while MSI-X is off and the driver has not disabled it. */
	FUZZ_ASSERT(!(pci_msix_flags(&s->p->ep) & PCI_MSIX_FLAGS_ENABLE));
	FUZZ_ASSERT(!(s->p->ep.cfg[PCI_COMMAND + 1] & (PCI_COMMAND_INTX_DISABLE >> 8)));
	s->pins++;
}

static int sink_msi_program(void *opaque, unsigned idx, uint64_t addr, uint32_t data)
{
	struct sink_state *s = opaque;
	(void)data;
	FUZZ_ASSERT(idx < s->p->msix_count);
	FUZZ_ASSERT((addr >> 20) == 0xfee);
	s->programs++;
	return s->refuse_routes ? -1 : 0;
}

static void sink_msi_fire(void *opaque, unsigned idx)
{
	struct sink_state *s = opaque;
	uint16_t flags = pci_msix_flags(&s->p->ep);
	FUZZ_ASSERT(idx < s->p->msix_count);
	FUZZ_ASSERT(s->p->msix[idx].valid && !s->p->msix[idx].masked);
	FUZZ_ASSERT((flags & PCI_MSIX_FLAGS_ENABLE) && !(flags & PCI_MSIX_FLAGS_MASKALL));
	s->fires++;
}

static void check_device(const struct virtio_pci *p, const struct guest_mem *m)
{
	char err[192];
	const struct virtio_dev *d = p->dev;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if (d->vq[q].ready)
			FUZZ_ASSERT(vq_validate(&d->vq[q], m, err, sizeof(err)) == 0);
	/* BAR0 never moves, whatever the guest writes. */
	uint32_t bar;
	memcpy(&bar, p->ep.cfg + PCI_BAR0, 4);
	FUZZ_ASSERT(bar == (uint32_t)GABI_PCI_BAR0_GPA || bar == ~(VPCI_BAR0_SIZE - 1));
	FUZZ_ASSERT(p->ep.msix_cap >= 0x40 && p->ep.cap_free <= PCI_CFG_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct sink_state sink = {0};
	static struct virtio_pci p; /* large: keep it off the stack */

	sink.refuse_routes = fin_u8(&in) & 1;
	unsigned vectors = fin_u8(&in) % MSI_MAX_VECTORS + 1;
	struct fuzz_net fn;
	if (fuzz_net_open(&in, &fn))
		return 0;
	struct guest_mem *m = &fn.m;
	struct virtio_dev *d = virtio_net_dev(fn.net);
	struct irq_sink irq = {sink_raise_pin, sink_msi_program, sink_msi_fire, &sink};
	sink.p = &p;
	FUZZ_ASSERT(virtio_pci_init(&p, d, (uint32_t)GABI_PCI_BAR0_GPA, vectors, &irq) == 0);

	for (unsigned step = 0; step < MAX_STEPS && in.left; step++) {
		uint8_t kind = fin_u8(&in);
		uint8_t buf[8];
		unsigned len = 1u << (kind >> 3 & 3);
		bool is_write = kind & 0x20;
		switch (kind % 8) {
		default: { /* BAR0 access; the VMM only routes offsets inside the BAR */
			uint64_t off = fin_u16(&in) % VPCI_BAR0_SIZE;
			uint64_t v = is_write ? fin_u64(&in) : 0;
			memcpy(buf, &v, 8);
			if (off + len <= VPCI_BAR0_SIZE)
				virtio_pci_bar_access(&p, off, is_write, buf, len);
			break;
		}
		case 3: { /* raw port I/O on 0xCF8..0xCFF, widths KVM delivers */
			uint16_t port = fin_u8(&in) % 8;
			uint32_t v = is_write ? fin_u32(&in) : 0;
			if (len == 8)
				len = 4;
			memcpy(buf, &v, 4);
			virtio_pci_cfg_io(&p, port, is_write, buf, len);
			break;
		}
		case 4: { /* config access to a function: address latch, then data */
			uint8_t reg = fin_u8(&in);
			uint8_t devfn =
			    fin_u8(&in) & 0x0f ? fin_u8(&in) : 1 << 3; /* mostly 00:01.0 */
			uint32_t addr = 0x80000000u | (uint32_t)devfn << 8 | (reg & 0xfcu);
			uint32_t v = is_write ? fin_u32(&in) : 0;
			if (len == 8)
				len = 4;
			memcpy(buf, &addr, 4);
			virtio_pci_cfg_io(&p, 0, true, buf, 4);
			memcpy(buf, &v, 4);
			virtio_pci_cfg_io(&p, (uint16_t)(4 + (reg & (4 - len))), is_write, buf,
					  len);
			break;
		}
		case 5: { /* the I/O thread drained n ioeventfd kicks for a queue */
			unsigned q = fin_u8(&in) % (VIRTIO_MAX_QUEUES + 1);
			uint64_t n = fin_u8(&in) + 1;
			pthread_mutex_lock(&d->lock);
			virtio_dev_notify_n(d, q, n);
			pthread_mutex_unlock(&d->lock);
			break;
		}
		case 6: { /* the guest rewrites 8 bytes of its memory */
			uint32_t at = fin_u32(&in);
			uint64_t v = fin_u64(&in);
			memcpy(m->host + at % (m->size - 7), &v, 8);
			break;
		}
		}
		check_device(&p, m);
	}
	fuzz_net_close(&fn);
	return 0;
}
