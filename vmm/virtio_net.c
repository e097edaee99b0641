// SPDX-License-Identifier: MIT
/*
 * virtio-net: transmit chains go to the backend; frames from the backend
 * wait in a small queue per queue pair until the driver has posted
 * receive buffers. With more than one pair (VIRTIO_NET_F_MQ) pair p is
 * queues rx<p> = 2p and tx<p> = 2p + 1, and the control queue comes last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "virtio_net.h"

#define PENDING_MAX 64u

struct pending_frame {
	uint32_t len;
	uint8_t data[NET_FRAME_MAX];
};

struct pair_rx {
	struct pending_frame pending[PENDING_MAX];
	unsigned pend_head, pend_count;
};

struct virtio_net {
	struct virtio_dev dev;
	struct virtio_dev_ops ops; /* this device's queue count and features */
	char names[VIRTIO_MAX_QUEUES][8];
	const char *name_ptrs[VIRTIO_MAX_QUEUES];
	struct net_backend *backend;
	unsigned pairs;
	struct pair_rx *rx; /* one per pair */
	struct net_ctrl ctrl;
	uint64_t rx_dropped;
	uint8_t txbuf[VIRTIO_NET_HDR_LEN + NET_FRAME_MAX];
};

static void rx_flush(struct virtio_net *n, unsigned pair)
{
	struct virtio_dev *d = &n->dev;
	struct pair_rx *p = &n->rx[pair];
	unsigned qi = VIRTIO_NET_RXQ + 2 * pair;
	struct virtqueue *vq = &d->vq[qi];
	bool delivered = false;
	char err[160];

	if (!virtio_dev_live(d) || !vq->ready)
		return;
	while (p->pend_count) {
		struct pending_frame *f = &p->pending[p->pend_head];
		struct vq_chain c;
		enum vq_status st = vq_pop(vq, d->mem, &c, err, sizeof(err));
		if (st == VQ_ERR) {
			virtio_dev_fail(d, "%s queue: %s", n->names[qi], err);
			return;
		}
		if (st == VQ_EMPTY)
			break;
		uint8_t hdr[VIRTIO_NET_HDR_LEN] = {0};
		hdr[10] = 1; /* num_buffers */
		uint32_t written = 0;
		if (c.writable_len < VIRTIO_NET_HDR_LEN + f->len) {
			virtio_dev_warn(d, "rx buffer of %llu bytes cannot hold a %u byte frame",
					(unsigned long long)c.writable_len, f->len);
			n->rx_dropped++;
		} else {
			/* Header and frame may span segments: write them as one stream. */
			uint8_t tmp[VIRTIO_NET_HDR_LEN + NET_FRAME_MAX];
			memcpy(tmp, hdr, sizeof(hdr));
			memcpy(tmp + sizeof(hdr), f->data, f->len);
			written = (uint32_t)vq_chain_write(&c, tmp, sizeof(hdr) + f->len);
		}
		vq_push(vq, d->mem, c.head, written);
		d->q[qi].buffers++;
		p->pend_head = (p->pend_head + 1) % PENDING_MAX;
		p->pend_count--;
		delivered = true;
	}
	/* Ask for a kick only while frames wait for buffers. */
	vq_set_no_notify(vq, d->mem, p->pend_count == 0);
	if (delivered)
		virtio_dev_used(d, qi);
}

/* Backend callback: queue a frame for the guest on its pair (device lock held by caller). */
static void net_deliver(void *opaque, unsigned pair, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;
	if (pair >= n->pairs)
		pair = 0;
	struct pair_rx *p = &n->rx[pair];
	if (len > NET_FRAME_MAX || p->pend_count == PENDING_MAX) {
		n->rx_dropped++;
		return;
	}
	struct pending_frame *f = &p->pending[(p->pend_head + p->pend_count) % PENDING_MAX];
	memcpy(f->data, frame, len);
	f->len = (uint32_t)len;
	p->pend_count++;
	rx_flush(n, pair);
}

static void tx_process(struct virtio_net *n, unsigned pair)
{
	struct virtio_dev *d = &n->dev;
	unsigned qi = VIRTIO_NET_TXQ + 2 * pair;
	struct virtqueue *vq = &d->vq[qi];
	bool completed = false;
	char err[160];

	for (;;) {
		struct vq_chain c;
		enum vq_status st = vq_pop(vq, d->mem, &c, err, sizeof(err));
		if (st == VQ_ERR) {
			virtio_dev_fail(d, "%s queue: %s", n->names[qi], err);
			break;
		}
		if (st == VQ_EMPTY)
			break;
		if (c.writable_len) {
			virtio_dev_fail(d, "tx chain %u has device-writable buffers", c.head);
			break;
		}
		uint64_t len = vq_chain_read(&c, n->txbuf, sizeof(n->txbuf));
		if (c.readable_len > sizeof(n->txbuf) || len < VIRTIO_NET_HDR_LEN + ETH_HDR_LEN)
			virtio_dev_warn(d, "tx frame of %llu bytes dropped (must be %u..%u)",
					(unsigned long long)c.readable_len,
					VIRTIO_NET_HDR_LEN + ETH_HDR_LEN,
					(unsigned)sizeof(n->txbuf));
		else
			n->backend->send(n->backend, pair, n->txbuf + VIRTIO_NET_HDR_LEN,
					 len - VIRTIO_NET_HDR_LEN);
		vq_push(vq, d->mem, c.head, 0);
		d->q[qi].buffers++;
		completed = true;
		if (!virtio_dev_live(d))
			break;
	}
	if (completed && virtio_dev_live(d))
		virtio_dev_used(d, qi);
}

/* The control queue: each chain is a command (readable) and its ack (writable). */
static void ctrl_process(struct virtio_net *n, unsigned qi)
{
	struct virtio_dev *d = &n->dev;
	struct virtqueue *vq = &d->vq[qi];
	bool completed = false;
	char err[160];
	for (;;) {
		struct vq_chain c;
		enum vq_status st = vq_pop(vq, d->mem, &c, err, sizeof(err));
		if (st == VQ_ERR) {
			virtio_dev_fail(d, "ctrl queue: %s", err);
			break;
		}
		if (st == VQ_EMPTY)
			break;
		if (c.writable_len < 1) {
			virtio_dev_fail(d, "ctrl chain %u has no room for the ack", c.head);
			break;
		}
		uint8_t cmd[VIRTIO_NET_CTRL_CMD_MAX];
		uint64_t len = c.readable_len > sizeof(cmd) ? c.readable_len /* refused */
							    : vq_chain_read(&c, cmd, sizeof(cmd));
		uint8_t ack = net_ctrl_exec(&n->ctrl, cmd, (size_t)len);
		vq_push(vq, d->mem, c.head, (uint32_t)vq_chain_write(&c, &ack, 1));
		d->q[qi].buffers++;
		completed = true;
	}
	if (completed && virtio_dev_live(d))
		virtio_dev_used(d, qi);
}

static void net_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_net *n = d->priv;
	if (n->pairs > 1 && q == 2 * n->pairs)
		ctrl_process(n, q);
	else if (q & 1)
		tx_process(n, q / 2);
	else
		rx_flush(n, q / 2);
}

static void net_reset(struct virtio_dev *d)
{
	struct virtio_net *n = d->priv;
	for (unsigned p = 0; p < n->pairs; p++)
		n->rx[p].pend_head = n->rx[p].pend_count = 0;
	net_ctrl_init(&n->ctrl, n->pairs);
}

/* Queue names: "rx"/"tx" with one pair (as before MQ), else rx0 tx0 ... ctrl. */
static void name_queues(struct virtio_net *n)
{
	unsigned nq = n->ops.num_queues;
	for (unsigned q = 0; q < nq; q++) {
		if (n->pairs == 1)
			snprintf(n->names[q], sizeof(n->names[q]), "%s", q ? "tx" : "rx");
		else if (q == 2 * n->pairs)
			snprintf(n->names[q], sizeof(n->names[q]), "ctrl");
		else
			snprintf(n->names[q], sizeof(n->names[q]), "%s%u", q & 1 ? "tx" : "rx",
				 q / 2);
		n->name_ptrs[q] = n->names[q];
	}
}

struct virtio_net *virtio_net_create(const struct guest_mem *mem, struct net_backend *backend,
				     const uint8_t mac[6], unsigned pairs)
{
	if (pairs == 0 || pairs > NET_MAX_PAIRS || 2 * pairs + 1 > VIRTIO_MAX_QUEUES)
		return NULL;
	struct virtio_net *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->rx = calloc(pairs, sizeof(*n->rx));
	if (!n->rx) {
		free(n);
		return NULL;
	}
	n->pairs = pairs;
	n->ops = (struct virtio_dev_ops){
	    .name = "virtio-net",
	    .device_id = VIRTIO_ID_NET,
	    .num_queues = pairs > 1 ? 2 * pairs + 1 : 2,
	    .features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC |
			(pairs > 1 ? VIRTIO_NET_F_MQ | VIRTIO_NET_F_CTRL_VQ : 0),
	    .queue_names = n->name_ptrs,
	    .queue_notify = net_queue_notify,
	    .reset = net_reset,
	};
	name_queues(n);
	net_ctrl_init(&n->ctrl, pairs);
	virtio_dev_init(&n->dev, &n->ops, n, mem);
	memcpy(n->dev.config, mac, 6);
	/* mac[6] + status[2] (VIRTIO_NET_F_STATUS not offered), then max_virtqueue_pairs */
	n->dev.config_len = 8;
	if (pairs > 1) {
		n->dev.config[8] = (uint8_t)pairs;
		n->dev.config[9] = (uint8_t)(pairs >> 8);
		n->dev.config_len = 10;
	}
	n->backend = backend;
	backend->deliver = net_deliver;
	backend->deliver_opaque = n;
	return n;
}

struct virtio_dev *virtio_net_dev(struct virtio_net *n)
{
	return &n->dev;
}

struct net_backend *virtio_net_backend(struct virtio_net *n)
{
	return n->backend;
}

uint64_t virtio_net_rx_dropped(const struct virtio_net *n)
{
	return n->rx_dropped;
}

void virtio_net_destroy(struct virtio_net *n)
{
	if (!n)
		return;
	n->backend->destroy(n->backend);
	pthread_mutex_destroy(&n->dev.lock);
	free(n->rx);
	free(n);
}

unsigned virtio_net_pairs(const struct virtio_net *n)
{
	return n->pairs;
}

const struct net_ctrl *virtio_net_ctrl(const struct virtio_net *n)
{
	return &n->ctrl;
}
