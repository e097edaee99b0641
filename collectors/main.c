/* SPDX-License-Identifier: MIT */
/*
 * irqpath-trace: counts what each virtio transaction of a KVM guest costs
 * on the host (exits by cause, virtio registers, notifies per queue, IOAPIC
 * set_irq/EOI per pin, MSIs per vector) from the kvm tracepoints.
 * Exit codes: 0 ok, 1 runtime failure, 2 usage / bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "report.h"
#include "tracer.h"

struct opts {
	int live;
	int pid;
	int vcpu;
	double interval_s, duration_s;
	const char *out, *backend, *layout_path, *device, *interrupts;
	int json_lines, top, emulate_insn, bpf_stats;
	char **cmd;
};

static volatile sig_atomic_t stop_signal;
static pid_t child_pid;

static void on_signal(int sig)
{
	stop_signal = sig;
	if (child_pid > 0 && sig == SIGTERM)
		kill(child_pid, SIGTERM);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: irqpath-trace live   [-p PID] [-i SECS] [-d SECS] [--json-lines] [common "
	    "options] [-- CMD ARGS...]\n"
	    "       irqpath-trace record [-p PID] [-d SECS] [-o FILE] [common options] [-- CMD "
	    "ARGS...]\n"
	    "\n"
	    "Counts KVM exits, virtio register accesses, notifies per queue, IOAPIC set_irq/EOI "
	    "per pin and\n"
	    "MSIs per vector for one VM (-p, or the command after --) or for every VM on the "
	    "host.\n"
	    "\n"
	    "  live      print the top events per second every interval (a table, or "
	    "--json-lines)\n"
	    "  record    count until -d SECS, SIGINT/SIGTERM, or the command (or the -p process)\n"
	    "            exits; write one irqpath-trace/1 JSON snapshot atomically to -o FILE\n"
	    "            (default: stdout)\n"
	    "\n"
	    "common options:\n"
	    "  -p, --pid PID          the VMM process to trace, until it exits (default: every "
	    "VM)\n"
	    "      --vcpu N           count only events of vCPU N (threads are mapped to vCPUs "
	    "from kvm_eoi/kvm_exit)\n"
	    "  -i, --interval SECS    live refresh interval (default 1)\n"
	    "  -d, --duration SECS    stop after SECS\n"
	    "  -o, --output FILE      record: where to write the snapshot\n"
	    "      --json-lines       live: one JSON object (irqpath-trace-live/1) per interval on "
	    "stdout\n"
	    "      --backend B        bpf, tracefs or auto (default auto: bpf, else tracefs)\n"
	    "      --layout FILE      decode with irqpath-vmm's irqpath-layout/1 file (read again "
	    "at the end if it\n"
	    "                         does not exist yet); its pid is used when -p is not given\n"
	    "      --device SPEC      decode with a built-in layout: mmio-legacy@0xADDR, "
	    "mmio-v3@0xADDR, pci@0xBAR\n"
	    "      --interrupts FILE  name MSI vectors after the guest's /proc/interrupts text "
	    "(matched by count)\n"
	    "      --top N            live: rows per VM (default 12)\n"
	    "      --emulate-insn     also count kvm_emulate_insn (one event per instruction KVM\n"
	    "                         emulates: costly, never attached otherwise)\n"
	    "      --bpf-stats        bpf: report the programs' own run count and run time\n"
	    "                         (bpf_stats in the snapshot; the tracer's direct cost)\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "exit status: 0 ok, 1 runtime failure (tracing failed, the command failed), 2 usage or "
	    "bad input\n"
	    "environment: IRQPATH_BTF (kernel BTF path), IRQPATH_TRACEFS (tracefs path), "
	    "IRQPATH_TRACE_DEBUG=1\n");
}

static int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
	    {"pid", 1, 0, 'p'},	       {"interval", 1, 0, 'i'},	  {"duration", 1, 0, 'd'},
	    {"output", 1, 0, 'o'},     {"json-lines", 0, 0, 'J'}, {"backend", 1, 0, 'B'},
	    {"layout", 1, 0, 'L'},     {"device", 1, 0, 'D'},	  {"vcpu", 1, 0, 'V'},
	    {"interrupts", 1, 0, 'I'}, {"top", 1, 0, 'T'},	  {"emulate-insn", 0, 0, 'E'},
	    {"bpf-stats", 0, 0, 'S'},  {"help", 0, 0, 'h'},	  {0, 0, 0, 0}};
	memset(o, 0, sizeof *o);
	o->vcpu = -1;
	o->interval_s = 1.0;
	o->backend = "auto";
	o->top = 12;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return -1;
	}
	if (!strcmp(argv[1], "live"))
		o->live = 1;
	else if (strcmp(argv[1], "record")) {
		fprintf(stderr, "irqpath-trace: unknown mode '%s' (live or record)\n", argv[1]);
		return 2;
	}
	optind = 2;
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "+p:i:d:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'V':
		case 'T': {
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < (c == 'V' ? 0 : 1) || v > 0x7fffffff) {
				fprintf(stderr, "irqpath-trace: bad number '%s'\n", optarg);
				return 2;
			}
			if (c == 'p')
				o->pid = (int)v;
			else if (c == 'V')
				o->vcpu = (int)v;
			else
				o->top = (int)v;
			break;
		}
		case 'i':
		case 'd': {
			double v;
			if (parse_double(optarg, &v) || (c == 'i' && v < 0.05)) {
				fprintf(stderr, "irqpath-trace: bad number of seconds '%s'\n",
					optarg);
				return 2;
			}
			if (c == 'i')
				o->interval_s = v;
			else
				o->duration_s = v;
			break;
		}
		case 'o':
			o->out = optarg;
			break;
		case 'J':
			o->json_lines = 1;
			break;
		case 'E':
			o->emulate_insn = 1;
			break;
		case 'S':
			o->bpf_stats = 1;
			break;
		case 'B':
			if (strcmp(optarg, "bpf") && strcmp(optarg, "tracefs") &&
			    strcmp(optarg, "auto")) {
				fprintf(
				    stderr,
				    "irqpath-trace: unknown backend '%s' (bpf, tracefs or auto)\n",
				    optarg);
				return 2;
			}
			o->backend = optarg;
			break;
		case 'L':
			o->layout_path = optarg;
			break;
		case 'D':
			o->device = optarg;
			break;
		case 'I':
			o->interrupts = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--")) {
			fprintf(
			    stderr,
			    "irqpath-trace: unexpected argument '%s' (a command goes after --)\n",
			    argv[optind]);
			return 2;
		}
		o->cmd = &argv[optind];
	}
	if (o->cmd && o->pid) {
		fprintf(stderr, "irqpath-trace: give either -p PID or -- CMD, not both\n");
		return 2;
	}
	if (o->layout_path && o->device) {
		fprintf(stderr, "irqpath-trace: give either --layout or --device, not both\n");
		return 2;
	}
	if (o->json_lines && !o->live) {
		fprintf(stderr, "irqpath-trace: --json-lines is for live mode\n");
		return 2;
	}
	return 0;
}

/* The traced process has exited (zombies count as exited). */
static int process_gone(int pid)
{
	char path[64], buf[256];
	if (kill(pid, 0) && errno == ESRCH)
		return 1;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may hold spaces */
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Forks CMD held on a pipe until the tracer is attached; returns the pipe
 * fd to release it, -1 on failure. */
static int start_command(char **cmd, pid_t *pid)
{
	int gate[2];
	if (pipe(gate))
		return -1;
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		char go;
		pid_t parent = getppid();
		close(gate[1]);
		/* the command must not outlive a tracer that is SIGKILLed */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		if (read(gate[0], &go, 1) != 1)
			_exit(127); /* the tracer failed to start */
		close(gate[0]);
		execvp(cmd[0], cmd);
		fprintf(stderr, "irqpath-trace: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	return gate[1];
}

static int open_tracer(struct tracer *t, const char *backend, char *err, size_t errlen)
{
	if (!strcmp(backend, "tracefs"))
		return tracer_open_tracefs(t, err, errlen);
	if (!tracer_open_bpf(t, err, errlen))
		return 0;
	if (!strcmp(backend, "bpf"))
		return -1;
	fprintf(stderr, "irqpath-trace: BPF backend unavailable (%s); using tracefs\n", err);
	struct tracer opts = *t; /* the failed backend may have noted missing events */
	memset(t, 0, sizeof *t);
	t->pid = opts.pid;
	t->emulate_insn = opts.emulate_insn;
	return tracer_open_tracefs(t, err, errlen);
}

static int load_layout(struct layout *l, const struct opts *o, int final)
{
	char err[512];
	if (o->device) {
		if (layout_from_device(l, o->device, err, sizeof err)) {
			fprintf(stderr, "irqpath-trace: %s\n", err);
			return -1;
		}
	} else if (o->layout_path && !l->have) {
		/* the VMM writes it once the driver is up; a command's pid comes first */
		if ((access(o->layout_path, F_OK) || (o->cmd && !o->pid)) && !final)
			return 0;
		int rc = layout_from_file_for(l, o->layout_path, o->pid, err, sizeof err);
		if (rc == LAYOUT_OTHER_PID && !final)
			return 0; /* an earlier run's file, until the VMM rewrites it */
		if (rc) {
			fprintf(stderr, "irqpath-trace: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static void live_emit(const struct opts *o, const struct counts *delta, struct report_ctx *rc,
		      double dt, unsigned seq)
{
	if (o->json_lines) {
		json_t *line = json_object();
		json_t *vms = json_array();
		uint32_t pids[64];
		int n = report_pids(delta, pids, 64);
		json_object_set_new(line, "schema", json_string("irqpath-trace-live/1"));
		json_object_set_new(line, "seq", json_integer(seq));
		json_object_set_new(line, "interval_s", json_real(dt));
		json_object_set_new(line, "backend", json_string(rc->tracer->backend));
		json_object_set_new(line, "lost_events",
				    json_integer((json_int_t)rc->tracer->lost));
		json_t *miss = json_array();
		for (int i = 0; i < rc->tracer->nmissing; i++)
			json_array_append_new(miss, json_string(rc->tracer->missing[i]));
		json_object_set_new(line, "missing_tracepoints", miss);
		for (int i = 0; i < n; i++) {
			json_t *vm = json_object(), *rates = json_object();
			json_t *tot = report_totals(delta, rc, pids[i], 0, 0);
			const char *k;
			json_t *v;
			json_object_foreach(tot, k, v) json_object_set_new(
			    rates, k, json_real((double)json_integer_value(v) / dt));
			json_object_set_new(vm, "pid", json_integer(pids[i]));
			json_object_set_new(vm, "counts", tot);
			json_object_set_new(vm, "per_second", rates);
			json_array_append_new(vms, vm);
		}
		json_object_set_new(line, "vms", vms);
		char *s = json_dumps(line, JSON_COMPACT);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(line);
	} else {
		if (isatty(STDOUT_FILENO))
			printf("\033[H\033[2J");
		printf("irqpath-trace live (%s backend, %.1f s interval, lost events %llu)\n",
		       rc->tracer->backend, dt, (unsigned long long)rc->tracer->lost);
		for (int i = 0; i < rc->tracer->nmissing; i++)
			printf("%s%s%s", i ? ", " : "missing tracepoints: ", rc->tracer->missing[i],
			       i + 1 == rc->tracer->nmissing ? "\n" : "");
		report_live_table(stdout, delta, rc, dt, o->top);
		printf("\n");
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;

	struct layout layout;
	layout_init(&layout);
	if (load_layout(&layout, &o, 0))
		return 2;
	if (!o.pid && !o.cmd && layout.have && layout.pid)
		o.pid = layout.pid;
	if (o.pid && kill(o.pid, 0) && errno == ESRCH) {
		fprintf(stderr, "irqpath-trace: no process with pid %d\n", o.pid);
		return 2;
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	int gate = -1;
	if (o.cmd) {
		gate = start_command(o.cmd, &child_pid);
		if (gate < 0) {
			fprintf(stderr, "irqpath-trace: cannot start %s: %s\n", o.cmd[0],
				strerror(errno));
			return 1;
		}
		o.pid = child_pid;
	}

	struct tracer t;
	char err[512];
	memset(&t, 0, sizeof t);
	t.pid = o.pid;
	t.emulate_insn = o.emulate_insn;
	t.bpf_stats = o.bpf_stats;
	if (open_tracer(&t, o.backend, err, sizeof err)) {
		fprintf(stderr, "irqpath-trace: %s\n", err);
		if (gate >= 0) {
			close(gate); /* the child exits without running the command */
			waitpid(child_pid, NULL, 0);
		}
		return 1;
	}
	t.pid = o.pid;
	fprintf(stderr, "irqpath-trace: attached (%s backend), tracing %s%.0d\n", t.backend,
		o.pid ? "pid " : "every VM", o.pid);
	if (gate >= 0) {
		if (write(gate, "g", 1) != 1)
			fprintf(stderr, "irqpath-trace: cannot release the command\n");
		close(gate);
	}

	struct counts cur, prev, delta;
	counts_init(&cur);
	counts_init(&prev);
	counts_init(&delta);
	struct report_ctx rctx = {.tracer = &t, .layout = &layout, .vcpu_filter = o.vcpu};
	double t0 = now(), last = t0;
	unsigned seq = 0;
	int status = 0, child_status = -1, failed = 0;

	while (!stop_signal) {
		/* tracefs drains its ring buffer here: poll it more often */
		struct timespec ts = {0, (strcmp(t.backend, "tracefs") ? 100 : 25) * 1000 * 1000};
		nanosleep(&ts, NULL);
		if (t.poll(&t)) {
			fprintf(stderr, "irqpath-trace: reading events failed\n");
			failed = 1;
			break;
		}
		if (child_pid > 0 && waitpid(child_pid, &status, WNOHANG) == child_pid) {
			child_status = status;
			child_pid = 0;
			break;
		}
		if (!o.cmd && o.pid && process_gone(o.pid))
			break; /* -p: the VM is gone */
		double n = now();
		if (o.duration_s > 0 && n - t0 >= o.duration_s)
			break;
		if (o.live && n - last >= o.interval_s) {
			if (t.read(&t, &cur) || counts_diff(&delta, &cur, &prev) ||
			    counts_copy(&prev, &cur)) {
				fprintf(stderr, "irqpath-trace: reading counters failed\n");
				failed = 1;
				break;
			}
			if (!layout.have)
				load_layout(&layout, &o, 0);
			live_emit(&o, &delta, &rctx, n - last, ++seq);
			last = n;
		}
	}
	double t1 = now();
	if (child_pid > 0) { /* stopped by signal or -d: end the command too */
		kill(child_pid, SIGTERM);
		waitpid(child_pid, &status, 0);
		child_status = status;
	}
	if (!failed && t.read(&t, &cur)) {
		fprintf(stderr, "irqpath-trace: reading counters failed\n");
		failed = 1;
	}
	if (!failed && o.live && t1 - last > 0.05 && !counts_diff(&delta, &cur, &prev))
		live_emit(&o, &delta, &rctx, t1 - last, ++seq);
	if (!failed && !o.live) {
		if (!layout.have && load_layout(&layout, &o, 1))
			fprintf(stderr,
				"irqpath-trace: writing the snapshot without register names\n");
		rctx.duration_s = t1 - t0;
		if (o.interrupts) {
			uint64_t by_vec[256] = {0};
			counts_for_each(&cur, e) if (e->key.event == IRQT_EV_MSI &&
						     e->key.detail < 256 &&
						     (!o.pid || e->key.pid == (uint32_t)o.pid))
			    by_vec[e->key.detail] += e->value;
			if (layout_vectors_from_interrupts(&layout, o.interrupts, by_vec, err,
							   sizeof err))
				fprintf(stderr, "irqpath-trace: %s\n", err);
		}
		json_t *snap = report_snapshot(&cur, &rctx, (uint32_t)o.pid);
		if (o.bpf_stats && t.bpf_run_cnt) {
			json_t *b = json_object();
			json_object_set_new(b, "run_count",
					    json_integer((json_int_t)t.bpf_run_cnt));
			json_object_set_new(b, "run_time_ns",
					    json_integer((json_int_t)t.bpf_run_ns));
			json_object_set_new(
			    b, "ns_per_run",
			    json_real((double)t.bpf_run_ns / (double)t.bpf_run_cnt));
			json_object_set_new(snap, "bpf_stats", b);
		}
		if (o.cmd) {
			json_t *c = json_object(), *argv_j = json_array();
			for (char **a = o.cmd; *a; a++)
				json_array_append_new(argv_j, json_string(*a));
			json_object_set_new(c, "argv", argv_j);
			json_object_set_new(c, "exit_status",
					    WIFEXITED(child_status)
						? json_integer(WEXITSTATUS(child_status))
						: json_null());
			json_object_set_new(c, "signal",
					    WIFSIGNALED(child_status)
						? json_integer(WTERMSIG(child_status))
						: json_null());
			json_object_set_new(snap, "command", c);
		}
		if (output_json(snap, o.out, err, sizeof err)) {
			fprintf(stderr, "irqpath-trace: %s\n", err);
			failed = 1;
		} else if (o.out)
			report_summary(stderr, snap);
		json_decref(snap);
	}
	t.close(&t);
	counts_free(&cur);
	counts_free(&prev);
	counts_free(&delta);
	if (failed)
		return 1;
	if (o.cmd && child_status != -1 && !stop_signal &&
	    !(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0)) {
		fprintf(stderr, "irqpath-trace: command %s failed (%s %d)\n", o.cmd[0],
			WIFEXITED(child_status) ? "exit status" : "signal",
			WIFEXITED(child_status) ? WEXITSTATUS(child_status)
						: WTERMSIG(child_status));
		return 1;
	}
	return 0;
}
