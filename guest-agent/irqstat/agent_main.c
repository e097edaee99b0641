// SPDX-License-Identifier: MIT
/*
 * irqpath-agent: runs inside a Linux guest. Samples /proc/interrupts, runs
 * the irqpath-rr client against the host's server, samples again and prints
 * ONE console line "IRQPATH-RESULT {json}" (irqpath-agent/1) that the host
 * runner picks out of the serial log.
 */
#include "agent_netdev.h"
#include "irqstat.h"
#include "irqstat_json.h"
#include "irqstat_settle.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RESULT_TAG "IRQPATH-RESULT "
#define IRQS_TAG "IRQPATH-IRQS "
/* Tells the init's halt_now that the final counts were printed already. */
#define IRQS_DONE_MARK "/tmp/irqpath-irqs-printed"
/* The closing sample waits for 300 ms without a matched interrupt (at most 5 s). */
static const struct irq_settle closing = {.quiet_ms = 300, .max_ms = 5000};

static void usage(FILE *f)
{
	fprintf(f, "Usage: irqpath-agent --server ADDR [--port N] [--duration S] [--req B]\n"
		   "                     [--resp B] [--match STR] [--kernel-version V]\n"
		   "                     [--rr PATH] [--interrupts FILE] [--tmp DIR]\n"
		   "                     [--streams N] [--netdev IF] [--sysfs-net DIR]\n"
		   "\n"
		   "Runs 'irqpath-rr -H ADDR -p N -l S -r B,B [--streams N]' with\n"
		   "/proc/interrupts sampled before and after (per CPU too), records IF's\n"
		   "queues and XPS/RPS masks, then prints one line: " RESULT_TAG "{json}.\n"
		   "Defaults: port 7801, 3 s, 32/1024 bytes, match 'virtio', 1 stream,\n"
		   "eth0 under /sys/class/net, rr from PATH.\n"
		   "\n"
		   "Exit codes: 0 ok, 1 the workload or sampling failed (the line then\n"
		   "carries \"status\":\"error\"), 2 usage.\n");
}

struct agent_opts {
	const char *server, *port, *duration, *req, *resp, *match, *kver, *rr, *irq_file, *tmp;
	const char *streams, *netdev, *sysfs_net;
};

/* Prints the result line; frees j. */
static void emit(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
	printf("\n%s%s\n", RESULT_TAG,
	       s ? s : "{\"status\":\"error\",\"error\":\"out of memory\"}");
	fflush(stdout);
	free(s);
	json_decref(j);
}

static int fail(json_t *j, const char *fmt, const char *arg)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, arg);
	fprintf(stderr, "irqpath-agent: %s\n", msg);
	json_object_set_new(j, "status", json_string("error"));
	json_object_set_new(j, "error", json_string(msg));
	emit(j);
	return 1;
}

static int run_rr(const struct agent_opts *o, const char *json_path)
{
	char sizes[64];
	snprintf(sizes, sizeof(sizes), "%s,%s", o->req, o->resp);
	pid_t pid = fork();
	if (pid == 0) {
		if (strcmp(o->streams, "1") == 0) /* the classic one-connection test */
			execlp(o->rr, o->rr, "-H", o->server, "-p", o->port, "-l", o->duration,
			       "-r", sizes, "-j", json_path, (char *)NULL);
		else
			execlp(o->rr, o->rr, "-H", o->server, "-p", o->port, "-l", o->duration,
			       "-r", sizes, "--streams", o->streams, "-j", json_path, (char *)NULL);
		fprintf(stderr, "irqpath-agent: cannot run %s: %s\n", o->rr, strerror(errno));
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The values go to irqpath-rr as given; here they are only checked and
 * recorded as JSON numbers. */
static bool is_number(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return *s && !*end && *out > 0;
}

/* The result object with the workload; NULL (usage error) for a bad number. */
static json_t *start_json(const struct agent_opts *o)
{
	double port, duration, req, resp, streams;
	if (!is_number(o->port, &port) || !is_number(o->duration, &duration) ||
	    !is_number(o->req, &req) || !is_number(o->resp, &resp) ||
	    !is_number(o->streams, &streams)) {
		fprintf(stderr, "irqpath-agent: --port, --duration, --req, --resp, --streams "
				"must be numbers\n");
		return NULL;
	}
	json_t *j =
	    json_pack("{s:s, s:s, s:s, s:{s:s, s:I, s:f, s:I, s:I}}", "schema", "irqpath-agent/1",
		      "status", "ok", "kernel_version", o->kver, "workload", "server", o->server,
		      "port", (json_int_t)port, "duration_s", duration, "req", (json_int_t)req,
		      "resp", (json_int_t)resp);
	if (!j)
		exit(1);
	if (streams != 1) /* additive: a one-stream result keeps its old shape */
		json_object_set_new(json_object_get(j, "workload"), "streams",
				    json_integer((json_int_t)streams));
	return j;
}

/*
 * The guest's final virtio interrupt counts (since boot, per action) as the
 * IRQPATH-IRQS line irqpath-vmm keeps: taken by the settled closing
 * sample, before the result line whose start ends the host tracer's
 * window, and printed after it (so its bytes stay out of the window).
 */
static void print_final_irqs(const struct irq_table *after)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < after->n; i++) {
		const char *a = after->v[i].action;
		json_int_t prev = json_integer_value(json_object_get(o, a));
		json_object_set_new(o, a, json_integer(prev + (json_int_t)after->v[i].count));
	}
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (s) {
		printf("\n%s%s\n", IRQS_TAG, s);
		fflush(stdout);
		FILE *f = fopen(IRQS_DONE_MARK, "w");
		if (f)
			fclose(f);
	}
	free(s);
	json_decref(o);
}

/*
 * /proc/interrupts before and after the irqpath-rr client; the delta (per
 * line and per CPU) goes into j; *after keeps the settled closing sample
 * (irqstat_settle.h) for the final counts. Returns rr's exit status, or -1
 * after the error line was printed (j is then freed).
 */
static int measure(const struct agent_opts *o, json_t *j, const char *rr_json,
		   struct irq_table *after)
{
	struct irq_table before, delta;
	if (irqstat_read(o->irq_file, &before) < 0)
		return -fail(j, "cannot read interrupts file: %s", strerror(errno));
	irqstat_filter(&before, o->match);

	int rc = run_rr(o, rr_json);

	unsigned waited_ms;
	bool settled;
	if (irqstat_read_settled(o->irq_file, o->match, &closing, after, &waited_ms, &settled) <
	    0) {
		irqstat_free(&before);
		return -fail(j, "cannot read interrupts file: %s", strerror(errno));
	}
	json_object_set_new(j, "closing_sample",
			    json_pack("{s:b, s:i, s:i}", "settled", settled, "waited_ms",
				      (int)waited_ms, "quiet_ms", (int)closing.quiet_ms));
	int drc = irqstat_delta(&before, after, &delta);
	irqstat_free(&before);
	if (drc < 0) {
		irqstat_free(after);
		return -fail(j, "%s", "out of memory");
	}
	json_object_set_new(j, "ncpus", json_integer(delta.ncpus));
	irqstat_to_json(&delta, j);
	irqstat_free(&delta);
	return rc;
}

int main(int argc, char **argv)
{
	struct agent_opts o = {.port = "7801",
			       .duration = "3",
			       .req = "32",
			       .resp = "1024",
			       .match = "virtio",
			       .kver = "",
			       .rr = "irqpath-rr",
			       .irq_file = "/proc/interrupts",
			       .tmp = "/tmp",
			       .streams = "1",
			       .netdev = "eth0",
			       .sysfs_net = "/sys/class/net"};
	static const struct option lo[] = {{"server", required_argument, 0, 's'},
					   {"port", required_argument, 0, 'p'},
					   {"duration", required_argument, 0, 'l'},
					   {"req", required_argument, 0, 'q'},
					   {"resp", required_argument, 0, 'r'},
					   {"match", required_argument, 0, 'm'},
					   {"kernel-version", required_argument, 0, 'k'},
					   {"rr", required_argument, 0, 'R'},
					   {"interrupts", required_argument, 0, 'i'},
					   {"tmp", required_argument, 0, 't'},
					   {"streams", required_argument, 0, 'n'},
					   {"netdev", required_argument, 0, 'N'},
					   {"sysfs-net", required_argument, 0, 'S'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "s:p:l:q:r:m:k:R:i:t:n:N:S:h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			o.server = optarg;
			break;
		case 'p':
			o.port = optarg;
			break;
		case 'l':
			o.duration = optarg;
			break;
		case 'q':
			o.req = optarg;
			break;
		case 'r':
			o.resp = optarg;
			break;
		case 'm':
			o.match = optarg;
			break;
		case 'k':
			o.kver = optarg;
			break;
		case 'R':
			o.rr = optarg;
			break;
		case 'i':
			o.irq_file = optarg;
			break;
		case 't':
			o.tmp = optarg;
			break;
		case 'n':
			o.streams = optarg;
			break;
		case 'N':
			o.netdev = optarg;
			break;
		case 'S':
			o.sysfs_net = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.server || optind < argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGINT, SIG_IGN); /* the rr child handles them and reports */
	signal(SIGTERM, SIG_IGN);

	json_t *j = start_json(&o);
	if (!j)
		return 2;
	json_object_set_new(j, "netdev", agent_netdev_json(o.sysfs_net, o.netdev));
	char rr_json[4096];
	snprintf(rr_json, sizeof(rr_json), "%s/irqpath-rr.%d.json", o.tmp, (int)getpid());
	struct irq_table after = {0};
	int rc = measure(&o, j, rr_json, &after);
	if (rc < 0)
		return 1; /* measure() printed the error line */

	json_error_t jerr;
	json_t *rr = json_load_file(rr_json, 0, &jerr);
	unlink(rr_json);
	if (rr)
		json_object_set_new(j, "rr", rr);
	if (rc != 0 || !rr)
		irqstat_free(&after); /* a failed run prints no final counts: halt_now does */
	if (rc != 0) {
		char why[64];
		snprintf(why, sizeof(why), "%d", rc);
		return fail(j, "irqpath-rr client failed (exit status %s)", why);
	}
	if (!rr)
		return fail(j, "irqpath-rr wrote no JSON: %s", jerr.text);
	emit(j);
	print_final_irqs(&after);
	irqstat_free(&after);
	return 0;
}
