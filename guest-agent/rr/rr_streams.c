// SPDX-License-Identifier: MIT
/*
 * --streams N: N TCP_RR connections at once, one thread each, stream i
 * pinned to CPU i % (online CPUs) so that, in a guest whose virtio-net has
 * one queue pair per CPU, its transmits use queue i (virtio_net's XPS map)
 * and a multi-queue tap sends its answers back on the same queue. Where
 * the packets really went is recorded (SO_INCOMING_CPU, the CPU at the end)
 * and /proc/interrupts is the check. All streams finish their handshake
 * before any starts its warm-up, so the measured windows overlap.
 */
#include "rr.h"
#include "rr_proto.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct stream {
	const struct rr_opts *o;
	struct rr_stream_result *res;
	struct rr_samples samples;
	pthread_barrier_t *ready;
	atomic_int *running;
	atomic_int fd;
	int index;
};

static int pin_to(int index)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = n > 0 ? index % (int)n : 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu; /* 0: this thread */
}

static void note_socket(struct stream *s, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int v = -1;
	socklen_t vl = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &v, &vl) == 0)
		s->res->incoming_cpu = v;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		s->res->local_port =
		    ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						  : ((struct sockaddr_in6 *)&ss)->sin6_port);
	s->res->cpu_end = sched_getcpu();
}

static void *stream_main(void *arg)
{
	struct stream *s = arg;
	struct rr_client_result *r = &s->res->r;
	s->res->cpu = s->o->pin ? pin_to(s->index) : -1;
	if (s->o->pin && s->res->cpu < 0)
		r->error = "cannot pin the stream to its CPU";
	int fd = r->error ? -1 : rr_stream_connect(s->o, &r->error);
	atomic_store(&s->fd, fd);
	pthread_barrier_wait(s->ready); /* every stream connected (or failed) */
	if (fd >= 0 && !rr_stop) {
		rr_stream_loop(s->o, fd, &s->samples, r);
		note_socket(s, fd);
		if (r->transactions)
			rr_summarize(&s->samples, &r->lat);
	}
	atomic_store(&s->fd, -1);
	if (fd >= 0)
		close(fd);
	atomic_fetch_sub(s->running, 1);
	return NULL;
}

/* Sums the streams; latency percentiles over every stream's samples. */
static int aggregate(struct stream *st, unsigned n, struct rr_client_result *agg)
{
	struct rr_samples all = {0};
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct rr_client_result *r = &st[i].res->r;
		agg->transactions += r->transactions;
		agg->warmup_transactions += r->warmup_transactions;
		agg->trans_per_s += r->trans_per_s; /* the windows overlap */
		if (r->elapsed_s > agg->elapsed_s)
			agg->elapsed_s = r->elapsed_s;
		agg->interrupted |= r->interrupted;
		if (r->error && !agg->error)
			agg->error = r->error;
		for (size_t k = 0; k < st[i].samples.n; k++)
			if (rr_samples_add(&all, st[i].samples.ns[k]) < 0)
				agg->error = "out of memory for latency samples";
	}
	rr_summarize(&all, &agg->lat);
	rr_samples_free(&all);
	if (agg->error)
		rc = 1;
	return rc;
}

/* Waits for the streams; a signal closes their sockets so blocked reads end. */
static void wait_streams(struct stream *st, unsigned n, pthread_t *tid, atomic_int *running)
{
	while (atomic_load(running) > 0) {
		if (rr_stop)
			for (unsigned i = 0; i < n; i++) {
				int fd = atomic_load(&st[i].fd);
				if (fd >= 0)
					shutdown(fd, SHUT_RDWR);
			}
		usleep(100000); /* a signal cuts it short */
	}
	for (unsigned i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
}

int rr_run_streams(const struct rr_opts *o, struct rr_client_result *agg,
		   struct rr_stream_result *per)
{
	unsigned n = o->streams;
	struct stream st[RR_MAX_STREAMS];
	pthread_t tid[RR_MAX_STREAMS];
	pthread_barrier_t ready;
	atomic_int running = (int)n;
	sigset_t block, old;
	memset(agg, 0, sizeof(*agg));
	memset(per, 0, n * sizeof(*per));
	pthread_barrier_init(&ready, NULL, n);
	/* Only this thread takes SIGINT/SIGTERM; the streams see rr_stop. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (unsigned i = 0; i < n; i++) {
		st[i] = (struct stream){
		    .o = o, .res = &per[i], .ready = &ready, .running = &running, .index = (int)i};
		atomic_init(&st[i].fd, -1);
		per[i].incoming_cpu = per[i].cpu_end = -1;
		if (pthread_create(&tid[i], NULL, stream_main, &st[i])) {
			/* the barrier counts n: not a state to recover from */
			agg->error = "cannot start a stream thread";
			abort();
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	wait_streams(st, n, tid, &running);
	pthread_barrier_destroy(&ready);
	int rc = aggregate(st, n, agg);
	for (unsigned i = 0; i < n; i++)
		rr_samples_free(&st[i].samples);
	if (rr_stop) {
		agg->interrupted = true;
		agg->error = "interrupted";
	}
	return rc || rr_stop ? 1 : 0;
}
