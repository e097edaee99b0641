// SPDX-License-Identifier: MIT
/* irqpath-rr output: human text and irqpath-rr/1 JSON (atomic write). */
#include "irqpath/atomic_json.h"
#include "rr.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int dump_json(const char *path, json_t *j)
{
	int rc = 0;
	if (strcmp(path, "-") == 0) {
		rc = json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
		fflush(stdout);
	} else {
		if (irqpath_write_json(path, j, JSON_INDENT(2) | JSON_REAL_PRECISION(10), NULL)) {
			fprintf(stderr, "irqpath-rr: cannot write %s: %s\n", path, strerror(errno));
			rc = -1;
		}
	}
	json_decref(j);
	return rc;
}

void rr_print_client(const struct rr_opts *o, const struct rr_client_result *r)
{
	printf("TCP_RR %u/%u to %s port %d: %llu transactions in %.2f s = %.2f trans/s%s\n", o->req,
	       o->resp, o->host, o->port, (unsigned long long)r->transactions, r->elapsed_s,
	       r->trans_per_s, r->interrupted ? " (interrupted)" : "");
	printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  (min %.1f  mean %.1f  max %.1f); "
	       "warm-up %llu transactions in %.2f s not counted\n",
	       r->lat.p50_us, r->lat.p90_us, r->lat.p99_us, r->lat.min_us, r->lat.mean_us,
	       r->lat.max_us, (unsigned long long)r->warmup_transactions, o->warmup_s);
	fflush(stdout);
}

static json_t *latency_json(const struct rr_summary *l)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "min", l->min_us, "mean", l->mean_us,
			 "p50", l->p50_us, "p90", l->p90_us, "p99", l->p99_us, "max", l->max_us);
}

static json_t *int_or_null(int v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

/* --streams: one object per connection, in stream order. */
static json_t *streams_json(const struct rr_opts *o, const struct rr_stream_result *per)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < o->streams; i++) {
		const struct rr_stream_result *p = &per[i];
		json_array_append_new(
		    a, json_pack("{s:I, s:o, s:o, s:o, s:i, s:I, s:I, s:f, s:f, s:o, s:s?}",
				 "stream", (json_int_t)i, "cpu", int_or_null(p->cpu), "cpu_end",
				 int_or_null(p->cpu_end), "incoming_cpu",
				 int_or_null(p->incoming_cpu), "local_port", p->local_port,
				 "warmup_transactions", (json_int_t)p->r.warmup_transactions,
				 "transactions", (json_int_t)p->r.transactions, "elapsed_s",
				 p->r.elapsed_s, "trans_per_s", p->r.trans_per_s, "latency_us",
				 latency_json(&p->r.lat), "error", p->r.error));
	}
	return a;
}

int rr_write_client_json(const struct rr_opts *o, const struct rr_client_result *r,
			 const struct rr_stream_result *per)
{
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:f, s:f, s:I, s:I, s:f, s:f, s:o, s:b, s:s?}",
	    "schema", "irqpath-rr/1", "role", "client", "test", "TCP_RR", "host", o->host, "port",
	    o->port, "req", (json_int_t)o->req, "resp", (json_int_t)o->resp, "duration_s",
	    o->duration_s, "warmup_s", o->warmup_s, "warmup_transactions",
	    (json_int_t)r->warmup_transactions, "transactions", (json_int_t)r->transactions,
	    "elapsed_s", r->elapsed_s, "trans_per_s", r->trans_per_s, "latency_us",
	    latency_json(&r->lat), "interrupted", r->interrupted, "error", r->error);
	if (!j)
		return -1;
	if (per) { /* additive: a one-stream run keeps the classic object */
		json_object_set_new(j, "streams", json_integer(o->streams));
		json_object_set_new(j, "pinned", json_boolean(o->pin));
		json_object_set_new(j, "per_stream", streams_json(o, per));
	}
	return dump_json(o->json_path, j);
}

void rr_print_streams(const struct rr_opts *o, const struct rr_stream_result *per)
{
	for (unsigned i = 0; i < o->streams; i++) {
		const struct rr_stream_result *p = &per[i];
		printf("  stream %u: cpu %d (at end %d, last packet on %d), port %d: %llu "
		       "transactions, %.2f trans/s, p50 %.1f us%s%s\n",
		       i, p->cpu, p->cpu_end, p->incoming_cpu, p->local_port,
		       (unsigned long long)p->r.transactions, p->r.trans_per_s, p->r.lat.p50_us,
		       p->r.error ? ": " : "", p->r.error ? p->r.error : "");
	}
	fflush(stdout);
}

void rr_print_server(const struct rr_server_result *r)
{
	printf("TCP_RR server: %llu connections, %llu transactions, %llu bytes received, "
	       "%llu sent, %llu errors\n",
	       (unsigned long long)r->connections, (unsigned long long)r->transactions,
	       (unsigned long long)r->bytes_received, (unsigned long long)r->bytes_sent,
	       (unsigned long long)r->errors);
	fflush(stdout);
}

int rr_write_server_json(const struct rr_opts *o, const struct rr_server_result *r)
{
	double per = r->last_transactions
			 ? (double)r->last_bytes_received / (double)r->last_transactions
			 : 0;
	json_t *j =
	    json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I,"
		      " s:{s:I, s:I, s:I, s:I, s:f}}",
		      "schema", "irqpath-rr/1", "role", "server", "test", "TCP_RR", "connections",
		      (json_int_t)r->connections, "transactions", (json_int_t)r->transactions,
		      "bytes_received", (json_int_t)r->bytes_received, "bytes_sent",
		      (json_int_t)r->bytes_sent, "errors", (json_int_t)r->errors, "last_connection",
		      "req", (json_int_t)r->last_req, "resp", (json_int_t)r->last_resp,
		      "transactions", (json_int_t)r->last_transactions, "bytes_received",
		      (json_int_t)r->last_bytes_received, "bytes_received_per_transaction", per);
	if (!j)
		return -1;
	return dump_json(o->json_path, j);
}
