/* SPDX-License-Identifier: MIT */
/*
 * The virtio-net control queue's commands (virtio 1.x 5.1.6.5): KVM-free,
 * so the parser is unit-tested and fuzzed on its own. Only
 * VIRTIO_NET_CTRL_MQ / VQ_PAIRS_SET is honoured; anything else is answered
 * VIRTIO_NET_ERR, never a crash or a broken device.
 */
#ifndef IRQPATH_VMM_VIRTIO_NET_CTRL_H
#define IRQPATH_VMM_VIRTIO_NET_CTRL_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_NET_OK 0u
#define VIRTIO_NET_ERR 1u
#define VIRTIO_NET_CTRL_MQ 4u
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0u
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN 1u
#define VIRTIO_NET_CTRL_CMD_MAX 64u /* longest command read (class, cmd, data) */

struct net_ctrl {
	unsigned max_pairs;  /* what the config space offers */
	unsigned curr_pairs; /* what the driver last set (max_pairs until then: 1 by spec) */
	uint64_t ok, err;    /* commands acknowledged / refused */
};

void net_ctrl_init(struct net_ctrl *c, unsigned max_pairs);
/* One command: cmd[0] class, cmd[1] command, then its data. Returns the ack byte. */
uint8_t net_ctrl_exec(struct net_ctrl *c, const uint8_t *cmd, size_t len);

#endif
