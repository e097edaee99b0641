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

extern volatile int rr_stop; /* set by SIGINT/SIGTERM */

/* Return 0 ok, 1 runtime failure. */
int rr_run_client(const struct rr_opts *o, struct rr_client_result *r);
int rr_run_server(const struct rr_opts *o, struct rr_server_result *r);

/* Human text on stdout; JSON (irqpath-rr/1) to o->json_path, atomically. */
void rr_print_client(const struct rr_opts *o, const struct rr_client_result *r);
int rr_write_client_json(const struct rr_opts *o, const struct rr_client_result *r);
void rr_print_server(const struct rr_server_result *r);
int rr_write_server_json(const struct rr_opts *o, const struct rr_server_result *r);

#endif
