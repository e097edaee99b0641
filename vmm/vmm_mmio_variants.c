// SPDX-License-Identifier: MIT
/*
 * Wires the virtio-mmio interrupt variants into the VM (one table per
 * profile, see vmm_transport.h): the window on the MMIO bus, the IOAPIC
 * pin (level with resample, or an edge pulse for Dragonball's INTR_USED),
 * one irqfd per MSI entry the device offers, one ioeventfd per doorbell.
 * Profiles: mmio-draft[-shared|-fewer], mmio-addrdata[-shared],
 * mmio-dragonball[-fewer|-intx]; the suffix is how queue events share MSI
 * entries (docs/variants.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_mmio_variants.h"
#include "irqpath/virtio_reg_names.h"
#include "transport_mmio_variant.h"
#include "vmm.h"

struct variant_params {
	const struct mmio_variant_desc *desc;
	enum variant_share share;
	unsigned entries;  /* MSI entries offered */
	unsigned features; /* dragonball VendorID bits */
	bool edge_pin;
};

static struct mmio_variant *tr(const struct vmm *m)
{
	return m->tstate;
}

static const struct variant_params *params(const struct vmm *m)
{
	return m->opt.profile->params;
}

static void bus_access(void *opaque, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	mmio_variant_access(opaque, off, is_write, data, len);
}

static int setup(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen)
{
	const struct variant_params *p = params(m);
	if (m->dev->ops->num_queues > 2) {
		/* their routing and the micro-guest drivers know one rx/tx pair */
		snprintf(err, errlen, "%s runs one queue pair (no --queues/--vcpus)",
			 m->opt.profile->name);
		return -1;
	}
	struct mmio_variant *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->tstate = v;
	if (mmio_variant_init(v, p->desc, m->dev, p->share, p->entries, sink)) {
		snprintf(err, errlen, "bad virtio-mmio variant settings");
		return -1;
	}
	v->features = p->features;
	v->edge_pin = p->edge_pin;
	vmm_add_region(m, false,
		       (struct bus_region){m->opt.profile->window_gpa, m->opt.profile->window_size,
					   bus_access, v, "virtio-mmio"});
	if (vmm_setup_pin(m, GABI_LEGACY_IOAPIC_PIN, !p->edge_pin, err, errlen))
		return -1;
	return p->entries ? vmm_setup_msi_fds(m, p->entries, err, errlen) : 0;
}

static void teardown(struct vmm *m)
{
	free(m->tstate);
	m->tstate = NULL;
}

static void doorbell_draft(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	uint64_t off = irqpath_doorbell_off(DRAFT_NOTIFY_BASE, DRAFT_NOTIFY_MULT, q);
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + off, 4, -1};
}

/* QueueNotify with the queue index as datamatch: as cheap as a doorbell in KVM. */
static void doorbell_notify_reg(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + VIRTIO_MMIO_QUEUE_NOTIFY, 4, q};
}

static void doorbell_dragonball(const struct vmm *m, unsigned q, struct vmm_doorbell *db)
{
	uint64_t off =
	    irqpath_doorbell_off(DRAGONBALL_DOORBELL_OFFSET, DRAGONBALL_DOORBELL_SCALE, q);
	*db = (struct vmm_doorbell){m->opt.profile->window_gpa + off, 4, -1};
}

static bool msi(const struct vmm *m, unsigned idx, struct msi_vector *out)
{
	if (idx >= tr(m)->entries || !tr(m)->msi[idx].valid)
		return false;
	*out = tr(m)->msi[idx];
	return true;
}

static int msi_index(const struct vmm *m, int q)
{
	return tr(m)->entries ? tr(m)->desc->route(tr(m), q) : -1;
}

static void resample(struct vmm *m)
{
	mmio_transport_resample(&tr(m)->v2);
}

static void layout_registers(const struct vmm *m, json_t *regs)
{
	for (unsigned off = 0; off < 0x100; off += 2)
		if (mmio_variant_reg_name(tr(m), off))
			json_array_append_new(regs, json_pack("{s:i,s:s}", "offset", off, "name",
							      mmio_variant_reg_name(tr(m), off)));
}

static void rw(json_t *o, const char *name, uint64_t r, uint64_t w)
{
	if (name && (r || w))
		json_object_set_new(
		    o, name,
		    json_pack("{s:I,s:I}", "reads", (json_int_t)r, "writes", (json_int_t)w));
}

static json_t *registers_json(const struct mmio_variant *v)
{
	json_t *r = json_object();
	for (unsigned off = 0; off < MMIO_REG_SLOTS * 4; off += 4) {
		uint64_t rd = v->v2.reads[off / 4], wr = v->v2.writes[off / 4];
		if (off >= 0x0c0 && off < 0x0c0 + VARIANT_REG_SLOTS * 4) {
			rd += v->reads[(off - 0x0c0) / 4];
			wr += v->writes[(off - 0x0c0) / 4];
		}
		rw(r, mmio_variant_reg_name(v, off), rd, wr);
	}
	rw(r, "MsiCommand", 0, v->v2.msi_commands);
	rw(r, "Doorbell", 0, v->doorbell_writes);
	rw(r, "Config", v->v2.config_reads, v->v2.config_writes);
	return r;
}

static const char *const share_names[] = {"per-queue", "queues-shared", "fewer-than-queues"};
static const char *const mask_names[] = {"none", "pending", "lost"};

static json_t *variant_json(const struct vmm *m)
{
	const struct mmio_variant *v = tr(m);
	json_t *col = json_array(), *bits = json_array(), *redef = json_array();
	for (const char *const *c = v->desc->redefines; *c; c++)
		json_array_append_new(redef, json_string(*c));
	for (const char *const *c = v->desc->collides; *c; c++)
		json_array_append_new(col, json_string(*c));
	for (unsigned b = 0; b < 64; b++)
		if (v->acked_transport >> b & 1)
			json_array_append_new(bits, json_integer(b));
	uint32_t vendor = v->features || v->desc == &mmio_dragonball_desc
			      ? DRAGONBALL_VENDOR_ID | v->features
			      : VIRTIO_MMIO_VENDOR;
	return json_pack("{s:s,s:i,s:I,s:I,s:s,s:i,s:s,s:o,s:o,s:o,s:{s:I,s:I,s:I},s:I}", "design",
			 v->desc->name, "version", v->desc->version, "vendor_id",
			 (json_int_t)vendor, "window_bytes", (json_int_t)v->desc->window_size,
			 "share", share_names[v->share], "entries", v->entries, "mask_rule",
			 mask_names[v->desc->mask_rule], "collides", col, "redefines", redef,
			 "transport_bits_accepted", bits, "mask_probe", "masked_raises",
			 (json_int_t)v->masked_raises, "sent_on_unmask",
			 (json_int_t)v->sent_on_unmask, "lost_while_masked",
			 (json_int_t)v->lost_while_masked, "unrouted", (json_int_t)v->unrouted);
}

static void report(const struct vmm *m, json_t *o)
{
	const struct mmio_variant *v = tr(m);
	json_object_set_new(o, "mmio_by_register", registers_json(v));
	json_object_set_new(o, "bad_accesses", json_integer((json_int_t)v->v2.bad_accesses));
	json_object_set_new(o, "pin_raises", json_integer((json_int_t)m->pin_triggers));
	json_object_set_new(o, "resamples", json_integer((json_int_t)v->v2.resamples));
	json_object_set_new(o, "resample_raises", json_integer((json_int_t)v->v2.resample_raises));
	json_object_set_new(o, "msi", vmm_msi_vectors_json(v->msi, m->n_msi_fds));
	json_object_set_new(o, "variant", variant_json(m));
}

#define VARIANT_TABLE(var, nm, sum, gabi, win, pin, bell, ...)                                     \
	static const struct vmm_transport var = {                                                  \
	    .name = nm,                                                                            \
	    .summary = sum,                                                                        \
	    .gabi_transport = gabi,                                                                \
	    .window_gpa = GABI_MMIO_DEV_GPA,                                                       \
	    .window_size = win,                                                                    \
	    .level_pin = pin,                                                                      \
	    .params = &(const struct variant_params){__VA_ARGS__},                                 \
	    .setup = setup,                                                                        \
	    .teardown = teardown,                                                                  \
	    .doorbell = bell,                                                                      \
	    .msi = msi,                                                                            \
	    .msi_index = msi_index,                                                                \
	    .resample = resample,                                                                  \
	    .layout_registers = layout_registers,                                                  \
	    .report = report,                                                                      \
	    .linux_cmdline = vmm_mmio_linux_cmdline,                                               \
	};                                                                                         \
	VMM_TRANSPORT(var)

#define PIN GABI_LEGACY_IOAPIC_PIN
#define WIN GABI_MMIO_DEV_SIZE
#define DB_ALL (DRAGONBALL_F_INTR_USED | DRAGONBALL_F_MSI_INTR | DRAGONBALL_F_PER_QUEUE_NOTIFY)

VARIANT_TABLE(mmio_draft, "mmio-draft", "spec draft 2020: MSI vector per queue (bits 39/40)",
	      GABI_TRANSPORT_MMIO_DRAFT, WIN, -1, doorbell_draft, &mmio_draft_desc, SHARE_PER_QUEUE,
	      3, 0, false)
VARIANT_TABLE(mmio_draft_shared, "mmio-draft-shared",
	      "spec draft 2020, sharing mode: config + one vector for all queues",
	      GABI_TRANSPORT_MMIO_DRAFT, WIN, -1, doorbell_draft, &mmio_draft_desc, SHARE_QUEUES, 2,
	      0, false)
VARIANT_TABLE(mmio_draft_fewer, "mmio-draft-fewer",
	      "spec draft 2020, sharing mode, 1 vector (< queues) for everything",
	      GABI_TRANSPORT_MMIO_DRAFT, WIN, -1, doorbell_draft, &mmio_draft_desc, SHARE_FEWER, 1,
	      0, false)
VARIANT_TABLE(mmio_addrdata, "mmio-addrdata",
	      "per-queue MSI address/data pairs + config pair, enable/mask only",
	      GABI_TRANSPORT_MMIO_ADDRDATA, WIN, -1, doorbell_notify_reg, &mmio_addrdata_desc,
	      SHARE_PER_QUEUE, 3, 0, false)
VARIANT_TABLE(mmio_addrdata_shared, "mmio-addrdata-shared",
	      "per-queue address/data pairs, the guest gives all queues one message",
	      GABI_TRANSPORT_MMIO_ADDRDATA_SHARED, WIN, -1, doorbell_notify_reg,
	      &mmio_addrdata_desc, SHARE_QUEUES, 3, 0, false)
VARIANT_TABLE(mmio_dragonball, "mmio-dragonball",
	      "Dragonball VendorID features INTR_USED|MSI_INTR|PER_QUEUE_NOTIFY, MSI per queue",
	      GABI_TRANSPORT_MMIO_DRAGONBALL, DRAGONBALL_WINDOW_SIZE, -1, doorbell_dragonball,
	      &mmio_dragonball_desc, SHARE_PER_QUEUE, 3, DB_ALL, false)
VARIANT_TABLE(mmio_dragonball_fewer, "mmio-dragonball-fewer",
	      "Dragonball MSI_INTR with 1 vector (< queues) for everything",
	      GABI_TRANSPORT_MMIO_DRAGONBALL, DRAGONBALL_WINDOW_SIZE, -1, doorbell_dragonball,
	      &mmio_dragonball_desc, SHARE_FEWER, 1, DB_ALL, false)
VARIANT_TABLE(mmio_dragonball_intx, "mmio-dragonball-intx",
	      "Dragonball INTR_USED|PER_QUEUE_NOTIFY: edge pin, no status read or ack",
	      GABI_TRANSPORT_MMIO_DRAGONBALL, DRAGONBALL_WINDOW_SIZE, PIN, doorbell_dragonball,
	      &mmio_dragonball_desc, SHARE_PER_QUEUE, 0,
	      DRAGONBALL_F_INTR_USED | DRAGONBALL_F_PER_QUEUE_NOTIFY, true)
