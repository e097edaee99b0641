/* SPDX-License-Identifier: MIT */
/*
 * What the virtio-mmio interrupt variants (include/irqpath/virtio_mmio_variants.h)
 * share: each is the version 2 register file (transport_mmio.c) with its
 * own registers decoded first, its own routing of queue/config events to
 * MSI entries and its own masking rule. A variant's register file
 * (transport_mmio_draft.c, _addrdata.c, _dragonball.c) fills in a
 * struct mmio_variant_desc; this file holds the state they share, the MSI
 * entries with their mask semantics, the level pin and the counters.
 */
#ifndef IRQPATH_VMM_TRANSPORT_MMIO_VARIANT_H
#define IRQPATH_VMM_TRANSPORT_MMIO_VARIANT_H

#include "transport_mmio.h"

#define VARIANT_CONFIG (-1)   /* the config event, where a queue index goes */
#define VARIANT_REG_SLOTS 16u /* 32-bit slots 0x0c0..0x0fc, the variants' registers */
#define ROUTE_PIN (-1)	      /* route(): the event goes to the level pin */
#define ROUTE_NONE (-2)	      /* route(): MSI on, the event has no vector (NO_VECTOR) */

/* How queue events share MSI entries (profile suffixes: none, -shared, -fewer). */
enum variant_share {
	SHARE_PER_QUEUE = 0, /* config + one entry per queue */
	SHARE_QUEUES,	     /* config + one entry for all queues */
	SHARE_FEWER,	     /* the device offers fewer entries than queues: one for all */
};

/* What a masked entry does with an event: keep it pending, or drop it. */
enum variant_mask_rule {
	MASK_NONE = 0, /* no per-entry mask in this design */
	MASK_PENDING,  /* sent on unmask */
	MASK_LOST,     /* dropped */
};

struct mmio_variant;

struct mmio_variant_desc {
	const char *name;
	uint32_t version;     /* the Version register */
	uint64_t window_size; /* registers (+ doorbell page) */
	enum variant_mask_rule mask_rule;
	const char *const *collides; /* today's spec meanings it takes over; NULL-terminated */
	const char *const
	    *redefines; /* version 2 registers it gives new behaviour; NULL-terminated */
	/* One access (lock held); true if it was the variant's, else version 2 decodes it. */
	bool (*access)(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data,
		       unsigned len);
	/* The MSI entry carrying queue q (or VARIANT_CONFIG), ROUTE_PIN or ROUTE_NONE. */
	int (*route)(const struct mmio_variant *v, int q);
	/* Name of a variant register at off (for counters and the layout), NULL if none. */
	const char *(*reg_name)(const struct mmio_variant *v, uint64_t off);
	/* Device reset (status 0, lock held). */
	void (*reset)(struct mmio_variant *v);
};

struct mmio_variant {
	struct mmio_transport v2; /* version 2 registers, status, queues */
	const struct mmio_variant_desc *desc;
	enum variant_share share;
	unsigned entries;  /* MSI entries the device offers */
	bool edge_pin;	   /* the pin pulses (no status latch to ack) */
	unsigned features; /* dragonball: VendorID feature bits */

	bool msi_on;
	struct msi_vector msi[MSI_MAX_VECTORS];
	uint32_t addr_lo, addr_hi, data, vec_sel; /* latched until a command */
	int map[VIRTIO_MAX_QUEUES + 1];		  /* draft sharing: entry per queue, [nq] config */
	uint32_t ctrl[VIRTIO_MAX_QUEUES + 1];	  /* addrdata: per pair, [nq] config */
	uint64_t acked_transport;		  /* draft: bits 39/40 the driver accepted */

	/* counters */
	uint64_t reads[VARIANT_REG_SLOTS], writes[VARIANT_REG_SLOTS];
	uint64_t doorbell_writes, pin_raises;
	uint64_t masked_raises, sent_on_unmask, lost_while_masked, unrouted;
};

int mmio_variant_init(struct mmio_variant *v, const struct mmio_variant_desc *desc,
		      struct virtio_dev *dev, enum variant_share share, unsigned entries,
		      const struct irq_sink *irq);
/* One guest access (lock taken inside). */
void mmio_variant_access(struct mmio_variant *v, uint64_t off, bool is_write, uint8_t *data,
			 unsigned len);
/* Register name at off: the variant's, else version 2's; NULL if none. */
const char *mmio_variant_reg_name(const struct mmio_variant *v, uint64_t off);

/* For the register files (lock held): */
void variant_count(struct mmio_variant *v, uint64_t off, bool is_write);
/* Routes entry idx to addr/data (KVM); false if not an APIC address or not routable. */
bool variant_msi_program(struct mmio_variant *v, unsigned idx, uint64_t addr, uint32_t data);
void variant_msi_mask(struct mmio_variant *v, unsigned idx, bool masked);
/* The pin: latch status bit (unless edge and a used-buffer event) and raise. */
void variant_raise_pin(struct mmio_variant *v, uint32_t bit);
/* Queue q (or VARIANT_CONFIG) has news: its MSI entry when routed, else the pin. */
void variant_signal(struct mmio_variant *v, int q);

extern const struct mmio_variant_desc mmio_draft_desc, mmio_addrdata_desc, mmio_dragonball_desc;

#endif
