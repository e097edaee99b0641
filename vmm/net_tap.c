// SPDX-License-Identifier: MIT
/*
 * Tap backend: frames go to and come from a host tap interface. With
 * several queue pairs the tap is multi-queue (IFF_MULTI_QUEUE): one fd per
 * pair, so the host kernel spreads flows over them the way it does for
 * vhost-net and QEMU.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "net_backend.h"

static int tap_send(struct net_backend *b, unsigned pair, const uint8_t *frame, size_t len)
{
	if (pair >= b->nfds || write(b->fds[pair], frame, len) != (ssize_t)len)
		return -1;
	b->frames_out++;
	return 0;
}

static void tap_poll_in(struct net_backend *b, unsigned pair)
{
	uint8_t buf[NET_FRAME_MAX];
	if (pair >= b->nfds)
		return;
	for (;;) {
		ssize_t n = read(b->fds[pair], buf, sizeof(buf));
		if (n <= 0)
			return;
		b->frames_in++;
		b->deliver(b->deliver_opaque, pair, buf, (size_t)n);
	}
}

static void tap_destroy(struct net_backend *b)
{
	for (unsigned i = 0; i < b->nfds; i++)
		close(b->fds[i]);
	free(b);
}

/* One fd attached to the tap (one queue of it when multi). */
static int tap_open(const char *name, bool multi, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (multi ? IFF_MULTI_QUEUE : 0);
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "cannot attach to %stap %s: %s", multi ? "multi-queue " : "",
			 name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct net_backend *net_tap_create(const char *name, unsigned pairs, char *err, size_t errlen)
{
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(err, errlen, "tap name '%s' is longer than %d characters", name,
			 IFNAMSIZ - 1);
		return NULL;
	}
	if (pairs == 0 || pairs > NET_MAX_PAIRS) {
		snprintf(err, errlen, "a tap has 1..%u queues, not %u", NET_MAX_PAIRS, pairs);
		return NULL;
	}
	struct net_backend *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; i < pairs; i++) {
		int fd = tap_open(name, pairs > 1, err, errlen);
		if (fd < 0) {
			tap_destroy(b);
			return NULL;
		}
		b->fds[b->nfds++] = fd;
	}
	b->name = "tap";
	b->send = tap_send;
	b->poll_in = tap_poll_in;
	b->destroy = tap_destroy;
	return b;
}
