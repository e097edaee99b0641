// SPDX-License-Identifier: MIT
/* Tap backend: frames go to and come from a host tap interface. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "net_backend.h"

static int tap_send(struct net_backend *b, const uint8_t *frame, size_t len)
{
	if (write(b->fd, frame, len) != (ssize_t)len)
		return -1;
	b->frames_out++;
	return 0;
}

static void tap_poll_in(struct net_backend *b)
{
	uint8_t buf[NET_FRAME_MAX];
	for (;;) {
		ssize_t n = read(b->fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		b->frames_in++;
		b->deliver(b->deliver_opaque, buf, (size_t)n);
	}
}

static void tap_destroy(struct net_backend *b)
{
	close(b->fd);
	free(b);
}

struct net_backend *net_tap_create(const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(err, errlen, "tap name '%s' is longer than %d characters", name,
			 IFNAMSIZ - 1);
		return NULL;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		return NULL;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "cannot attach to tap %s: %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	struct net_backend *b = calloc(1, sizeof(*b));
	if (!b) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->name = "tap";
	b->fd = fd;
	b->send = tap_send;
	b->poll_in = tap_poll_in;
	b->destroy = tap_destroy;
	return b;
}
