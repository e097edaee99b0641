// SPDX-License-Identifier: MIT
/* TCP_RR client: one transaction in flight, set-up and warm-up not timed. */
#include "rr.h"
#include "rr_proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int set_timeouts(int fd, double secs)
{
	struct timeval tv = {.tv_sec = (time_t)secs,
			     .tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6)};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -1;
	return 0;
}

/* Numeric addresses need no resolver, which the static guest build lacks. */
static int connect_to(const char *host, int port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = 0;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		len = sizeof(*a6);
	} else {
#ifdef RR_NO_RESOLVER
		fprintf(stderr, "irqpath-rr: '%s' is not a numeric address\n", host);
		return -1;
#else
		struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai;
		int e = getaddrinfo(host, NULL, &hints, &ai);
		if (e) {
			fprintf(stderr, "irqpath-rr: cannot resolve '%s': %s\n", host,
				gai_strerror(e));
			return -1;
		}
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		len = ai->ai_addrlen;
		if (ss.ss_family == AF_INET)
			a4->sin_port = htons((uint16_t)port);
		else
			a6->sin6_port = htons((uint16_t)port);
		freeaddrinfo(ai);
#endif
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "irqpath-rr: connect to %s port %d: %s\n", host, port,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static const char *io_error(ssize_t n)
{
	if (n == 0 || (n < 0 && errno == EPIPE))
		return "server closed the connection";
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return "transaction timed out";
	return strerror(errno);
}

int rr_stream_connect(const struct rr_opts *o, const char **error)
{
	int fd = connect_to(o->host, o->port);
	if (fd < 0) {
		*error = "cannot connect";
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeouts(fd, o->io_timeout_s);
	uint8_t hello[RR_HELLO_LEN], ack[RR_MAGIC_LEN];
	rr_hello_encode(hello, o->req, o->resp);
	if (rr_write_full(fd, hello, sizeof(hello), &rr_stop) < 0 ||
	    rr_read_full(fd, ack, sizeof(ack), &rr_stop) != sizeof(ack) ||
	    memcmp(ack, RR_MAGIC_ACK, RR_MAGIC_LEN) != 0) {
		*error = "handshake failed (is the peer an irqpath-rr server?)";
		close(fd);
		return -1;
	}
	return fd;
}

int rr_stream_loop(const struct rr_opts *o, int fd, struct rr_samples *samples,
		   struct rr_client_result *r)
{
	char *req = calloc(1, o->req), *resp = malloc(o->resp);
	int rc = 1;
	ssize_t n;
	if (!req || !resp) {
		r->error = "out of memory";
		goto out;
	}
	uint64_t start = rr_now_ns();
	uint64_t warm_end = start + (uint64_t)(o->warmup_s * 1e9);
	uint64_t length = (uint64_t)(o->duration_s * 1e9), end = warm_end + length;
	uint64_t measured_start = 0, now = start;
	bool measuring = o->warmup_s <= 0;
	if (measuring)
		measured_start = start;
	while (!rr_stop) {
		uint64_t t0 = now;
		if ((n = rr_write_full(fd, req, o->req, &rr_stop)) < 0 ||
		    (n = rr_read_full(fd, resp, o->resp, &rr_stop)) != (ssize_t)o->resp) {
			if (rr_stop)
				break;
			r->error = io_error(n);
			goto out;
		}
		now = rr_now_ns();
		if (!measuring) {
			r->warmup_transactions++;
			if (now >= warm_end) {
				measuring = true;
				measured_start = now;
				end = now + length; /* -l counts from here */
			}
			continue;
		}
		if (rr_samples_add(samples, now - t0) < 0) {
			r->error = "out of memory for latency samples";
			goto out;
		}
		if (now >= end)
			break;
	}
	r->interrupted = rr_stop != 0;
	r->transactions = samples->n;
	r->elapsed_s = measuring ? (double)(now - measured_start) / 1e9 : 0;
	r->trans_per_s = r->elapsed_s > 0 ? (double)r->transactions / r->elapsed_s : 0;
	if (r->interrupted)
		r->error = "interrupted";
	else if (r->transactions == 0)
		r->error = "no transaction completed";
	else
		rc = 0;
out:
	free(req);
	free(resp);
	return rc;
}

int rr_run_client(const struct rr_opts *o, struct rr_client_result *r)
{
	memset(r, 0, sizeof(*r));
	int fd = rr_stream_connect(o, &r->error);
	if (fd < 0)
		return 1;
	struct rr_samples samples = {0};
	int rc = rr_stream_loop(o, fd, &samples, r);
	if (r->transactions) /* not after an I/O error: that result has no count */
		rr_summarize(&samples, &r->lat);
	rr_samples_free(&samples);
	close(fd);
	return rc;
}
