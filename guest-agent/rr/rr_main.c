// SPDX-License-Identifier: MIT
/* irqpath-rr: command line, signals, exit codes. */
#include "rr.h"
#include "rr_proto.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int rr_stop;

static void on_signal(int sig)
{
	(void)sig;
	rr_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: irqpath-rr -H HOST [-p PORT] [-l SECS] [-r REQ,RESP] [options]   (client)\n"
		"       irqpath-rr -s [-B ADDR] [-p PORT] [--once] [options]             (server)\n"
		"\n"
		"TCP request/response test with netperf TCP_RR semantics: one transaction\n"
		"in flight, REQ bytes to the server then RESP bytes back; connection set-up\n"
		"and the warm-up are not counted. Reports trans/s and latency percentiles.\n"
		"\n"
		"  -H, --host HOST       server address (client mode)\n"
		"  -s, --server          run the server\n"
		"  -B, --bind ADDR       server bind address (default 0.0.0.0)\n"
		"  -p, --port PORT       TCP port (default %d; server: 0 = any free port)\n"
		"  -l, --duration SECS   measured length (default 10)\n"
		"  -w, --warmup SECS     warm-up before measuring (default: 10%% of -l, max 1)\n"
		"  -r, --sizes REQ,RESP  request and response bytes (default 1,1)\n"
		"  -t, --timeout SECS    give up when one transaction takes longer (default 10)\n"
		"  -1, --once            server: exit after the first connection\n"
		"  -P, --port-file FILE  server: write the listening port to FILE\n"
		"  -j, --json FILE       write irqpath-rr/1 JSON to FILE ('-' = stdout)\n"
		"  -n, --streams N       client: N connections at once (1..%d), one thread\n"
		"                        each, stream i pinned to CPU i %% (online CPUs);\n"
		"                        trans/s is their sum, latency over all of them\n"
		"      --no-pin          client: leave the streams where the scheduler puts them\n"
		"  -q, --quiet           no human-readable output (implied by --json -)\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit codes: 0 ok, 1 runtime failure (connection, timeout, interrupted),\n"
		"2 usage / bad input.\n",
		RR_DEFAULT_PORT, RR_MAX_STREAMS);
}

static int parse_double(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return (*s && !*end && *out >= 0) ? 0 : -1;
}

static int parse_size(const char *s, uint32_t *out, char **end)
{
	unsigned long v = strtoul(s, end, 10);
	if (*end == s || v == 0 || v > RR_MAX_MSG)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_sizes(const char *s, struct rr_opts *o)
{
	char *end;
	if (parse_size(s, &o->req, &end) < 0)
		return -1;
	if (*end == '\0') { /* netperf: "-r N" sets both */
		o->resp = o->req;
		return 0;
	}
	if (*end != ',')
		return -1;
	if (parse_size(end + 1, &o->resp, &end) < 0 || *end)
		return -1;
	return 0;
}

static int run_client(const struct rr_opts *o)
{
	struct rr_client_result r;
	static struct rr_stream_result per[RR_MAX_STREAMS];
	bool multi = o->streams > 1 || o->pin;
	int rc = multi ? rr_run_streams(o, &r, per) : rr_run_client(o, &r);
	if (r.error)
		fprintf(stderr, "irqpath-rr: %s\n", r.error);
	if (!o->quiet && (r.transactions || !r.error)) {
		rr_print_client(o, &r);
		if (multi)
			rr_print_streams(o, per);
	}
	if (o->json_path && rr_write_client_json(o, &r, multi ? per : NULL) < 0)
		rc = 1;
	return rc;
}

/* Fills o from the command line; -1 to go on, else the exit code. */
static int parse_opts(int argc, char **argv, struct rr_opts *o)
{
	static int no_pin;
	static const struct option lo[] = {
	    {"host", required_argument, 0, 'H'},     {"server", no_argument, 0, 's'},
	    {"bind", required_argument, 0, 'B'},     {"port", required_argument, 0, 'p'},
	    {"duration", required_argument, 0, 'l'}, {"warmup", required_argument, 0, 'w'},
	    {"sizes", required_argument, 0, 'r'},    {"timeout", required_argument, 0, 't'},
	    {"once", no_argument, 0, '1'},	     {"port-file", required_argument, 0, 'P'},
	    {"json", required_argument, 0, 'j'},     {"quiet", no_argument, 0, 'q'},
	    {"streams", required_argument, 0, 'n'},  {"no-pin", no_argument, &no_pin, 1},
	    {"help", no_argument, 0, 'h'},	     {0, 0, 0, 0}};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "H:sB:p:l:w:r:t:1P:j:n:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'H':
		case 'B':
			o->host = optarg;
			break;
		case 's':
			o->server = true;
			break;
		case 'p':
			o->port = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || o->port < 0 || o->port > 65535) {
				fprintf(stderr, "irqpath-rr: bad port '%s'\n", optarg);
				return 2;
			}
			break;
		case 'l':
			if (parse_double(optarg, &o->duration_s) < 0 || o->duration_s <= 0) {
				fprintf(stderr, "irqpath-rr: bad duration '%s'\n", optarg);
				return 2;
			}
			break;
		case 'w':
			if (parse_double(optarg, &o->warmup_s) < 0) {
				fprintf(stderr, "irqpath-rr: bad warm-up '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (parse_double(optarg, &o->io_timeout_s) < 0 || o->io_timeout_s <= 0) {
				fprintf(stderr, "irqpath-rr: bad timeout '%s'\n", optarg);
				return 2;
			}
			break;
		case 'r':
			if (parse_sizes(optarg, o) < 0) {
				fprintf(stderr,
					"irqpath-rr: bad sizes '%s' (want REQ,RESP, each 1..%u)\n",
					optarg, RR_MAX_MSG);
				return 2;
			}
			break;
		case '1':
			o->once = true;
			break;
		case 'P':
			o->port_file = optarg;
			break;
		case 'j':
			o->json_path = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'n': {
			unsigned long n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || n < 1 || n > RR_MAX_STREAMS) {
				fprintf(stderr, "irqpath-rr: bad --streams '%s' (1..%d)\n", optarg,
					RR_MAX_STREAMS);
				return 2;
			}
			o->streams = (unsigned)n;
			break;
		}
		case 0: /* --no-pin */
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	o->pin = o->streams > 1 && !no_pin;
	return -1;
}

int main(int argc, char **argv)
{
	struct rr_opts o = {.port = RR_DEFAULT_PORT,
			    .duration_s = 10,
			    .warmup_s = -1,
			    .req = 1,
			    .resp = 1,
			    .io_timeout_s = 10,
			    .streams = 1};
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind < argc) {
		fprintf(stderr, "irqpath-rr: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!o.server && !o.host) {
		fprintf(stderr, "irqpath-rr: give -H HOST (client) or -s (server)\n");
		usage(stderr);
		return 2;
	}
	if (!o.server && o.port == 0) {
		fprintf(stderr, "irqpath-rr: the client needs a port (-p)\n");
		return 2;
	}
	if (o.json_path && strcmp(o.json_path, "-") == 0)
		o.quiet = true; /* stdout carries the JSON alone */
	if (o.warmup_s < 0)
		o.warmup_s = o.duration_s / 10 > 1 ? 1 : o.duration_s / 10;

	/* No SA_RESTART: blocking socket calls return EINTR and the loops stop. */
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (o.server) {
		struct rr_server_result r;
		int rc = rr_run_server(&o, &r);
		if (!o.quiet)
			rr_print_server(&r);
		if (o.json_path && rr_write_server_json(&o, &r) < 0)
			rc = 1;
		return rc;
	}
	return run_client(&o);
}
