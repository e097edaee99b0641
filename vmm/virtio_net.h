/* SPDX-License-Identifier: MIT */
/*
 * virtio-net device model (device id 1): rx queue 0, tx queue 1; with P > 1
 * queue pairs (VIRTIO_NET_F_MQ) rx<p> = 2p, tx<p> = 2p + 1 and the control
 * queue 2P (VIRTIO_NET_F_CTRL_VQ).
 */
#ifndef IRQPATH_VMM_VIRTIO_NET_H
#define IRQPATH_VMM_VIRTIO_NET_H

#include "net_backend.h"
#include "virtio_dev.h"
#include "virtio_net_ctrl.h"

#define VIRTIO_ID_NET 1u
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_CTRL_VQ (1ull << 17)
#define VIRTIO_NET_F_MQ (1ull << 22)
#define VIRTIO_NET_HDR_LEN 12u /* virtio_net_hdr_v1 */
#define VIRTIO_NET_RXQ 0u
#define VIRTIO_NET_TXQ 1u

struct virtio_net;

/* Creates the device with `pairs` queue pairs on top of backend (ownership passes to it). */
struct virtio_net *virtio_net_create(const struct guest_mem *mem, struct net_backend *backend,
				     const uint8_t mac[6], unsigned pairs);
unsigned virtio_net_pairs(const struct virtio_net *n);
/* The control queue's state: pairs in use, commands acknowledged and refused. */
const struct net_ctrl *virtio_net_ctrl(const struct virtio_net *n);
struct virtio_dev *virtio_net_dev(struct virtio_net *n);
struct net_backend *virtio_net_backend(struct virtio_net *n);
/* Frames the device could not hand to the guest (no rx buffer, too big). */
uint64_t virtio_net_rx_dropped(const struct virtio_net *n);
void virtio_net_destroy(struct virtio_net *n);

#endif
