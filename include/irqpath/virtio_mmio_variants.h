/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mmio interrupt designs argued about around the version 3
 * proposal, each as a register layout the device (irqpath-vmm) and the
 * micro-guest share. Freestanding: integer constants only. The version 2
 * registers they build on are in virtio_mmio_v3.h.
 *
 *  draft      the virtio-dev spec draft of January 2020 (and the kernel
 *             series v2 that implemented it): feature bits 39/40, a vector
 *             table behind MsiVecSel + MsiCmd, shared or fixed mapping.
 *             Version stays 2. Collides with today's spec: bit 39 is now
 *             VIRTIO_F_NOTIF_CONFIG_DATA, bit 40 VIRTIO_F_RING_RESET and
 *             0x0c0 QueueReset; our device never implements those.
 *  addrdata   a reviewer's design without vector indirection: one MSI
 *             address/data pair per queue (selected by QueueSel) and one
 *             for config, each with enable and mask bits only. Version 2,
 *             no feature bit: a driver sees the pairs through a non-zero
 *             MsiPairCount (a version 2 device reads 0 there).
 *  dragonball Dragonball's vendor features, signalled in VendorID
 *             (0xdbfcdb00 | features): INTR_USED (InterruptStatus always
 *             reports a used buffer, so the driver may skip reading it),
 *             MSI_INTR (16-bit MSI CSR/command registers at 0x0c0/0x0c2)
 *             and PER_QUEUE_NOTIFY (QueueNotify readable, doorbells in a
 *             second 4 KiB page). Version stays 2.
 */
#ifndef IRQPATH_VIRTIO_MMIO_VARIANTS_H
#define IRQPATH_VIRTIO_MMIO_VARIANTS_H

/* ---- draft (virtio-dev, January 2020) ---- */
#define DRAFT_F_MMIO_NOTIFICATION 39 /* today: VIRTIO_F_NOTIF_CONFIG_DATA */
#define DRAFT_F_MMIO_MSI 40	     /* today: VIRTIO_F_RING_RESET */
#define DRAFT_MSI_VEC_NUM 0x0c0	     /* R: vectors; today: QueueReset */
#define DRAFT_MSI_STATE 0x0c4	     /* R */
#define DRAFT_MSI_CMD 0x0c8	     /* W */
#define DRAFT_MSI_VEC_SEL 0x0d0	     /* W */
#define DRAFT_MSI_ADDR_LOW 0x0d4     /* W */
#define DRAFT_MSI_ADDR_HIGH 0x0d8    /* W */
#define DRAFT_MSI_DATA 0x0dc	     /* W */

#define DRAFT_MSI_STATE_ENABLED (1u << 31)
#define DRAFT_MSI_STATE_SHARING (1u << 30) /* driver maps events to vectors */

#define DRAFT_MSI_CMD_ENABLE 0x1
#define DRAFT_MSI_CMD_DISABLE 0x2
#define DRAFT_MSI_CMD_CONFIGURE 0x3  /* MsiVecSel <- address/data */
#define DRAFT_MSI_CMD_MASK 0x4	     /* MsiVecSel; no pending bit: raised while masked is lost */
#define DRAFT_MSI_CMD_UNMASK 0x5     /* MsiVecSel */
#define DRAFT_MSI_CMD_MAP_CONFIG 0x6 /* config event -> MsiVecSel (sharing mode) */
#define DRAFT_MSI_CMD_MAP_QUEUE 0x7  /* QueueSel's queue -> MsiVecSel (sharing mode) */
#define DRAFT_MSI_NO_VECTOR 0xffffffffu

/* Fixed mapping (not sharing): config on vector 0, queue q on vector q + 1. */
#define DRAFT_NOTIFY_BASE 0x800u /* QueueNotify reads base | multiplier << 16 */
#define DRAFT_NOTIFY_MULT 4u

/* ---- addrdata (per-queue address/data, no vector table) ---- */
#define ADDRDATA_PAIR_COUNT 0x0c4	/* R: queues + 1 (config); 0 = not supported */
#define ADDRDATA_QUEUE_ADDR_LOW 0x0c8	/* RW, QueueSel's pair */
#define ADDRDATA_QUEUE_ADDR_HIGH 0x0cc	/* RW */
#define ADDRDATA_QUEUE_DATA 0x0d0	/* RW */
#define ADDRDATA_QUEUE_CTRL 0x0d4	/* RW: ENABLE | MASK */
#define ADDRDATA_CONFIG_ADDR_LOW 0x0d8	/* RW, the config pair */
#define ADDRDATA_CONFIG_ADDR_HIGH 0x0dc /* RW */
#define ADDRDATA_CONFIG_DATA 0x0e0	/* RW */
#define ADDRDATA_CONFIG_CTRL 0x0e4	/* RW */
#define ADDRDATA_CTRL_ENABLE 0x1u	/* the pair carries its events (else the pin) */
#define ADDRDATA_CTRL_MASK 0x2u		/* no pending bit: raised while masked is lost */

/* ---- dragonball (VendorID-signalled) ---- */
#define DRAGONBALL_VENDOR_ID 0xdbfcdb00u
#define DRAGONBALL_VENDOR_MASK 0xffffff00u
#define DRAGONBALL_F_INTR_USED 0x1u
#define DRAGONBALL_F_MSI_INTR 0x2u
#define DRAGONBALL_F_PER_QUEUE_NOTIFY 0x4u
#define DRAGONBALL_MSI_CSR 0x0c0     /* 16 bit */
#define DRAGONBALL_MSI_COMMAND 0x0c2 /* 16 bit, write only */
#define DRAGONBALL_MSI_ADDR_LOW 0x0c4
#define DRAGONBALL_MSI_ADDR_HIGH 0x0c8
#define DRAGONBALL_MSI_DATA 0x0cc
#define DRAGONBALL_MSI_CSR_ENABLE 0x8000u
#define DRAGONBALL_MSI_CSR_COUNT 0x07ffu
#define DRAGONBALL_MSI_CMD_UPDATE 0x1u	   /* op << 12 | vector */
#define DRAGONBALL_DOORBELL_OFFSET 0x1000u /* a second page after the registers */
#define DRAGONBALL_DOORBELL_SCALE 4u
#define DRAGONBALL_WINDOW_SIZE 0x2000u

/* Queue q's MSI vector when the device has count vectors: config 0, then q + 1, clamped. */
static inline unsigned variant_fixed_vector(unsigned q, unsigned count)
{
	if (count <= 1)
		return 0;
	return q + 1 < count ? q + 1 : count - 1;
}

#endif
