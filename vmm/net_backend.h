/* SPDX-License-Identifier: MIT */
/*
 * Where the virtio-net device's frames go. `reflect` answers every frame
 * in-process (deterministic, no network); `tap` exchanges real frames with
 * a host tap interface.
 */
#ifndef IRQPATH_VMM_NET_BACKEND_H
#define IRQPATH_VMM_NET_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#define NET_FRAME_MAX 2048u
#define NET_MAX_PAIRS 16u /* queue pairs: a multi-queue tap has one fd per pair */

struct net_backend;
/* Called by a backend with a frame for the guest on queue pair `pair`. */
typedef void (*net_deliver_fn)(void *opaque, unsigned pair, const uint8_t *frame, size_t len);

struct net_backend {
	const char *name;
	int fds[NET_MAX_PAIRS]; /* pollable fd per queue pair for incoming frames */
	unsigned nfds;		/* 0: frames only come back from send() */
	/* Guest transmitted a frame on queue pair `pair`. Returns 0 or -1. */
	int (*send)(struct net_backend *b, unsigned pair, const uint8_t *frame, size_t len);
	/* fds[pair] is readable: read frames and deliver them on that pair. */
	void (*poll_in)(struct net_backend *b, unsigned pair);
	void (*destroy)(struct net_backend *b);
	net_deliver_fn deliver;
	void *deliver_opaque;
	uint64_t frames_out, frames_in;
};

/* Each reflected request frame gets a response frame of resp payload bytes, on its pair. */
struct net_backend *net_reflect_create(unsigned resp_bytes);
/*
 * Opens (creating if needed) tap interface name; with pairs > 1 a
 * multi-queue tap (IFF_MULTI_QUEUE), one fd per queue pair. err on failure.
 */
struct net_backend *net_tap_create(const char *name, unsigned pairs, char *err, size_t errlen);

#define ETH_HDR_LEN 14u
#define IRQPATH_ETHERTYPE 0x88b5u /* IEEE local experimental */

#endif
