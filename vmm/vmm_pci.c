// SPDX-License-Identifier: MIT
/*
 * Wires the virtio-pci transport into the VM: config mechanism #1 on the
 * port bus, BAR0 on the MMIO bus, doorbells as ioeventfds, one irqfd per
 * MSI-X entry, INTx on IOAPIC pin 11 as a fallback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "irqpath/guest_abi.h"
#include "transport_pci.h"
#include "virtio_pci.h"
#include "vmm.h"

#define PCI_INTX_PIN 11u

static struct virtio_pci *vp(struct vmm *m)
{
	return (struct virtio_pci *)m->pci;
}

static void bar_access(void *o, uint64_t off, bool w, uint8_t *d, unsigned len)
{
	virtio_pci_bar_access(o, off, w, d, len);
}

static void cfg_io(void *o, uint64_t port, bool w, uint8_t *d, unsigned len)
{
	virtio_pci_cfg_io(o, (uint16_t)port, w, d, len);
}

int vmm_setup_pci(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen)
{
	struct virtio_pci *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->pci = (struct transport_pci *)p;
	if (virtio_pci_init(p, m->dev, (uint32_t)GABI_PCI_BAR0_GPA, m->opt.msi_vectors, sink)) {
		snprintf(err, errlen, "bad virtio-pci settings");
		return -1;
	}
	m->mmio_regions[m->n_mmio_regions++] = (struct bus_region){
	    GABI_PCI_BAR0_GPA, VPCI_BAR0_SIZE, bar_access, p, "virtio-pci BAR0"};
	m->pio_regions[m->n_pio_regions++] =
	    (struct bus_region){PCI_CONFIG_ADDRESS, 8, cfg_io, p, "pci config"};
	if (vmm_new_eventfd(&m->pin_fd, err, errlen))
		return -1;
	if (kvm_irqfd(&m->vm, PCI_INTX_PIN, m->pin_fd, -1)) {
		snprintf(err, errlen, "KVM_IRQFD on GSI %u: %s", PCI_INTX_PIN, strerror(errno));
		return -1;
	}
	if (vmm_setup_msi_fds(m, m->opt.msi_vectors, err, errlen))
		return -1;
	if (m->opt.notify_exit)
		return 0;
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++) {
		if (vmm_new_eventfd(&m->notify_fd[q], err, errlen))
			return -1;
		uint64_t addr = vmm_pci_doorbell_gpa(m, q);
		if (kvm_ioeventfd(&m->vm, addr, 2, m->notify_fd[q], -1, false)) {
			snprintf(err, errlen, "KVM_IOEVENTFD at %#llx: %s",
				 (unsigned long long)addr, strerror(errno));
			return -1;
		}
	}
	return 0;
}

void vmm_teardown_pci(struct vmm *m)
{
	free(m->pci);
	m->pci = NULL;
}

uint64_t vmm_pci_bar_size(void)
{
	return VPCI_BAR0_SIZE;
}

uint64_t vmm_pci_doorbell_gpa(struct vmm *m, unsigned q)
{
	(void)m;
	return GABI_PCI_BAR0_GPA + VPCI_NOTIFY_OFF + (uint64_t)VPCI_NOTIFY_MULT * q;
}

const struct msi_vector *vmm_pci_msi(struct vmm *m, unsigned idx)
{
	return idx < vp(m)->msix_count ? &vp(m)->msix[idx] : NULL;
}

const char *vmm_pci_vector_queue(struct vmm *m, unsigned idx)
{
	struct virtio_pci *p = vp(m);
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++)
		if (p->queue_vector[q] == idx)
			return virtio_dev_queue_name(m->dev, q);
	return p->config_vector == idx ? "config" : "unused";
}

void vmm_pci_layout_registers(struct vmm *m, json_t *regs)
{
	(void)m;
	for (unsigned off = 0; off < VPCI_COMMON_LEN; off++)
		if (virtio_pci_common_index(off) >= 0)
			json_array_append_new(regs, json_pack("{s:i,s:s}", "offset", off, "name",
							      virtio_pci_reg_name(off)));
	static const unsigned regions[] = {VPCI_ISR_OFF, VPCI_DEVCFG_OFF, VPCI_NOTIFY_OFF,
					   VPCI_MSIX_TABLE_OFF, VPCI_MSIX_PBA_OFF};
	for (unsigned i = 0; i < 5; i++)
		json_array_append_new(regs, json_pack("{s:i,s:s}", "offset", regions[i], "name",
						      virtio_pci_reg_name(regions[i])));
}

static void rw(json_t *o, const char *name, uint64_t r, uint64_t w)
{
	if (r || w)
		json_object_set_new(
		    o, name,
		    json_pack("{s:I,s:I}", "reads", (json_int_t)r, "writes", (json_int_t)w));
}

void vmm_pci_report(struct vmm *m, json_t *o)
{
	struct virtio_pci *p = vp(m);
	json_t *regs = json_object();
	for (unsigned off = 0; off < VPCI_COMMON_LEN; off++) {
		int i = virtio_pci_common_index(off);
		if (i >= 0)
			rw(regs, virtio_pci_reg_name(off), p->common_reads[i], p->common_writes[i]);
	}
	rw(regs, "isr", p->isr_reads, 0);
	rw(regs, "notify", 0, p->notify_writes);
	rw(regs, "device_config", p->devcfg_reads, 0);
	rw(regs, "msix_table", p->msix_table_reads, p->msix_table_writes);
	rw(regs, "msix_pba", p->pba_reads, 0);
	json_object_set_new(o, "pci_by_register", regs);
	json_object_set_new(o, "pci_config",
			    json_pack("{s:I,s:I,s:I}", "reads", (json_int_t)p->bus.cfg_reads,
				      "writes", (json_int_t)p->bus.cfg_writes, "bad_accesses",
				      (json_int_t)p->bus.bad_accesses));
	json_object_set_new(o, "bad_accesses", json_integer((json_int_t)p->bad_accesses));
	json_object_set_new(o, "msix_dropped", json_integer((json_int_t)p->msix_dropped));
	json_object_set_new(o, "intx_raises", json_integer((json_int_t)p->intx_raises));
	json_t *msi = json_object();
	for (unsigned i = 0; i < p->msix_count; i++) {
		char k[16];
		snprintf(k, sizeof(k), "%u", i);
		json_object_set_new(msi, k,
				    json_pack("{s:I,s:i,s:b,s:I,s:s}", "fired",
					      (json_int_t)p->msix[i].fired, "vector",
					      p->msix[i].data & 0xff, "masked", p->msix[i].masked,
					      "pending", (json_int_t)p->msix[i].pending, "queue",
					      vmm_pci_vector_queue(m, i)));
	}
	json_object_set_new(o, "msi", msi);
}
