/* SPDX-License-Identifier: MIT */
/* irqpath-rr: options and results shared by the client, server and report. */
#ifndef IRQPATH_RR_H
#define IRQPATH_RR_H

#include <stdbool.h>
#include <stdint.h>

#include "rr_stats.h"

struct rr_opts {
	bool server;
	const char *host;      /* client: server address; server: bind address */
	int port;	       /* 0 (server): any free port */
	double duration_s;     /* measured part */
	double warmup_s;       /* < 0: default */
	uint32_t req, resp;    /* bytes per request / response */
	double io_timeout_s;   /* a transaction taking longer is an error */
	bool once;	       /* server: exit after one connection */
	const char *json_path; /* NULL: none, "-": stdout */
	const char *port_file; /* server: write the bound port here */
	bool quiet;
	unsigned streams; /* client: concurrent connections (1: the classic test) */
	bool pin;	  /* client: pin stream i to CPU i % online CPUs */
};

struct rr_client_result {
	uint64_t warmup_transactions;
	uint64_t transactions;
	double elapsed_s;
	double trans_per_s;
	struct rr_summary lat;
	bool interrupted;
	const char *error; /* NULL: ok */
};

struct rr_server_result {
	uint64_t connections, transactions, bytes_received, bytes_sent, errors;
	uint32_t last_req, last_resp; /* sizes of the last connection */
	uint64_t last_transactions;   /* transactions of the last connection */
	uint64_t last_bytes_received;
};

/* One of --streams N connections: where it ran and what it measured. */
struct rr_stream_result {
	struct rr_client_result r;
	int cpu;	  /* pinned CPU, -1 when not pinned */
	int cpu_end;	  /* sched_getcpu() after the last transaction */
	int incoming_cpu; /* SO_INCOMING_CPU: CPU that took its last packet */
	int local_port;	  /* the flow's source port (what the queue hash sees) */
};

#define RR_MAX_STREAMS 64

extern volatile int rr_stop; /* set by SIGINT/SIGTERM */

/* Return 0 ok, 1 runtime failure. */
int rr_run_client(const struct rr_opts *o, struct rr_client_result *r);
int rr_run_server(const struct rr_opts *o, struct rr_server_result *r);
/* The pieces of one client connection, shared by the single and multi-stream runs. */
int rr_stream_connect(const struct rr_opts *o, const char **error);
/* Transactions on a connected fd; samples get the measured latencies. */
int rr_stream_loop(const struct rr_opts *o, int fd, struct rr_samples *samples,
		   struct rr_client_result *r);
/* o->streams connections at once, one thread each; agg sums them. */
int rr_run_streams(const struct rr_opts *o, struct rr_client_result *agg,
		   struct rr_stream_result *per);

/* Human text on stdout; JSON (irqpath-rr/1) to o->json_path, atomically. */
void rr_print_client(const struct rr_opts *o, const struct rr_client_result *r);
int rr_write_client_json(const struct rr_opts *o, const struct rr_client_result *r,
			 const struct rr_stream_result *per);
void rr_print_streams(const struct rr_opts *o, const struct rr_stream_result *per);
void rr_print_server(const struct rr_server_result *r);
int rr_write_server_json(const struct rr_opts *o, const struct rr_server_result *r);

#endif
