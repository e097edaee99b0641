// SPDX-License-Identifier: MIT
/*
 * virtio-pci (modern) driver: find 1af4:1041 on bus 0 through
 * configuration mechanism #1, walk its capability list for the common,
 * notify, ISR and device configuration windows and for MSI-X, then give
 * config its own vector and each queue one (sharing them when the table
 * is small, as Linux's virtio-pci falls back).
 */
#include "transport.h"

#define CF8 0xcf8
#define CFC 0xcfc
#define DEVFN_ADDR(dev, off) (0x80000000u | (u32)(dev) << 11 | ((off)&0xfc))

/* common configuration offsets (virtio 1.x 4.1.4.3) */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_MSIX_CONFIG 0x10
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_MSIX 0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_AVAIL 0x28
#define C_Q_USED 0x30
#define NO_VECTOR 0xffff

static unsigned slot;
static uptr common, notify_base, isr, devcfg, msix_table;
static u32 notify_mult;
static unsigned msix_size, msix_used;
static u8 msix_cap;
static u16 queue_vec[GABI_MAX_QUEUES];

static u32 cfg_read32(unsigned dev, unsigned off)
{
	outl(CF8, DEVFN_ADDR(dev, off));
	return inl(CFC);
}
static u8 cfg_read8(unsigned dev, unsigned off)
{
	outl(CF8, DEVFN_ADDR(dev, off));
	return inb((u16)(CFC + (off & 3)));
}
static u16 cfg_read16(unsigned dev, unsigned off)
{
	outl(CF8, DEVFN_ADDR(dev, off));
	return inw((u16)(CFC + (off & 2)));
}
static void cfg_write16(unsigned dev, unsigned off, u16 v)
{
	outl(CF8, DEVFN_ADDR(dev, off));
	outw((u16)(CFC + (off & 2)), v);
}

static uptr bar_base(unsigned bar)
{
	u32 lo = cfg_read32(slot, 0x10 + 4 * bar);
	if (lo & 1)
		return 0; /* I/O BAR: not used by modern virtio */
	uptr b = lo & ~0xfu;
	if (((lo >> 1) & 3) == 2)
		b |= (uptr)cfg_read32(slot, 0x14 + 4 * bar) << 32;
	return b;
}

static int pci_probe(const char **why)
{
	for (slot = 0; slot < 32; slot++)
		if (cfg_read32(slot, 0) == (0x1041u << 16 | 0x1af4u))
			break;
	if (slot == 32) {
		*why = booted_pvh ? "no virtio_mmio.device= (microvm: acpi=off) nor PCI 1af4:1041"
				  : "no virtio-net PCI device on bus 0";
		return -1;
	}
	/* memory decoding + bus mastering, INTx off (MSI-X only) */
	cfg_write16(slot, 0x04, 0x2 | 0x4 | 0x400);
	if (!(cfg_read16(slot, 0x06) & 0x10)) {
		*why = "device has no capability list";
		return -1;
	}
	common = notify_base = isr = devcfg = msix_table = 0;
	for (u8 p = cfg_read8(slot, 0x34) & 0xfc, n = 0; p && n < 48;
	     p = cfg_read8(slot, p + 1) & 0xfc, n++) {
		u8 id = cfg_read8(slot, p);
		if (id == 0x11) {
			msix_cap = p;
			msix_size = (cfg_read16(slot, p + 2) & 0x7ff) + 1;
			u32 t = cfg_read32(slot, p + 4);
			msix_table = bar_base(t & 7) + (t & ~7u);
			continue;
		}
		if (id != 0x09)
			continue;
		u8 type = cfg_read8(slot, p + 3), bar = cfg_read8(slot, p + 4);
		uptr at = bar_base(bar) + cfg_read32(slot, p + 8);
		if (type == 1) {
			common = at;
			devinfo.window = bar_base(bar);
		} else if (type == 2) {
			notify_base = at;
			notify_mult = cfg_read32(slot, p + 16);
		} else if (type == 3)
			isr = at;
		else if (type == 4)
			devcfg = at;
	}
	if (!common || !notify_base || !isr || !devcfg) {
		*why = "a virtio capability is missing";
		return -1;
	}
	devinfo.common = common;
	devinfo.isr = isr;
	devinfo.devcfg = devcfg;
	devinfo.notify = notify_base;
	devinfo.notify_mult = notify_mult;
	devinfo.msix_table = msix_table;
	return 0;
}

static u8 pci_get_status(void)
{
	return rd8(common + C_STATUS);
}
static void pci_set_status(u8 s)
{
	wr8(common + C_STATUS, s);
}

static u64 pci_get_features(void)
{
	wr32(common + C_DFSELECT, 1);
	u64 hi = rd32(common + C_DF);
	wr32(common + C_DFSELECT, 0);
	return hi << 32 | rd32(common + C_DF);
}

static void pci_set_features(u64 f)
{
	wr32(common + C_GFSELECT, 0);
	wr32(common + C_GF, (u32)f);
	wr32(common + C_GFSELECT, 1);
	wr32(common + C_GF, (u32)(f >> 32));
}

static void write64(uptr a, u64 v)
{
	/* Two halves, low first, as Linux's vp_iowrite64_twopart does. */
	wr32(a, (u32)v);
	wr32(a + 4, (u32)(v >> 32));
}

static int pci_setup_queue(struct gvq *q)
{
	wr16(common + C_Q_SELECT, (u16)q->index);
	if (rd16(common + C_Q_SIZE) < VQ_SIZE || rd16(common + C_Q_ENABLE))
		return -1;
	wr16(common + C_Q_SIZE, VQ_SIZE);
	write64(common + C_Q_DESC, (uptr)q->desc);
	write64(common + C_Q_AVAIL, (uptr)q->avail);
	write64(common + C_Q_USED, (uptr)q->used);
	/* Doorbell address computed once here, not on every kick. */
	q->notify_addr = notify_base + (uptr)rd16(common + C_Q_NOFF) * notify_mult;
	q->notify_value = q->index;
	q->notify_width = 2;
	wr16(common + C_Q_ENABLE, 1);
	return 0;
}

static void msix_interrupt(unsigned vector)
{
	unsigned idx = vector - GABI_VEC_CONFIG;
	bool any = false;
	if (idx == 0)
		net_config_changed();
	for (unsigned q = 0; q < nqueues; q++) {
		if (queue_vec[q] != idx)
			continue;
		cnt(&mb->q[q].interrupts);
		any |= net_queue_event(q);
	}
	if (!any && idx != 0)
		count_spurious(); /* a queue vector with nothing to do */
}

static void msix_entry(unsigned idx, unsigned vector)
{
	uptr e = msix_table + 16 * idx;
	/* aimed at the vCPU that owns the entry's first queue */
	wr32(e + 0, (u32)GABI_LAPIC_GPA | msi_dest(idx, msix_used) << 12);
	wr32(e + 4, 0);
	wr32(e + 8, vector);
	wr32(e + 12, 0); /* unmask */
}

static int pci_setup_irqs(struct gvq *qs, unsigned n)
{
	(void)qs;
	if (!msix_table)
		return -1; /* this driver does not do INTx */
	msix_used = msix_size < n + 1 ? msix_size : n + 1;
	for (unsigned i = 0; i < msix_used; i++) {
		msix_entry(i, GABI_VEC_CONFIG + i);
		irq_register(GABI_VEC_CONFIG + i, msix_interrupt);
	}
	wr16(common + C_MSIX_CONFIG, 0);
	if (rd16(common + C_MSIX_CONFIG) != 0)
		return -1;
	for (unsigned q = 0; q < n; q++) {
		u16 v = (u16)gabi_plan_entry(q, npairs, msix_used);
		wr16(common + C_Q_SELECT, (u16)q);
		wr16(common + C_Q_MSIX, v);
		if (rd16(common + C_Q_MSIX) != v)
			return -1; /* the device refused the vector */
		queue_vec[q] = v;
		devinfo.vec_queue[q] = GABI_VEC_CONFIG + v;
	}
	devinfo.vec_config = GABI_VEC_CONFIG;
	u16 ctl = cfg_read16(slot, msix_cap + 2);
	cfg_write16(slot, msix_cap + 2, (u16)((ctl | 0x8000) & ~0x4000)); /* enable, unmask all */
	mb->msi_vectors = msix_used;
	return 0;
}

static u8 pci_config_read8(unsigned off)
{
	return rd8(devcfg + off);
}

const struct transport pci_transport = {
    .name = "virtio-pci",
    .probe = pci_probe,
    .get_status = pci_get_status,
    .set_status = pci_set_status,
    .get_features = pci_get_features,
    .set_features = pci_set_features,
    .setup_queue = pci_setup_queue,
    .setup_irqs = pci_setup_irqs,
    .config_read8 = pci_config_read8,
};

/* ---- hostile scenarios specific to PCI ---- */

int hostile_pci_specific(unsigned scenario);
int hostile_pci_specific(unsigned scenario)
{
	const char *why;
	if (pci_probe(&why))
		fail(why, 0);
	switch (scenario) {
	case GABI_HOSTILE_BAD_QUEUE_INDEX:
		wr16(common + C_Q_SELECT, 9);
		wr16(common + C_Q_SIZE, 16);
		wr16(common + C_Q_ENABLE, 1);
		wr16(notify_base + 9 * notify_mult, 9);
		return 0;
	case GABI_HOSTILE_MSI_BAD_VECTOR:
		wr16(common + C_MSIX_CONFIG, 500); /* past the table: reads back NO_VECTOR */
		if (rd16(common + C_MSIX_CONFIG) != NO_VECTOR)
			fail("device accepted an MSI-X vector past its table", 500);
		wr16(common + C_Q_SELECT, 0);
		wr16(common + C_Q_MSIX, 0x7ff);
		return 0;
	case GABI_HOSTILE_DOORBELL_PAST:
		wr16(notify_base + 5 * notify_mult, 5);
		wr16(notify_base + 2, 1);
		wr32(notify_base + 0xffc, 1);
		return 0;
	case GABI_HOSTILE_BAR_PAST:
		(void)rd32(GABI_PCI_BAR0_GPA + 0x8000 + 0x10); /* past the BAR */
		wr32(GABI_PCI_BAR0_GPA + 0x6000, 1);	       /* a hole inside it */
		(void)rd32(common + 0x3);		       /* unaligned into a field */
		wr8(common + 0x37, 1);			       /* not a field boundary */
		return 0;
	case GABI_HOSTILE_MSIX_GARBAGE:
		for (unsigned i = 0; i < msix_size + 2; i++) {
			uptr e = msix_table + 16 * i;
			wr32(e + 0, 0xdeadbeef ^ i);
			wr32(e + 4, 0xffffffff);
			wr32(e + 8, 0x12345678);
			wr32(e + 12, 0);
		}
		wr16(msix_table + 2, 0xffff); /* 2-byte access */
		wr32(msix_table + 0x1000, 7); /* the PBA is read-only */
		return 0;
	default:
		return -1;
	}
}
