/* SPDX-License-Identifier: MIT */
/*
 * The virtio-net device the transport harnesses drive: guest RAM of 1-16
 * pages whose first bytes come from the input, and the reflect backend
 * with a response size from the input. Consumes, in this order: RAM pages
 * (u8), response size (u16), image length (u16), the image bytes.
 */
#ifndef IRQPATH_FUZZ_NET_H
#define IRQPATH_FUZZ_NET_H

#include <stdlib.h>
#include "fuzz_input.h"
#include "net_backend.h"
#include "virtio_net.h"

#define FUZZ_PAGE 4096u
#define FUZZ_MAX_PAGES 16u

struct fuzz_net {
	struct guest_mem m;
	struct virtio_net *net;
};

/* 0 with fn->net ready, or -1 (out of memory: the caller skips the input). */
static inline int fuzz_net_open(struct fuzz_in *in, struct fuzz_net *fn)
{
	static const uint8_t mac[6] = {0x02, 0x69, 0x72, 0x71, 0x00, 0x01};
	fn->m.size = (uint64_t)(fin_u8(in) % FUZZ_MAX_PAGES + 1) * FUZZ_PAGE;
	unsigned resp = fin_u16(in) % (NET_FRAME_MAX + 64);
	uint64_t image_len = fin_u16(in);
	if (image_len > fn->m.size)
		image_len = fn->m.size;
	fn->m.host = calloc(1, fn->m.size);
	struct net_backend *be = net_reflect_create(resp);
	/* 1-3 queue pairs: with more than one, MQ and the control queue too */
	fn->net = be ? virtio_net_create(&fn->m, be, mac, 1 + resp % 3) : NULL;
	if (!fn->m.host || !fn->net) {
		if (fn->net)
			virtio_net_destroy(fn->net);
		else if (be)
			be->destroy(be);
		free(fn->m.host);
		return -1;
	}
	fin_bytes(in, fn->m.host, image_len);
	return 0;
}

static inline void fuzz_net_close(struct fuzz_net *fn)
{
	virtio_net_destroy(fn->net);
	free(fn->m.host);
}

#endif
