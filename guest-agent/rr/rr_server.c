// SPDX-License-Identifier: MIT
/* TCP_RR server: answers each REQ-byte request with RESP bytes, one
 * connection at a time, counting what it received per transaction. */
#include "irqpath/atomic_file.h"
#include "rr.h"
#include "rr_proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(const char *addr, int port, int *bound_port)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	if (!addr)
		addr = "0.0.0.0";
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		len = sizeof(*a6);
	} else {
		fprintf(stderr, "irqpath-rr: bind address '%s' is not numeric\n", addr);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "irqpath-rr: cannot listen on %s port %d: %s\n", addr, port,
			strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*bound_port = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
	return fd;
}

static int write_port_file(const char *path, int port)
{
	char text[16];
	int n = snprintf(text, sizeof(text), "%d\n", port);
	return irqpath_write_atomic(path, text, (size_t)n, NULL);
}

/* One connection: handshake, then transactions until the client closes. */
static void serve(int fd, const struct rr_opts *o, struct rr_server_result *r)
{
	uint8_t hello[RR_HELLO_LEN];
	uint32_t req, resp;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (rr_read_full(fd, hello, sizeof(hello), &rr_stop) != sizeof(hello) ||
	    rr_hello_decode(hello, &req, &resp) < 0) {
		fprintf(stderr, "irqpath-rr: bad hello from client, connection dropped\n");
		r->errors++;
		return;
	}
	if (rr_write_full(fd, RR_MAGIC_ACK, RR_MAGIC_LEN, &rr_stop) < 0) {
		r->errors++;
		return;
	}
	char *rbuf = malloc(req), *sbuf = calloc(1, resp);
	if (!rbuf || !sbuf) {
		free(rbuf);
		free(sbuf);
		r->errors++;
		return;
	}
	r->connections++;
	r->last_req = req;
	r->last_resp = resp;
	r->last_transactions = 0;
	r->last_bytes_received = 0;
	for (;;) {
		ssize_t n = rr_read_full(fd, rbuf, req, &rr_stop);
		if (n == 0)
			break; /* clean end between transactions */
		if (n < 0) {
			if (!rr_stop) {
				fprintf(stderr, "irqpath-rr: connection error: %s\n",
					strerror(errno));
				r->errors++;
			}
			break;
		}
		r->bytes_received += req;
		r->last_bytes_received += req;
		if (rr_write_full(fd, sbuf, resp, &rr_stop) < 0) {
			if (!rr_stop)
				r->errors++;
			break;
		}
		r->bytes_sent += resp;
		r->transactions++;
		r->last_transactions++;
	}
	(void)o;
	free(rbuf);
	free(sbuf);
}

int rr_run_server(const struct rr_opts *o, struct rr_server_result *r)
{
	memset(r, 0, sizeof(*r));
	int port;
	int lfd = listen_on(o->host, o->port, &port);
	if (lfd < 0)
		return 1;
	if (o->port_file && write_port_file(o->port_file, port) < 0) {
		fprintf(stderr, "irqpath-rr: cannot write %s: %s\n", o->port_file, strerror(errno));
		close(lfd);
		return 1;
	}
	if (!o->quiet)
		fprintf(stderr, "irqpath-rr: server listening on %s port %d\n",
			o->host ? o->host : "0.0.0.0", port);
	while (!rr_stop) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "irqpath-rr: accept: %s\n", strerror(errno));
			close(lfd);
			return 1;
		}
		serve(fd, o, r);
		close(fd);
		if (o->json_path && rr_write_server_json(o, r) < 0) {
			close(lfd);
			return 1;
		}
		if (o->once)
			break;
	}
	close(lfd);
	return 0;
}
