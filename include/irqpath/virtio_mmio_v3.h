/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio register layout: version 2 (the virtio 1.x spec) plus the
 * version 3 extension under review (per-queue MSI and doorbells).
 *
 * Shared by irqpath-vmm (the device), the micro-guest and the Linux guest
 * driver module, so all three agree byte for byte. Freestanding: only
 * integer constants, no includes.
 *
 * Version 3 differences, answering the review of the v1 patch:
 *  - announced by Version == 3 only; no feature bits are claimed (bits 39/40
 *    now belong to VIRTIO_F_NOTIF_CONFIG_DATA / VIRTIO_F_RING_RESET);
 *  - MSI_STATUS reports the number of vectors the device implements
 *    (no fixed 2048 assumption) and carries the enable bit;
 *  - MSI_COMMAND can update, mask and unmask one vector; a vector that
 *    fires while masked is left pending and is sent on unmask;
 *  - reading QueueNotify returns notify_base | notify_multiplier << 16
 *    (spec terms, unsigned); queue q's doorbell is at
 *    notify_base + notify_multiplier * q inside the device window;
 *  - vector 0 signals configuration changes, vector q + 1 signals queue q.
 *    A device with fewer vectors than queues + 1 sends queue q on vector
 *    min(q + 1, count - 1) (and everything on vector 0 when count is 1),
 *    so a driver falls back to shared vectors the way virtio-pci does;
 *  - with MSI enabled the device never sets InterruptStatus and ignores
 *    InterruptACK.
 */
#ifndef IRQPATH_VIRTIO_MMIO_V3_H
#define IRQPATH_VIRTIO_MMIO_V3_H

#define VIRTIO_MMIO_MAGIC_VALUE 0x000 /* "virt" = 0x74726976 */
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* version 1 only */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* version 1 only */
#define VIRTIO_MMIO_QUEUE_PFN 0x040   /* version 1 only */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976u
#define VIRTIO_MMIO_VENDOR 0x554d4551u /* "QEMU", as most VMMs report */

/* InterruptStatus / InterruptACK bits */
#define VIRTIO_MMIO_INT_VRING 0x1
#define VIRTIO_MMIO_INT_CONFIG 0x2

/* ---- version 3: MSI registers ---- */
#define VIRTIO_MMIO_MSI_STATUS 0x0c0 /* 16 bit */
#define VIRTIO_MMIO_MSI_COMMAND 0x0c2 /* 16 bit, write only */
#define VIRTIO_MMIO_MSI_ADDRESS_LOW 0x0c4
#define VIRTIO_MMIO_MSI_ADDRESS_HIGH 0x0c8
#define VIRTIO_MMIO_MSI_DATA 0x0cc

#define VIRTIO_MMIO_MSI_STATUS_ENABLE 0x8000u /* RW: MSI delivery on */
#define VIRTIO_MMIO_MSI_STATUS_COUNT 0x07ffu  /* RO: vectors implemented */

#define VIRTIO_MMIO_MSI_CMD_UPDATE 0x1 /* arg: vector; latch ADDRESS/DATA */
#define VIRTIO_MMIO_MSI_CMD_MASK 0x2   /* arg: vector */
#define VIRTIO_MMIO_MSI_CMD_UNMASK 0x3 /* arg: vector; sends if pending */
#define VIRTIO_MMIO_MSI_CMD_OP_SHIFT 12
#define VIRTIO_MMIO_MSI_CMD_ARG_MASK 0x0fffu
#define VIRTIO_MMIO_MSI_CMD(op, arg) ((unsigned)(op) << 12 | ((unsigned)(arg) & 0x0fffu))
#define VIRTIO_MMIO_MSI_CMD_OP(cmd) (((unsigned)(cmd) >> 12) & 0xfu)
#define VIRTIO_MMIO_MSI_CMD_ARG(cmd) ((unsigned)(cmd) & 0x0fffu)

#define VIRTIO_MMIO_MSI_CONFIG_VECTOR 0
#define VIRTIO_MMIO_MSI_QUEUE_VECTOR(q) ((q) + 1)

/* Reading QueueNotify in a version 3 device */
#define VIRTIO_MMIO_NOTIFY_BASE(v) ((unsigned)(v) & 0xffffu)
#define VIRTIO_MMIO_NOTIFY_MULTIPLIER(v) (((unsigned)(v) >> 16) & 0xffffu)

#endif
