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

struct net_backend;
/* Called by a backend with a frame for the guest (device lock not held). */
typedef void (*net_deliver_fn)(void *opaque, const uint8_t *frame, size_t len);

struct net_backend {
	const char *name;
	int fd; /* pollable fd for incoming frames, or -1 */
	/* Guest transmitted a frame. Returns 0 or -1. */
	int (*send)(struct net_backend *b, const uint8_t *frame, size_t len);
	/* fd is readable: read frames and deliver them. */
	void (*poll_in)(struct net_backend *b);
	void (*destroy)(struct net_backend *b);
	net_deliver_fn deliver;
	void *deliver_opaque;
	uint64_t frames_out, frames_in;
};

/* Each reflected request frame gets a response frame of resp payload bytes. */
struct net_backend *net_reflect_create(unsigned resp_bytes);
/* Opens (creating if needed) tap interface name; err on failure. */
struct net_backend *net_tap_create(const char *name, char *err, size_t errlen);

#define ETH_HDR_LEN 14u
#define IRQPATH_ETHERTYPE 0x88b5u /* IEEE local experimental */

#endif
