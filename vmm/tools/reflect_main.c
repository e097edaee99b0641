// SPDX-License-Identifier: MIT
/*
 * irqpath-reflect: the peer for irqpath-vmm's tap backend. Listens on a
 * host interface (the tap's host side) for irqpath request frames
 * (ethertype 0x88b5) and answers each with a response frame, exactly as
 * the built-in `reflect` backend does, so the same workload runs over a
 * real tap device.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../net_backend.h"

static volatile sig_atomic_t stop;
static int sock = -1;
static struct sockaddr_ll to;
static unsigned long long answered;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The reflect backend hands us its response: put it on the wire. */
static void send_out(void *opaque, unsigned pair, const uint8_t *frame, size_t len)
{
	(void)opaque;
	(void)pair; /* one socket: every pair's answer goes out the same way */
	if (sendto(sock, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len)
		answered++;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: irqpath-reflect --if NAME [--resp BYTES] [--count N]\n"
		   "Answers irqpath request frames (ethertype 0x88b5) arriving on NAME with\n"
		   "response frames of BYTES payload (default 1024), N times (default: until\n"
		   "SIGINT/SIGTERM). Prints the number answered. Exit: 0 ok, 1 error, 2 usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"if", required_argument, 0, 'i'},
					     {"resp", required_argument, 0, 'r'},
					     {"count", required_argument, 0, 'n'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *ifname = NULL;
	unsigned resp = 1024;
	unsigned long long count = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'r':
			resp = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!ifname || resp < 8 || resp > 2000) {
		usage(stderr);
		return 2;
	}
	unsigned idx = if_nametoindex(ifname);
	if (!idx) {
		fprintf(stderr, "irqpath-reflect: no interface %s\n", ifname);
		return 1;
	}
	sock = socket(AF_PACKET, SOCK_RAW, htons(IRQPATH_ETHERTYPE));
	if (sock < 0) {
		fprintf(stderr, "irqpath-reflect: AF_PACKET socket: %s\n", strerror(errno));
		return 1;
	}
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(IRQPATH_ETHERTYPE),
				  .sll_ifindex = (int)idx};
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "irqpath-reflect: bind to %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	to = sll;
	to.sll_halen = ETH_ALEN;
	struct net_backend *r = net_reflect_create(resp);
	r->deliver = send_out;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "irqpath-reflect: answering on %s\n", ifname);
	uint8_t buf[NET_FRAME_MAX];
	while (!stop && (!count || answered < count)) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "irqpath-reflect: recv: %s\n", strerror(errno));
			break;
		}
		if ((size_t)n >= ETH_HDR_LEN)
			r->send(r, 0, buf, (size_t)n);
	}
	printf("%llu\n", answered);
	r->destroy(r);
	close(sock);
	return 0;
}
