// SPDX-License-Identifier: MIT
/* TCP_RR server: answers each REQ-byte request with RESP bytes, counting
 * what it received per transaction. Each connection has its own thread, so
 * a --streams client's connections are served at once (--once: the first
 * connection only, in the main thread). */
#include "irqpath/atomic_file.h"
#include "rr.h"
#include "rr_proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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

/* What every connection thread shares: the totals and the JSON file. */
struct server {
	const struct rr_opts *o;
	struct rr_server_result *r;
	pthread_mutex_t lock;
	atomic_int active;
	int fds[RR_MAX_STREAMS]; /* open connections, -1 free (for shutdown) */
	int json_failed;
};

/* Adds one connection's counts to the totals; it becomes "last_connection". */
static void merge(struct server *sv, const struct rr_server_result *c, bool counted)
{
	struct rr_server_result *r = sv->r;
	pthread_mutex_lock(&sv->lock);
	r->errors += c->errors;
	r->transactions += c->transactions;
	r->bytes_received += c->bytes_received;
	r->bytes_sent += c->bytes_sent;
	if (counted) {
		r->connections++;
		r->last_req = c->last_req;
		r->last_resp = c->last_resp;
		r->last_transactions = c->transactions;
		r->last_bytes_received = c->bytes_received;
	}
	if (sv->o->json_path && rr_write_server_json(sv->o, r) < 0)
		sv->json_failed = 1;
	pthread_mutex_unlock(&sv->lock);
}

/* One connection: handshake, then transactions until the client closes. */
static void serve(int fd, struct server *sv)
{
	struct rr_server_result c = {0};
	uint8_t hello[RR_HELLO_LEN];
	uint32_t req, resp;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (rr_read_full(fd, hello, sizeof(hello), &rr_stop) != sizeof(hello) ||
	    rr_hello_decode(hello, &req, &resp) < 0) {
		fprintf(stderr, "irqpath-rr: bad hello from client, connection dropped\n");
		c.errors++;
		merge(sv, &c, false);
		return;
	}
	char *rbuf = malloc(req), *sbuf = calloc(1, resp);
	if (!rbuf || !sbuf || rr_write_full(fd, RR_MAGIC_ACK, RR_MAGIC_LEN, &rr_stop) < 0) {
		free(rbuf);
		free(sbuf);
		c.errors++;
		merge(sv, &c, false);
		return;
	}
	c.last_req = req;
	c.last_resp = resp;
	for (;;) {
		ssize_t n = rr_read_full(fd, rbuf, req, &rr_stop);
		if (n == 0)
			break; /* clean end between transactions */
		if (n < 0) {
			if (!rr_stop) {
				fprintf(stderr, "irqpath-rr: connection error: %s\n",
					strerror(errno));
				c.errors++;
			}
			break;
		}
		c.bytes_received += req;
		if (rr_write_full(fd, sbuf, resp, &rr_stop) < 0) {
			if (!rr_stop)
				c.errors++;
			break;
		}
		c.bytes_sent += resp;
		c.transactions++;
	}
	free(rbuf);
	free(sbuf);
	merge(sv, &c, true);
}

struct conn {
	struct server *sv;
	int slot;
};

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct server *sv = c->sv;
	serve(sv->fds[c->slot], sv);
	pthread_mutex_lock(&sv->lock);
	close(sv->fds[c->slot]);
	sv->fds[c->slot] = -1;
	pthread_mutex_unlock(&sv->lock);
	atomic_fetch_sub(&sv->active, 1);
	free(c);
	return NULL;
}

/* Hands fd to a new detached thread; refuses it when every slot is taken. */
static void spawn(struct server *sv, int fd)
{
	struct conn *c = malloc(sizeof(*c));
	pthread_attr_t at;
	pthread_t t;
	int slot = -1;
	pthread_mutex_lock(&sv->lock);
	for (int i = 0; i < RR_MAX_STREAMS && slot < 0; i++)
		if (sv->fds[i] < 0)
			slot = i;
	if (slot >= 0 && c)
		sv->fds[slot] = fd;
	pthread_mutex_unlock(&sv->lock);
	if (slot < 0 || !c) {
		fprintf(stderr, "irqpath-rr: more than %d connections at once: one refused\n",
			RR_MAX_STREAMS);
		free(c);
		close(fd);
		return;
	}
	*c = (struct conn){.sv = sv, .slot = slot};
	atomic_fetch_add(&sv->active, 1);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	/* Signals stay with the accepting thread, whose accept() they end. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int err = pthread_create(&t, &at, conn_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		atomic_fetch_sub(&sv->active, 1);
		pthread_mutex_lock(&sv->lock);
		sv->fds[slot] = -1;
		pthread_mutex_unlock(&sv->lock);
		close(fd);
		free(c);
	}
	pthread_attr_destroy(&at);
}

/* On a stop: wake every connection thread (shutdown) and wait for them. */
static void drain(struct server *sv)
{
	while (atomic_load(&sv->active) > 0) {
		pthread_mutex_lock(&sv->lock);
		for (int i = 0; i < RR_MAX_STREAMS; i++)
			if (sv->fds[i] >= 0)
				shutdown(sv->fds[i], SHUT_RDWR);
		pthread_mutex_unlock(&sv->lock);
		usleep(10000);
	}
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
	struct server sv = {.o = o, .r = r};
	pthread_mutex_init(&sv.lock, NULL);
	atomic_init(&sv.active, 0);
	for (int i = 0; i < RR_MAX_STREAMS; i++)
		sv.fds[i] = -1;
	int rc = 0;
	while (!rr_stop && !sv.json_failed) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "irqpath-rr: accept: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		if (o->once) {
			serve(fd, &sv);
			close(fd);
			break;
		}
		spawn(&sv, fd);
	}
	close(lfd);
	drain(&sv);
	pthread_mutex_destroy(&sv.lock);
	return rc || sv.json_failed ? 1 : 0;
}
