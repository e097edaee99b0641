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
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "live_keys.h"
#include "output.h"
#include "proc_vm.h"
#include "report.h"
#include "tracer.h"
#include "vcpu_attr.h"

struct opts {
	int live;
	int pid;
	int vcpu;
	double interval_s, duration_s;
	const char *out, *backend, *layout_path, *device, *interrupts;
	int json_lines, emulate_insn, bpf_stats, cost_stats;
	double vm_wait_s; /* -p: how long the process may take to create its VM */
	struct live_opts lo;
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
	    "usage: irqpath-trace live   [-p PID] [-i SECS] [-d SECS] [--json-lines] [--sort KEY] "
	    "[--filter REGEX]\n"
	    "                            [--class LIST] [common options] [-- CMD ARGS...]\n"
	    "       irqpath-trace record [-p PID] [-d SECS] [-o FILE] [common options] [-- CMD "
	    "ARGS...]\n"
	    "\n"
	    "Counts KVM exits, virtio register accesses, notifies per queue, IOAPIC set_irq/EOI "
	    "per pin and\n"
	    "MSIs per vector for one VM (-p, or the command after --) or for every VM on the "
	    "host.\n"
	    "\n"
	    "  live      print every interval, per VM, exits (total and by reason), then\n"
	    "            registers, queues, vectors, EOIs, other events and per-vCPU rows, each\n"
	    "            per second, in the interval and since the start (a table, or "
	    "--json-lines)\n"
	    "  record    count until -d SECS, SIGINT/SIGTERM, or the command (or the -p process)\n"
	    "            exits; write one irqpath-trace/1 JSON snapshot atomically to -o FILE\n"
	    "            (default: stdout)\n"
	    "\n"
	    "common options:\n"
	    "  -p, --pid PID          the VMM process to trace, until it exits (default: every "
	    "VM); it must\n"
	    "                         hold a KVM VM (an anon_inode:kvm-vm fd)\n"
	    "      --vm-wait SECS     how long -p PID may take to create its VM (default 30;\n"
	    "                         0: it must hold one at start)\n"
	    "      --vcpu N           count only the events vCPU N takes (MSIs aimed at it, its "
	    "threads' exits,\n"
	    "                         IPIs it sent or received; threads are vCPUs by the layout, "
	    "their name\n"
	    "                         or their kvm_exit/kvm_eoi)\n"
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
	    "      --top N            live: rows per class (default 12)\n"
	    "      --sort KEY         live: rows in each class by rate (default), total or name\n"
	    "      --filter REGEX     live: only rows whose event matches (extended, any case)\n"
	    "      --class LIST       live: only these classes (comma-separated): exits, "
	    "registers,\n"
	    "                         queues, vectors, eois, other, vcpus\n"
	    "                         (in the table: s cycles the sort, q quits)\n"
	    "      --emulate-insn     also count kvm_emulate_insn (one event per instruction KVM\n"
	    "                         emulates: costly, never attached otherwise)\n"
	    "      --bpf-stats        bpf: report the programs' own run count and run time\n"
	    "                         (bpf_stats in the snapshot; the tracer's direct cost)\n"
	    "      --cost-stats       record: the CPU time of the tracer's reading loop and of "
	    "the command\n"
	    "                         (cost in the snapshot; what tracing costs the host)\n"
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

/* One option; 0 ok, 2 bad value, -1 help printed. */
static int parse_opt(int c, char *arg, struct opts *o)
{
	char *end;
	switch (c) {
	case 'p':
	case 'V':
	case 'T': {
		long v = strtol(arg, &end, 10);
		if (!*arg || *end || v < (c == 'V' ? 0 : 1) || v > 0x7fffffff) {
			fprintf(stderr, "irqpath-trace: bad number '%s'\n", arg);
			return 2;
		}
		if (c == 'p')
			o->pid = (int)v;
		else if (c == 'V')
			o->vcpu = (int)v;
		else
			o->lo.top = (int)v;
		break;
	}
	case 'i':
	case 'd':
	case 'W': {
		double v;
		if (parse_double(arg, &v) || (c == 'i' && v < 0.05)) {
			fprintf(stderr, "irqpath-trace: bad number of seconds '%s'\n", arg);
			return 2;
		}
		if (c == 'i')
			o->interval_s = v;
		else if (c == 'd')
			o->duration_s = v;
		else
			o->vm_wait_s = v;
		break;
	}
	case 's':
	case 'F':
	case 'C': {
		char err[256];
		if ((c == 's'	? live_parse_sort
		     : c == 'F' ? live_parse_filter
				: live_parse_classes)(&o->lo, arg, err, sizeof err)) {
			fprintf(stderr, "irqpath-trace: %s\n", err);
			return 2;
		}
		break;
	}
	case 'o':
		o->out = arg;
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
	case 'K':
		o->cost_stats = 1;
		break;
	case 'B':
		if (strcmp(arg, "bpf") && strcmp(arg, "tracefs") && strcmp(arg, "auto")) {
			fprintf(stderr,
				"irqpath-trace: unknown backend '%s' (bpf, tracefs or auto)\n",
				arg);
			return 2;
		}
		o->backend = arg;
		break;
	case 'L':
		o->layout_path = arg;
		break;
	case 'D':
		o->device = arg;
		break;
	case 'I':
		o->interrupts = arg;
		break;
	case 'h':
		usage(stdout);
		return -1;
	default:
		usage(stderr);
		return 2;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {{"pid", 1, 0, 'p'},	      {"interval", 1, 0, 'i'},
					   {"duration", 1, 0, 'd'},   {"output", 1, 0, 'o'},
					   {"json-lines", 0, 0, 'J'}, {"backend", 1, 0, 'B'},
					   {"layout", 1, 0, 'L'},     {"device", 1, 0, 'D'},
					   {"vcpu", 1, 0, 'V'},	      {"interrupts", 1, 0, 'I'},
					   {"top", 1, 0, 'T'},	      {"emulate-insn", 0, 0, 'E'},
					   {"bpf-stats", 0, 0, 'S'},  {"help", 0, 0, 'h'},
					   {"sort", 1, 0, 's'},	      {"filter", 1, 0, 'F'},
					   {"class", 1, 0, 'C'},      {"vm-wait", 1, 0, 'W'},
					   {"cost-stats", 0, 0, 'K'}, {0, 0, 0, 0}};
	memset(o, 0, sizeof *o);
	o->vcpu = -1;
	o->interval_s = 1.0;
	o->backend = "auto";
	o->lo.top = 12;
	o->vm_wait_s = 30;
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
	while ((c = getopt_long(argc, argv, "+p:i:d:o:h", lo, NULL)) != -1) {
		int rc = parse_opt(c, optarg, o);
		if (rc)
			return rc;
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
	if ((o->json_lines || o->lo.have_filter || o->lo.classes) && !o->live) {
		fprintf(stderr, "irqpath-trace: %s is for live mode\n",
			o->json_lines	    ? "--json-lines"
			: o->lo.have_filter ? "--filter"
					    : "--class");
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

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + tv.tv_usec * 1e-6;
}

static double self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
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

static void live_emit(const struct opts *o, const struct counts *delta, const struct counts *cur,
		      struct report_ctx *rc, double dt, unsigned seq)
{
	if (o->json_lines) {
		json_t *line = live_json(delta, cur, rc, dt, seq, &o->lo);
		char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
		if (s)
			printf("%s\n", s);
		else
			fprintf(stderr, "irqpath-trace: out of memory building a live line\n");
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
		live_table(stdout, delta, cur, rc, dt, &o->lo);
		printf("\n");
	}
	fflush(stdout);
}

/* One run of the tool: what main's phases share. */
struct run {
	struct opts o;
	struct layout layout;
	struct exit_names names;
	struct tracer t;
	struct counts cur, prev, delta;
	struct report_ctx rctx;
	int gate;		     /* releases the command once attached; -1 none */
	int vm_pending;		     /* -p: the process holds no VM yet */
	int keys;		     /* live table: keys read from the terminal */
	struct rusage child_ru;	     /* the command's CPU time, once it has been waited for */
	double loop_cpu0, loop_cpu1; /* the tracer's CPU time at the loop's start and end */
	double last_dt;		     /* the last live interval's length */
	int child_status;
	double t0, t1, last;
	unsigned seq;
};

/* Names the vCPU threads while they are alive (record reads the counters
 * only at the end, when a command's threads are gone): the traced
 * process's threads every poll, every VM's threads seen in the counters
 * about every second. 0 ok. */
static int learn_vcpus(struct run *r)
{
	static unsigned polls;
	if (r->o.pid) {
		vcpu_learn_tasks(&r->t, &r->layout, (uint32_t)r->o.pid);
		return 0;
	}
	if (polls++ % 10)
		return 0;
	struct counts scratch;
	counts_init(&scratch);
	int rc = r->t.read(&r->t, &scratch);
	if (!rc)
		vcpu_learn_comm(&r->t, &r->layout, &scratch);
	counts_free(&scratch);
	if (rc)
		fprintf(stderr, "irqpath-trace: reading counters failed\n");
	return rc;
}

/* -p: the process must hold a KVM VM. One that does not yet may create it
 * within --vm-wait (a VMM started just before its tracer); trace_loop
 * checks again. 0 ok, -1 error printed. */
static int check_vm(struct run *r)
{
	char comm[64];
	enum proc_vm st = proc_vm_state(r->o.pid);
	if (st == PROC_VM_YES)
		return 0;
	if (st == PROC_VM_UNKNOWN) {
		fprintf(stderr,
			"irqpath-trace: cannot read /proc/%d/fd to check that it holds a VM\n",
			r->o.pid);
		return 0;
	}
	if (st == PROC_VM_GONE) {
		fprintf(stderr, "irqpath-trace: no process with pid %d\n", r->o.pid);
		return -1;
	}
	if (r->o.vm_wait_s <= 0) {
		fprintf(
		    stderr,
		    "irqpath-trace: process %d (%s) holds no KVM VM (no anon_inode:kvm-vm among "
		    "/proc/%d/fd): give the VMM's pid\n",
		    r->o.pid, proc_comm(r->o.pid, comm, sizeof comm), r->o.pid);
		return -1;
	}
	fprintf(stderr,
		"irqpath-trace: process %d (%s) holds no KVM VM yet; waiting up to %g s for it to "
		"create one (--vm-wait)\n",
		r->o.pid, proc_comm(r->o.pid, comm, sizeof comm), r->o.vm_wait_s);
	r->vm_pending = 1;
	return 0;
}

/* Still no VM after --vm-wait (or the process ended without one): the
 * error. 1 when that is the case. */
static int vm_missing(struct run *r, double elapsed, int at_end)
{
	if (!r->vm_pending)
		return 0;
	char comm[64];
	enum proc_vm st = proc_vm_state(r->o.pid);
	if (st == PROC_VM_YES || st == PROC_VM_UNKNOWN) {
		r->vm_pending = 0;
		return 0;
	}
	if (!at_end && elapsed < r->o.vm_wait_s && st != PROC_VM_GONE)
		return 0;
	fprintf(stderr,
		"irqpath-trace: process %d (%s) holds no KVM VM (no anon_inode:kvm-vm among "
		"/proc/%d/fd %s): give the VMM's pid\n",
		r->o.pid, proc_comm(r->o.pid, comm, sizeof comm), r->o.pid,
		st == PROC_VM_GONE ? "before it exited" : "within --vm-wait");
	return 1;
}

/* Layout, the pid to trace, signals, the command (held until attached).
 * Returns an exit status, or -1 to go on. */
static int prepare(struct run *r)
{
	struct opts *o = &r->o;
	layout_init(&r->layout);
	if (load_layout(&r->layout, o, 0))
		return 2;
	if (!o->pid && !o->cmd && r->layout.have && r->layout.pid)
		o->pid = r->layout.pid;
	if (o->pid && kill(o->pid, 0) && errno == ESRCH) {
		fprintf(stderr, "irqpath-trace: no process with pid %d\n", o->pid);
		return 2;
	}
	if (o->pid && !o->cmd && check_vm(r))
		return 2;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	r->gate = -1;
	if (o->cmd) {
		r->gate = start_command(o->cmd, &child_pid);
		if (r->gate < 0) {
			fprintf(stderr, "irqpath-trace: cannot start %s: %s\n", o->cmd[0],
				strerror(errno));
			return 1;
		}
		o->pid = child_pid;
	}
	return -1;
}

/* Opens the backend and the kernel's exit-reason table, then releases the
 * command. 0 ok. */
static int attach(struct run *r)
{
	char err[512];
	memset(&r->t, 0, sizeof r->t);
	r->t.pid = r->o.pid;
	r->t.emulate_insn = r->o.emulate_insn;
	r->t.bpf_stats = r->o.bpf_stats;
	if (open_tracer(&r->t, r->o.backend, err, sizeof err)) {
		fprintf(stderr, "irqpath-trace: %s\n", err);
		if (r->gate >= 0) {
			close(r->gate); /* the child exits without running the command */
			waitpid(child_pid, NULL, 0);
		}
		return -1;
	}
	r->t.pid = r->o.pid;
	exit_names_init(&r->names);
	const char *tracefs = tracer_tracefs_dir(err, sizeof err);
	/* no kvm_exit event (format) here: exits are derived, nothing to name */
	if (tracefs && tracer_event_exists(tracefs, "kvm_exit") &&
	    exit_names_load(&r->names, tracefs, err, sizeof err))
		fprintf(stderr, "irqpath-trace: exit reasons will show as numbers: %s\n", err);
	fprintf(stderr, "irqpath-trace: attached (%s backend), tracing %s%.0d\n", r->t.backend,
		r->o.pid ? "pid " : "every VM", r->o.pid);
	if (r->gate >= 0) {
		if (write(r->gate, "g", 1) != 1)
			fprintf(stderr, "irqpath-trace: cannot release the command\n");
		close(r->gate);
	}
	return 0;
}

/* Polls until a stop condition; live lines on the way. 0 ok, -1 failed,
 * 2 the -p process holds no VM. */
static int trace_loop(struct run *r)
{
	struct tracer *t = &r->t;
	int status;
	r->t0 = r->last = now();
	r->loop_cpu0 = self_cpu_s();
	while (!stop_signal) {
		struct timespec ts = {0, (long)t->poll_ms * 1000 * 1000};
		if (r->keys ? live_keys_wait(&r->o.lo, &ts) : nanosleep(&ts, NULL)) {
			if (r->keys && live_keys_quit()) {
				stop_signal = SIGINT; /* q ends the run as Ctrl-C does */
				break;
			}
			if (r->keys && r->seq) /* a new sort: redraw the last interval now */
				live_emit(&r->o, &r->delta, &r->cur, &r->rctx, r->last_dt, r->seq);
		}
		if (vm_missing(r, now() - r->t0, 0))
			return 2;
		if (t->poll(t)) {
			fprintf(stderr, "irqpath-trace: reading events failed\n");
			return -1;
		}
		if (learn_vcpus(r))
			return -1;
		if (child_pid > 0 &&
		    wait4(child_pid, &status, WNOHANG, &r->child_ru) == child_pid) {
			r->child_status = status;
			child_pid = 0;
			break;
		}
		if (!r->o.cmd && r->o.pid && process_gone(r->o.pid))
			return vm_missing(r, 0, 1) ? 2 : 0; /* -p: the VM is gone */
		double n = now();
		if (r->o.duration_s > 0 && n - r->t0 >= r->o.duration_s)
			break;
		if (r->o.live && n - r->last >= r->o.interval_s) {
			if (t->read(t, &r->cur) || counts_diff(&r->delta, &r->cur, &r->prev) ||
			    counts_copy(&r->prev, &r->cur)) {
				fprintf(stderr, "irqpath-trace: reading counters failed\n");
				return -1;
			}
			if (!r->layout.have)
				load_layout(&r->layout, &r->o, 0);
			r->last_dt = n - r->last;
			live_emit(&r->o, &r->delta, &r->cur, &r->rctx, r->last_dt, ++r->seq);
			r->last = n;
		}
	}
	return vm_missing(r, 0, 1) ? 2 : 0;
}

static json_t *command_json(char **cmd, int st)
{
	json_t *c = json_object(), *argv_j = json_array();
	for (char **a = cmd; *a; a++)
		json_array_append_new(argv_j, json_string(*a));
	json_object_set_new(c, "argv", argv_j);
	json_object_set_new(c, "exit_status",
			    WIFEXITED(st) ? json_integer(WEXITSTATUS(st)) : json_null());
	json_object_set_new(c, "signal",
			    WIFSIGNALED(st) ? json_integer(WTERMSIG(st)) : json_null());
	return c;
}

/* --cost-stats: what reading the events cost (the tracer's CPU time from
 * attach to the last read, set-up excluded) and the command's CPU time. */
static json_t *cost_json(const struct run *r)
{
	json_t *c = json_object();
	json_object_set_new(c, "tracer_loop_cpu_s", json_real(r->loop_cpu1 - r->loop_cpu0));
	if (r->o.cmd) {
		json_object_set_new(c, "command_user_s", json_real(tv_s(r->child_ru.ru_utime)));
		json_object_set_new(c, "command_sys_s", json_real(tv_s(r->child_ru.ru_stime)));
	}
	return c;
}

/* record: the snapshot, written atomically, and the summary. 0 ok. */
static int write_record(struct run *r)
{
	char err[512];
	const struct opts *o = &r->o;
	if (!r->layout.have && load_layout(&r->layout, o, 1))
		fprintf(stderr, "irqpath-trace: writing the snapshot without register names\n");
	r->rctx.duration_s = r->t1 - r->t0;
	if (o->interrupts) {
		uint64_t by_vec[256] = {0};
		counts_for_each(&r->cur, e) if (e->key.event == IRQT_EV_MSI &&
						e->key.detail < 256 &&
						(!o->pid || e->key.pid == (uint32_t)o->pid))
		    by_vec[e->key.detail] += e->value;
		if (layout_vectors_from_interrupts(&r->layout, o->interrupts, by_vec, err,
						   sizeof err))
			fprintf(stderr, "irqpath-trace: %s\n", err);
	}
	json_t *snap = report_snapshot(&r->cur, &r->rctx, (uint32_t)o->pid);
	if (!snap) {
		fprintf(stderr, "irqpath-trace: out of memory building the snapshot\n");
		return -1;
	}
	if (o->bpf_stats && r->t.bpf_run_cnt) {
		json_t *b = json_object();
		json_object_set_new(b, "run_count", json_integer((json_int_t)r->t.bpf_run_cnt));
		json_object_set_new(b, "run_time_ns", json_integer((json_int_t)r->t.bpf_run_ns));
		json_object_set_new(b, "ns_per_run",
				    json_real((double)r->t.bpf_run_ns / (double)r->t.bpf_run_cnt));
		json_object_set_new(snap, "bpf_stats", b);
	}
	if (o->cmd)
		json_object_set_new(snap, "command", command_json(o->cmd, r->child_status));
	if (o->cost_stats)
		json_object_set_new(snap, "cost", cost_json(r));
	int rc = 0;
	if (output_json(snap, o->out, err, sizeof err)) {
		fprintf(stderr, "irqpath-trace: %s\n", err);
		rc = -1;
	} else if (o->out)
		report_summary(stderr, snap);
	json_decref(snap);
	return rc;
}

/* After the loop: stop the command, read the last counts, emit. */
static int finish(struct run *r, int failed)
{
	int status;
	r->t1 = now();
	if (child_pid > 0) { /* stopped by signal or -d: end the command too */
		kill(child_pid, SIGTERM);
		wait4(child_pid, &status, 0, &r->child_ru);
		r->child_status = status;
	}
	if (!failed && r->t.read(&r->t, &r->cur)) {
		fprintf(stderr, "irqpath-trace: reading counters failed\n");
		failed = 1;
	}
	r->loop_cpu1 = self_cpu_s();
	if (!failed && r->o.live && r->t1 - r->last > 0.05 &&
	    !counts_diff(&r->delta, &r->cur, &r->prev))
		live_emit(&r->o, &r->delta, &r->cur, &r->rctx, r->t1 - r->last, ++r->seq);
	if (!failed && !r->o.live && write_record(r))
		failed = 1;
	return failed;
}

/* The tool's exit status: 1 when tracing or the traced command failed. */
static int exit_status(const struct run *r, int failed)
{
	int st = r->child_status;
	if (failed)
		return 1;
	if (r->o.cmd && st != -1 && !stop_signal && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		fprintf(stderr, "irqpath-trace: command %s failed (%s %d)\n", r->o.cmd[0],
			WIFEXITED(st) ? "exit status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct run r; /* large (layout, tracer): not on the stack */
	int rc = parse_args(argc, argv, &r.o);
	if (rc)
		return rc < 0 ? 0 : rc;
	r.child_status = -1;
	rc = prepare(&r);
	if (rc >= 0)
		return rc;
	if (attach(&r))
		return 1;
	counts_init(&r.cur);
	counts_init(&r.prev);
	counts_init(&r.delta);
	r.rctx = (struct report_ctx){
	    .tracer = &r.t, .layout = &r.layout, .names = &r.names, .vcpu_filter = r.o.vcpu};
	if (r.o.live && !r.o.json_lines)
		r.keys = live_keys_start();
	int loop = trace_loop(&r);
	int failed = finish(&r, loop ? 1 : 0);
	live_keys_stop();
	r.t.close(&r.t);
	exit_names_free(&r.names);
	counts_free(&r.cur);
	counts_free(&r.prev);
	counts_free(&r.delta);
	live_opts_free(&r.o.lo);
	return loop == 2 ? 2 : exit_status(&r, failed);
}
