// SPDX-License-Identifier: MIT
/*
 * The run: namespace + tap + reflector, QEMU paused under our own pid,
 * QMP `cont` (after SIGUSR1 with --hold), the debugcon lines as they come
 * (timestamped: the loop's wall time is from the "run" to the "end" line),
 * QEMU's own time limit, and clean-up on every path. Signals arrive through
 * a signalfd so none interrupts a half-done step.
 */
#include "micro_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "irqpath/atomic_json.h"
#include "mg_net.h"
#include "mg_proc.h"
#include "mg_result.h"

struct run {
	struct mg_opts *o;
	struct mg_net net;
	struct mg_outcome out;
	struct mg_stream stream;
	char dir[64], qmp[96], console[96], ram[96];
	char *argv[MG_ARGV_MAX];
	char store[2048];
	int sigfd, qout, qmp_fd, held, interrupted, qemu_done, stopping;
	double deadline;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_error(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct run *r, const char *fmt, ...)
{
	if (r->out.error[0])
		return; /* the first cause is the one to report */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->out.error, sizeof r->out.error, fmt, ap);
	va_end(ap);
}

static int write_text(const char *path, const char *text)
{
	if (irqpath_write_atomic(path, text, strlen(text), NULL)) {
		fprintf(stderr, "irqpath-qemu-micro: writing %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int start_qemu(struct run *r)
{
	struct mg_qemu_cfg *c = &r->o->cfg;
	c->tap = r->net.tap;
	c->qmp_sock = r->qmp;
	c->console = r->console;
	c->ram_path = r->ram;
	mg_qemu_argv(c, r->argv, r->store, sizeof r->store);
	r->out.qemu_argv = r->argv;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC)) {
		set_error(r, "pipe: %s", strerror(errno));
		return -1;
	}
	r->out.t_start = now_s();
	r->out.qemu_pid = mg_spawn(r->argv, r->net.netns_fd, -1, pfd[1], -1);
	close(pfd[1]);
	r->qout = pfd[0];
	if (r->out.qemu_pid < 0) {
		set_error(r, "cannot start %s: %s", c->qemu, strerror(errno));
		return -1;
	}
	fprintf(stderr, "irqpath-qemu-micro: qemu pid %d\n", (int)r->out.qemu_pid);
	if (r->o->pid_file) {
		char buf[32];
		snprintf(buf, sizeof buf, "%d\n", (int)r->out.qemu_pid);
		if (write_text(r->o->pid_file, buf)) {
			set_error(r, "cannot write the pid file %s", r->o->pid_file);
			return -1;
		}
	}
	return 0;
}

static void stop_qemu(struct run *r)
{
	if (r->out.qemu_pid > 0 && !r->qemu_done) {
		r->out.qemu_wait_status = mg_stop(r->out.qemu_pid, 2000);
		r->qemu_done = 1;
	}
}

static int resume(struct run *r)
{
	char err[256] = "";
	if (mg_qmp_cont(r->qmp_fd, err, sizeof err)) {
		set_error(r, "%s", err);
		return -1;
	}
	r->held = 0;
	/* Known only once the vCPU exists; latencies are reported without it if need be. */
	r->out.tsc_khz = mg_qmp_tsc_khz(r->qmp_fd, err, sizeof err);
	if (!r->out.tsc_khz)
		fprintf(stderr, "irqpath-qemu-micro: no TSC rate (%s): latencies not reported\n",
			err);
	return 0;
}

static void on_line(struct run *r, const char *text, double t)
{
	struct mg_line l;
	char err[256] = "";
	if (mg_parse_line(text, strlen(text), &l, err, sizeof err)) {
		set_error(r, "report channel: %s", err);
		return;
	}
	int *have = l.kind == MG_RUN   ? &r->out.have_run
		    : l.kind == MG_END ? &r->out.have_end
				       : &r->out.have_result;
	if (*have) {
		set_error(r, "report channel: a second '%s' line",
			  l.kind == MG_RUN   ? "run"
			  : l.kind == MG_END ? "end"
					     : "result");
		return;
	}
	*have = 1;
	if (l.kind == MG_RUN) {
		r->out.run = l;
		r->out.t_run = t;
		uint64_t window = 0;
		if (mg_get_u64(&l, "window", &window) ||
		    mg_qmp_window_check(r->qmp_fd, r->o->cfg.machine, window, err, sizeof err)) {
			set_error(r, "device window: %s", err[0] ? err : "missing in the run line");
			return;
		}
		r->out.window_checked = 1;
		if (r->o->layout) {
			json_t *lay = mg_layout_json(&r->out, err, sizeof err);
			if (!lay)
				set_error(r, "layout: %s", err);
			else if (irqpath_write_json(r->o->layout, lay, JSON_INDENT(1), NULL))
				set_error(r, "writing %s: %s", r->o->layout, strerror(errno));
			json_decref(lay);
		}
	} else if (l.kind == MG_END) {
		r->out.end = l;
		r->out.t_end = t;
	} else {
		r->out.result = l;
	}
}

/* QEMU's stdout is the debugcon: feed it to the line assembler. */
static int read_report(struct run *r)
{
	char buf[1024];
	ssize_t n = read(r->qout, buf, sizeof buf);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1; /* EOF: QEMU is gone */
	double t = now_s();
	char err[160];
	for (size_t off = 0; off < (size_t)n;) {
		int ready;
		long used =
		    mg_stream_feed(&r->stream, buf + off, (size_t)n - off, &ready, err, sizeof err);
		if (used < 0) {
			set_error(r, "report channel: %s", err);
			return -1;
		}
		off += (size_t)used;
		if (ready)
			on_line(r, r->stream.buf, t);
	}
	return r->out.error[0] ? -1 : 0;
}

static void on_signal(struct run *r)
{
	struct signalfd_siginfo si;
	while (read(r->sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGUSR1 && r->held && !r->stopping)
			resume(r);
		else if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
			 si.ssi_signo == SIGHUP)
			r->interrupted = 1;
	}
}

/* What the interrupt controllers looked like when the guest stopped progressing. */
static void snapshot_qemu(struct run *r)
{
	char err[256] = "", *pic, *lapic;
	if (r->qmp_fd < 0 || r->qemu_done)
		return;
	pic = mg_qmp_hmp(r->qmp_fd, "info pic", err, sizeof err);
	lapic = mg_qmp_hmp(r->qmp_fd, "info lapic", err, sizeof err);
	if (asprintf(&r->out.qemu_state, "info pic:\n%s\ninfo lapic:\n%s", pic ? pic : err,
		     lapic ? lapic : err) < 0)
		r->out.qemu_state = NULL;
	free(pic);
	free(lapic);
}

/* Until QEMU has exited and its stdout is drained, or we must stop it. */
static void event_loop(struct run *r)
{
	int out_open = 1;
	while (out_open || !r->qemu_done) {
		if (r->interrupted || (r->out.error[0] && !r->stopping)) {
			r->stopping = 1;
			stop_qemu(r);
		}
		if (!r->qemu_done) {
			int st;
			if (waitpid(r->out.qemu_pid, &st, WNOHANG) == r->out.qemu_pid) {
				r->out.qemu_wait_status = st;
				r->qemu_done = 1;
			}
		}
		double left = r->deadline - now_s();
		if (left <= 0 && !r->stopping) {
			set_error(r, "time limit of %d s reached (QEMU stopped)", r->o->timeout_s);
			if (!r->held)
				snapshot_qemu(r);
			continue;
		}
		struct pollfd p[2] = {{.fd = r->sigfd, .events = POLLIN},
				      {.fd = out_open ? r->qout : -1, .events = POLLIN}};
		int ms = r->qemu_done ? 200 : (left > 0.1 ? 100 : 10);
		if (poll(p, 2, ms) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			on_signal(r);
		if (p[1].revents && read_report(r))
			out_open = 0;
		if (r->qemu_done && !p[1].revents)
			out_open = 0; /* exited and nothing more to read */
	}
}

/* The mailbox and latency ring the guest left in RAM (QEMU has exited). */
static void read_guest_ram(struct run *r)
{
	struct gabi_mailbox mb;
	char err[256];
	if (mg_ram_mailbox(r->ram, &mb, err, sizeof err) ||
	    mg_check_mailbox(&r->out, &mb, err, sizeof err)) {
		set_error(r, "%s", err);
		return;
	}
	if (!r->out.tsc_khz)
		return;
	if (mg_ram_latency(r->ram, mb.latency_count, r->out.tsc_khz, &r->out.latency, err,
			   sizeof err))
		set_error(r, "%s", err);
	else
		r->out.have_latency = 1;
}

/* No result line: say how far the guest got, from its RAM mailbox. */
static void read_stuck_guest(struct run *r)
{
	char err[256];
	struct mg_outcome *o = &r->out;
	if (!r->ram[0] || mg_ram_mailbox(r->ram, &o->ram_mailbox, err, sizeof err))
		return; /* it never got as far as its mailbox */
	o->have_ram_mailbox = 1;
	size_t n = strlen(o->error);
	if (n && n < sizeof o->error - 1)
		snprintf(o->error + n, sizeof o->error - n,
			 "; the guest had done %llu of %llu transactions",
			 (unsigned long long)o->ram_mailbox.done,
			 (unsigned long long)o->cfg->transactions);
}

static void summarize(struct run *r)
{
	struct mg_outcome *o = &r->out;
	int st = o->qemu_wait_status;
	if (!o->error[0] && o->have_result) {
		char err[256];
		if (mg_check_result(o, err, sizeof err))
			set_error(r, "%s", err);
	}
	if (!o->error[0] && !o->have_result)
		set_error(r, "the guest sent no result (see its console)");
	/* isa-debug-exit: QEMU exits (status << 1) | 1, so 1 is the guest's 0 */
	if (!o->error[0] && !(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 1))
		set_error(r, "QEMU ended with wait status 0x%x, not the guest's exit", st);
	if (!o->error[0] && (!o->have_run || !o->have_end))
		set_error(r, "the guest's run/end lines are missing");
}

static int setup(struct run *r)
{
	/* Guest RAM is a file in here: tmpfs (/dev/shm) keeps it off the disk. */
	const char *base = getenv("TMPDIR")		   ? getenv("TMPDIR")
			   : access("/dev/shm", W_OK) == 0 ? "/dev/shm"
							   : "/tmp";
	snprintf(r->dir, sizeof r->dir, "%s/irqpath-mg.XXXXXX", base);
	if (strlen(r->dir) > 40)
		snprintf(r->dir, sizeof r->dir, "/tmp/irqpath-mg.XXXXXX");
	if (!mkdtemp(r->dir)) {
		set_error(r, "mkdtemp: %s", strerror(errno));
		r->dir[0] = 0;
		return -1;
	}
	snprintf(r->qmp, sizeof r->qmp, "%s/qmp", r->dir);
	snprintf(r->console, sizeof r->console, "%s/console", r->dir);
	snprintf(r->ram, sizeof r->ram, "%s/ram", r->dir);
	if (mg_net_up(&r->net, r->o->reflect, r->o->cfg.resp)) {
		set_error(r, "setting up the tap peer failed");
		return -1;
	}
	mg_qemu_version(r->o->cfg.qemu, r->out.qemu_version, sizeof r->out.qemu_version);
	if (start_qemu(r))
		return -1;
	char err[256] = "";
	if (mg_qmp_open(r->qmp, r->out.qemu_pid, 10000, &r->qmp_fd, err, sizeof err)) {
		set_error(r, "%s", err);
		return -1;
	}
	r->held = 1;
	if (!r->o->hold)
		return resume(r);
	fprintf(stderr, "irqpath-qemu-micro: QEMU paused; send SIGUSR1 to %d to start the guest\n",
		(int)getpid());
	return 0;
}

static void teardown(struct run *r)
{
	stop_qemu(r);
	if (r->qmp_fd >= 0)
		close(r->qmp_fd);
	if (r->qout >= 0)
		close(r->qout);
	r->out.reflect_answered = mg_net_down(&r->net);
	if (r->o->console_keep && r->dir[0]) {
		char *argv[] = {"cp", r->console, (char *)r->o->console_keep, NULL};
		mg_run(argv, 1);
	}
	if (r->dir[0]) {
		unlink(r->qmp);
		unlink(r->console);
		unlink(r->ram);
		rmdir(r->dir);
	}
}

static int block_signals(struct run *r)
{
	sigset_t set;
	sigemptyset(&set);
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&set, sigs[i]);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return r->sigfd < 0 ? -1 : 0;
}

int mg_run_all(struct mg_opts *o)
{
	static struct run r; /* large (line buffers): not on the stack */
	r.o = o;
	r.qout = r.qmp_fd = r.sigfd = -1;
	r.out.cfg = &o->cfg;
	r.out.qemu_wait_status = -1;
	r.out.reflect_answered = -1;
	mg_stream_init(&r.stream);
	mg_net_init(&r.net);
	r.out.netns = r.net.netns;
	r.out.tap = r.net.tap;
	if (block_signals(&r)) {
		perror("irqpath-qemu-micro: signals");
		return 1;
	}
	r.deadline = now_s() + o->timeout_s;
	if (!setup(&r))
		event_loop(&r);
	else
		on_signal(&r); /* an interrupt during set-up still counts as one */
	stop_qemu(&r);
	if (!r.interrupted && !r.out.error[0] && r.out.have_result)
		read_guest_ram(&r);
	else if (!r.interrupted && !r.out.have_result)
		read_stuck_guest(&r);
	teardown(&r);
	if (r.interrupted) {
		fprintf(stderr, "irqpath-qemu-micro: interrupted; QEMU, reflector and %s removed\n",
			r.net.netns);
		return 130;
	}
	summarize(&r);
	if (o->json) {
		json_t *doc = mg_result_json(&r.out);
		if (irqpath_write_json(o->json, doc, JSON_INDENT(1), NULL)) {
			fprintf(stderr, "irqpath-qemu-micro: writing %s: %s\n", o->json,
				strerror(errno));
			set_error(&r, "cannot write the result");
		}
		json_decref(doc);
	}
	if (r.out.error[0]) {
		fprintf(stderr, "irqpath-qemu-micro: %s\n", r.out.error);
		return 1;
	}
	if (!o->quiet) {
		double el = r.out.t_end - r.out.t_run;
		fprintf(
		    stderr,
		    "irqpath-qemu-micro: %s: %llu transactions in %.3f s (%.0f/s), boot %.2f s, "
		    "qemu pid %d\n",
		    o->cfg.machine == MG_MICROVM ? "microvm" : "q35", o->cfg.transactions, el,
		    el > 0 ? (double)o->cfg.transactions / el : 0.0, r.out.t_run - r.out.t_start,
		    (int)r.out.qemu_pid);
	}
	return 0;
}
