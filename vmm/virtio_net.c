// SPDX-License-Identifier: MIT
/*
 * virtio-net: transmit chains go to the backend; frames from the backend
 * wait in a small queue until the driver has posted receive buffers.
 */
#include <stdlib.h>
#include <string.h>
#include "virtio_net.h"

#define PENDING_MAX 64u

struct pending_frame {
	uint32_t len;
	uint8_t data[NET_FRAME_MAX];
};

struct virtio_net {
	struct virtio_dev dev;
	struct net_backend *backend;
	struct pending_frame pending[PENDING_MAX];
	unsigned pend_head, pend_count;
	uint64_t rx_dropped;
	uint8_t txbuf[VIRTIO_NET_HDR_LEN + NET_FRAME_MAX];
};

static const char *const net_queue_names[] = {"rx", "tx"};

static void rx_flush(struct virtio_net *n)
{
	struct virtio_dev *d = &n->dev;
	struct virtqueue *vq = &d->vq[VIRTIO_NET_RXQ];
	bool delivered = false;
	char err[160];

	if (!virtio_dev_live(d) || !vq->ready)
		return;
	while (n->pend_count) {
		struct pending_frame *f = &n->pending[n->pend_head];
		struct vq_chain c;
		enum vq_status st = vq_pop(vq, d->mem, &c, err, sizeof(err));
		if (st == VQ_ERR) {
			virtio_dev_fail(d, "rx queue: %s", err);
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
		d->q[VIRTIO_NET_RXQ].buffers++;
		n->pend_head = (n->pend_head + 1) % PENDING_MAX;
		n->pend_count--;
		delivered = true;
	}
	/* Ask for a kick only while frames wait for buffers. */
	vq_set_no_notify(vq, d->mem, n->pend_count == 0);
	if (delivered)
		virtio_dev_used(d, VIRTIO_NET_RXQ);
}

/* Backend callback: queue a frame for the guest (device lock held by caller). */
static void net_deliver(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;
	if (len > NET_FRAME_MAX || n->pend_count == PENDING_MAX) {
		n->rx_dropped++;
		return;
	}
	struct pending_frame *f = &n->pending[(n->pend_head + n->pend_count) % PENDING_MAX];
	memcpy(f->data, frame, len);
	f->len = (uint32_t)len;
	n->pend_count++;
	rx_flush(n);
}

static void tx_process(struct virtio_net *n)
{
	struct virtio_dev *d = &n->dev;
	struct virtqueue *vq = &d->vq[VIRTIO_NET_TXQ];
	bool completed = false;
	char err[160];

	for (;;) {
		struct vq_chain c;
		enum vq_status st = vq_pop(vq, d->mem, &c, err, sizeof(err));
		if (st == VQ_ERR) {
			virtio_dev_fail(d, "tx queue: %s", err);
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
			n->backend->send(n->backend, n->txbuf + VIRTIO_NET_HDR_LEN,
					 len - VIRTIO_NET_HDR_LEN);
		vq_push(vq, d->mem, c.head, 0);
		d->q[VIRTIO_NET_TXQ].buffers++;
		completed = true;
		if (!virtio_dev_live(d))
			break;
	}
	if (completed && virtio_dev_live(d))
		virtio_dev_used(d, VIRTIO_NET_TXQ);
}

static void net_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_net *n = d->priv;
	if (q == VIRTIO_NET_TXQ)
		tx_process(n);
	else
		rx_flush(n);
}

static void net_reset(struct virtio_dev *d)
{
	struct virtio_net *n = d->priv;
	n->pend_head = n->pend_count = 0;
}

static const struct virtio_dev_ops net_ops = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .num_queues = 2,
    .features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC,
    .queue_names = net_queue_names,
    .queue_notify = net_queue_notify,
    .reset = net_reset,
};

struct virtio_net *virtio_net_create(const struct guest_mem *mem, struct net_backend *backend,
				     const uint8_t mac[6])
{
	struct virtio_net *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	virtio_dev_init(&n->dev, &net_ops, n, mem);
	memcpy(n->dev.config, mac, 6);
	n->dev.config_len = 8; /* mac[6] + status[2] (VIRTIO_NET_F_STATUS not offered) */
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
	free(n);
}
