// SPDX-License-Identifier: MIT
/*
 * Wires virtio-mmio into the VM: the register window on the MMIO bus, the
 * level pin as an irqfd with resample (KVM lowers it on EOI and tells us),
 * and for version 3 one irqfd per MSI vector and one ioeventfd per
 * doorbell. Two profiles: mmio-legacy (version 2) and mmio-v3.
 */
#include <stdio.h>
#include <stdlib.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "transport_mmio.h"
#include "vmm.h"

static struct mmio_transport *tr(const struct vmm *m)
{
	return m->tstate;
}

static void bus_access(void *opaque, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	mmio_transport_access(opaque, off, is_write, data, len);
}

/* What the profiles of this file differ in (their table's .params). */
struct mmio_params {
	unsigned version; /* 2 or 3 */
};

static int setup(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen)
{
	const struct mmio_params *params = m->opt.profile->params;
	unsigned version = params->version;
	struct mmio_transport *t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->tstate = t;
	if (mmio_transport_init(t, m->dev, version, m->opt.msi_vectors, sink)) {
		snprintf(err, errlen, "bad virtio-mmio transport settings");
		return -1;
	}
	vmm_add_region(m, false,
		       (struct bus_region){m->opt.profile->window_gpa, m->opt.profile->window_size,
					   bus_access, t, "virtio-mmio"});
	if (vmm_setup_pin(m, GABI_LEGACY_IOAPIC_PIN, true, err, errlen))
		return -1;
	return version == 3 ? vmm_setup_msi_fds(m, m->opt.msi_vectors, err, errlen) : 0;
}

static void teardown(struct vmm *m)
{
	free(m->tstate);
	m->tstate = NULL;
}

/* Version 2: QueueNotify, the written value names the queue. */
static void doorbell_legacy(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + VIRTIO_MMIO_QUEUE_NOTIFY, 4, q};
}

/* Version 3: one doorbell per queue, at the address the device reports. */
static void doorbell_v3(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + mmio_transport_doorbell(tr(m), q),
				    4, -1};
}

/* An entry is programmed by MsiCommand "configure", which also routes it. */
static bool msi(const struct vmm *m, unsigned idx, struct msi_vector *out)
{
	if (idx >= tr(m)->msi_count || !tr(m)->msi[idx].valid)
		return false;
	*out = tr(m)->msi[idx];
	return true;
}

static int msi_index(const struct vmm *m, int q)
{
	const struct mmio_transport *t = tr(m);
	if (!t->msi_count)
		return -1;
	return q == VMM_CONFIG ? VIRTIO_MMIO_MSI_CONFIG_VECTOR
			       : (int)mmio_v3_queue_vector((unsigned)q, t->msi_count, t->pairs);
}

static void resample(struct vmm *m)
{
	mmio_transport_resample(tr(m));
}

static void layout_registers(const struct vmm *m, json_t *regs)
{
	for (unsigned off = 0; off < 0x100; off += 2)
		if (mmio_reg_name(tr(m), off))
			json_array_append_new(regs, json_pack("{s:i,s:s}", "offset", off, "name",
							      mmio_reg_name(tr(m), off)));
}

static void rw(json_t *o, const char *name, uint64_t r, uint64_t w)
{
	if (r || w)
		json_object_set_new(
		    o, name,
		    json_pack("{s:I,s:I}", "reads", (json_int_t)r, "writes", (json_int_t)w));
}

static json_t *registers_json(const struct mmio_transport *t)
{
	json_t *r = json_object();
	for (unsigned off = 0; off < MMIO_REG_SLOTS * 4; off += 4)
		rw(r, mmio_reg_name(t, off), t->reads[off / 4], t->writes[off / 4]);
	rw(r, "MsiStatus", t->msi_status_reads, t->msi_status_writes);
	rw(r, "MsiCommand", 0, t->msi_commands);
	rw(r, "Doorbell", 0, t->doorbell_writes);
	rw(r, "Config", t->config_reads, t->config_writes);
	return r;
}

/*
 * The masked-interrupt figures in the variants' shape (vmm.variant): a
 * raise into a mask sets the vector's pending bit, UNMASK sends it, and
 * only raises merged into one already pending are not sent on their own.
 */
static json_t *v3_json(const struct mmio_transport *t)
{
	uint64_t pending = 0;
	for (unsigned i = 0; i < t->msi_count; i++)
		pending += t->msi[i].pending;
	uint64_t merged = t->msi_masked_pending - t->msi_sent_on_unmask - pending;
	return json_pack("{s:i,s:s,s:{s:I,s:I,s:I,s:I}}", "version", 3, "mask_rule", "pending",
			 "mask_probe", "masked_raises", (json_int_t)t->msi_masked_pending,
			 "sent_on_unmask", (json_int_t)t->msi_sent_on_unmask, "lost_while_masked",
			 (json_int_t)0, "merged_while_masked", (json_int_t)merged);
}

static void report(const struct vmm *m, json_t *o)
{
	const struct mmio_transport *t = tr(m);
	json_object_set_new(o, "mmio_by_register", registers_json(t));
	json_object_set_new(o, "bad_accesses", json_integer((json_int_t)t->bad_accesses));
	json_object_set_new(o, "pin_raises", json_integer((json_int_t)m->pin_triggers));
	json_object_set_new(o, "resamples", json_integer((json_int_t)t->resamples));
	json_object_set_new(o, "resample_raises", json_integer((json_int_t)t->resample_raises));
	json_object_set_new(o, "msi", vmm_msi_vectors_json(t->msi, m->n_msi_fds));
	if (t->version == 3)
		json_object_set_new(o, "variant", v3_json(t));
}

/* Debian's kernel lacks virtio_mmio.device=; the project's module takes it.
 * Every MMIO table's, the variants' too (Dragonball's window is 8 KiB). The
 * pin is the one Linux guests get in the MP table (vmm_linux.c), also where
 * an MSI design's events go until the driver turns MSI on. */
void vmm_mmio_linux_cmdline(const struct vmm_transport *t, char *buf, size_t len)
{
	snprintf(buf, len, "irqpath_virtio_mmio.devices=%uK@%#llx:%u",
		 (unsigned)(t->window_size / 1024), (unsigned long long)t->window_gpa,
		 GABI_LEGACY_IOAPIC_PIN);
}

static const struct vmm_transport mmio_legacy = {
    .name = "mmio-legacy",
    .summary = "virtio-mmio version 2: one level IOAPIC pin, QueueNotify",
    .gabi_transport = GABI_TRANSPORT_MMIO_LEGACY,
    .window_gpa = GABI_MMIO_DEV_GPA,
    .window_size = GABI_MMIO_DEV_SIZE,
    .level_pin = GABI_LEGACY_IOAPIC_PIN,
    .params = &(const struct mmio_params){.version = 2},
    .setup = setup,
    .teardown = teardown,
    .doorbell = doorbell_legacy,
    .msi = msi,
    .msi_index = msi_index,
    .resample = resample,
    .layout_registers = layout_registers,
    .report = report,
    .linux_cmdline = vmm_mmio_linux_cmdline,
};
VMM_TRANSPORT(mmio_legacy)

static const struct vmm_transport mmio_v3 = {
    .name = "mmio-v3",
    .summary = "virtio-mmio version 3: one MSI per queue + config, per-queue doorbells",
    .gabi_transport = GABI_TRANSPORT_MMIO_V3,
    .window_gpa = GABI_MMIO_DEV_GPA,
    .window_size = GABI_MMIO_DEV_SIZE,
    .level_pin = -1,
    .params = &(const struct mmio_params){.version = 3},
    .setup = setup,
    .teardown = teardown,
    .doorbell = doorbell_v3,
    .msi = msi,
    .msi_index = msi_index,
    .resample = resample,
    .layout_registers = layout_registers,
    .report = report,
    .linux_cmdline = vmm_mmio_linux_cmdline,
};
VMM_TRANSPORT(mmio_v3)
