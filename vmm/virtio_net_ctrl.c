// SPDX-License-Identifier: MIT
#include "virtio_net_ctrl.h"

void net_ctrl_init(struct net_ctrl *c, unsigned max_pairs)
{
	c->max_pairs = max_pairs;
	c->curr_pairs = 1; /* the spec: one pair until the driver sets more */
	c->ok = c->err = 0;
}

static uint8_t refuse(struct net_ctrl *c)
{
	c->err++;
	return VIRTIO_NET_ERR;
}

uint8_t net_ctrl_exec(struct net_ctrl *c, const uint8_t *cmd, size_t len)
{
	if (len < 2 || len > VIRTIO_NET_CTRL_CMD_MAX)
		return refuse(c);
	if (cmd[0] != VIRTIO_NET_CTRL_MQ || cmd[1] != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET)
		return refuse(c); /* RSS, hash, rx mode, MAC...: not offered */
	if (len != 2 + 2)
		return refuse(c); /* struct virtio_net_ctrl_mq: one le16 */
	unsigned pairs = (unsigned)cmd[2] | (unsigned)cmd[3] << 8;
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > c->max_pairs)
		return refuse(c);
	c->curr_pairs = pairs;
	c->ok++;
	return VIRTIO_NET_OK;
}
