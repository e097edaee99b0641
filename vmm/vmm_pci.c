// SPDX-License-Identifier: MIT
/*
 * Wires the virtio-pci transport into the VM: config mechanism #1 on the
 * port bus, BAR0 on the MMIO bus, doorbells as ioeventfds, one irqfd per
 * MSI-X entry, INTx on IOAPIC pin GABI_PCI_INTX_PIN as a fallback.
 */
#include <stdio.h>
#include <stdlib.h>
#include "irqpath/guest_abi.h"
#include "virtio_pci.h"
#include "vmm.h"

static struct virtio_pci *vp(const struct vmm *m)
{
	return m->tstate;
}

static void bar_access(void *o, uint64_t off, bool w, uint8_t *d, unsigned len)
{
	virtio_pci_bar_access(o, off, w, d, len);
}

static void cfg_io(void *o, uint64_t port, bool w, uint8_t *d, unsigned len)
{
	virtio_pci_cfg_io(o, (uint16_t)port, w, d, len);
}

static int setup(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen)
{
	struct virtio_pci *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->tstate = p;
	if (virtio_pci_init(p, m->dev, (uint32_t)GABI_PCI_BAR0_GPA, m->opt.msi_vectors, sink)) {
		snprintf(err, errlen, "bad virtio-pci settings");
		return -1;
	}
	vmm_add_region(m, false,
		       (struct bus_region){GABI_PCI_BAR0_GPA, VPCI_BAR0_SIZE, bar_access, p,
					   "virtio-pci BAR0"});
	vmm_add_region(m, true,
		       (struct bus_region){PCI_CONFIG_ADDRESS, 8, cfg_io, p, "pci config"});
	if (vmm_setup_pin(m, GABI_PCI_INTX_PIN, false, err, errlen))
		return -1;
	return vmm_setup_msi_fds(m, m->opt.msi_vectors, err, errlen);
}

static void teardown(struct vmm *m)
{
	free(m->tstate);
	m->tstate = NULL;
}

static void doorbell(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + virtio_pci_doorbell(q), 2, -1};
}

/*
 * An MSI-X entry is programmed once the driver wrote its address (reset
 * leaves it 0); the device routes it on first use, so "valid" is not it.
 */
static bool msi(const struct vmm *m, unsigned idx, struct msi_vector *out)
{
	if (idx >= vp(m)->msix_count || !vp(m)->msix[idx].addr)
		return false;
	*out = vp(m)->msix[idx];
	return true;
}

/* The vector the driver wrote to msix_config / queue_msix_vector. */
static int msi_index(const struct vmm *m, int q)
{
	const struct virtio_pci *p = vp(m);
	unsigned v = q == VMM_CONFIG ? p->config_vector : p->queue_vector[q];
	return v < p->msix_count ? (int)v : -1;
}

static void layout_registers(const struct vmm *m, json_t *regs)
{
	(void)m;
	for (unsigned off = 0; off < VPCI_COMMON_LEN; off++)
		if (virtio_pci_common_index(off) >= 0)
			json_array_append_new(regs, json_pack("{s:i,s:s}", "offset", off, "name",
							      virtio_pci_reg_name(off)));
	static const unsigned regions[] = {VPCI_ISR_OFF, VPCI_DEVCFG_OFF, VPCI_NOTIFY_OFF,
					   VPCI_MSIX_TABLE_OFF, VPCI_MSIX_PBA_OFF};
	for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
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

/* Queue name of MSI-X entry idx: the first queue on it, else the config. */
static const char *entry_queue(const struct vmm *m, unsigned idx)
{
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++)
		if (msi_index(m, (int)q) == (int)idx)
			return virtio_dev_queue_name(m->dev, q);
	return msi_index(m, VMM_CONFIG) == (int)idx ? "config" : "unused";
}

static void report(const struct vmm *m, json_t *o)
{
	const struct virtio_pci *p = vp(m);
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
	json_t *msis = json_object();
	for (unsigned i = 0; i < p->msix_count; i++) {
		char k[16];
		snprintf(k, sizeof(k), "%u", i);
		json_object_set_new(msis, k,
				    json_pack("{s:I,s:i,s:b,s:I,s:s}", "fired",
					      (json_int_t)p->msix[i].fired, "vector",
					      p->msix[i].data & 0xff, "masked", p->msix[i].masked,
					      "pending", (json_int_t)p->msix[i].pending, "queue",
					      entry_queue(m, i)));
	}
	json_object_set_new(o, "msi", msis);
}

static void linux_cmdline(const struct vmm_transport *t, char *buf, size_t len)
{
	(void)t;
	snprintf(buf, len, "pci=conf1");
}

static const struct vmm_transport pci = {
    .name = "pci",
    .summary = "virtio-pci modern, MSI-X per queue, notify capability",
    .gabi_transport = GABI_TRANSPORT_PCI,
    .window_gpa = GABI_PCI_BAR0_GPA,
    .window_size = VPCI_BAR0_SIZE,
    .level_pin = -1,
    .setup = setup,
    .teardown = teardown,
    .doorbell = doorbell,
    .msi = msi,
    .msi_index = msi_index,
    .layout_registers = layout_registers,
    .report = report,
    .linux_cmdline = linux_cmdline,
};
VMM_TRANSPORT(pci)
