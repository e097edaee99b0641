// SPDX-License-Identifier: MIT
/*
 * The built-in peer: every frame the guest sends is answered with one
 * frame of resp payload bytes, addressed back to the sender. The first
 * bytes of the request payload (the guest's sequence number) are echoed so
 * the guest can match responses to requests.
 */
#include <stdlib.h>
#include <string.h>
#include "net_backend.h"

struct reflect {
	struct net_backend b;
	unsigned resp;
	uint8_t frame[NET_FRAME_MAX];
};

static const uint8_t peer_mac[6] = {0x02, 0x69, 0x72, 0x71, 0x00, 0x02};

static int reflect_send(struct net_backend *b, unsigned pair, const uint8_t *in, size_t len)
{
	struct reflect *r = (struct reflect *)b;
	size_t out_len = ETH_HDR_LEN + r->resp;
	if (len < ETH_HDR_LEN || out_len > sizeof(r->frame))
		return -1;
	memcpy(r->frame, in + 6, 6); /* to the sender */
	memcpy(r->frame + 6, peer_mac, 6);
	memcpy(r->frame + 12, in + 12, 2);
	size_t echo = len - ETH_HDR_LEN;
	if (echo > r->resp)
		echo = r->resp;
	memcpy(r->frame + ETH_HDR_LEN, in + ETH_HDR_LEN, echo);
	for (size_t i = ETH_HDR_LEN + echo; i < out_len; i++)
		r->frame[i] = (uint8_t)i;
	b->frames_out++;
	b->frames_in++;
	b->deliver(b->deliver_opaque, pair, r->frame, out_len); /* answered on its own pair */
	return 0;
}

static void reflect_destroy(struct net_backend *b)
{
	free(b);
}

struct net_backend *net_reflect_create(unsigned resp_bytes)
{
	struct reflect *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->resp = resp_bytes;
	r->b.name = "reflect";
	r->b.nfds = 0;
	r->b.send = reflect_send;
	r->b.destroy = reflect_destroy;
	return &r->b;
}
