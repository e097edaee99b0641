/* SPDX-License-Identifier: MIT */
/*
 * One repetition of the micro-guest on QEMU's own virtio devices under KVM
 * (profiles qemu-mmio and qemu-pci, or any micro-guest profile with
 * --vmm-kind qemu):
 *
 *   irqpath-qemu-micro --machine microvm|q35 --hold --pid-file P --layout L --json R ...
 *   irqpath-trace record -p $(cat P) --layout L -o T     (once P exists)
 *   kill -USR1 <runner>                                  (once the tracer says "attached")
 *
 * The tracer filters on QEMU's own pid (QEMU is the runner's direct child,
 * held paused until released), so the host counts are QEMU's and never
 * lost to a process tree. The runner is the bench's tracked child group (a
 * stop signal reaches it; it stops QEMU and removes its netns); the tracer
 * has a group of its own, so the runner's end does not cut its snapshot
 * short, and it is stopped here when the bench is.
 *
 * microvm runs with --irqchip on: QEMU's default split irqchip loses a level
 * interrupt about one run in twelve on this kind of host
 * (guest-agent/qemu/README.md); the record says which irqchip ran.
 */
#include "qemumicrorec.h"
#include "runner.h"
#include "../common/jsonio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QM_START_S 30.0	 /* runner start to QEMU's pid file (netns, QEMU paused) */
#define QM_ATTACH_S 30.0 /* tracer start to "attached" (BPF load) */
#define QM_TAIL_S 15.0	 /* tracer's snapshot after QEMU exited */
#define QM_BOOT_S 60	 /* SeaBIOS on q35 takes 3-12 s on a loaded host */

struct qm_files {
	char json[4096], tjson[4096], layout[4096], pidf[4096], console[4096];
	char log[4096], tlog[4096];
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(void)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	nanosleep(&ts, NULL);
}

static int file_has(const char *path, const char *needle)
{
	char *t = read_file_text(path, NULL);
	int r = t && strstr(t, needle);
	free(t);
	return r;
}

/* The last line of LOG that starts with PREFIX, else its last line. */
static void qm_tail(const char *log, const char *prefix, char *out, size_t len)
{
	out[0] = '\0';
	char *t = read_file_text(log, NULL);
	if (!t)
		return;
	char *pick = NULL, *any = NULL;
	for (char *p = t; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (*p == '\n')
			continue;
		any = p;
		if (!strncmp(p, prefix, strlen(prefix)))
			pick = p;
	}
	if (!pick)
		pick = any;
	if (pick) {
		pick[strcspn(pick, "\n")] = '\0';
		snprintf(out, len, "%s", pick);
	}
	free(t);
}

/* QEMU's pid from the runner's pid file, 0 while it is not there yet. */
static pid_t read_pid(const char *path)
{
	char *t = read_file_text(path, NULL);
	long v = t ? strtol(t, NULL, 10) : 0;
	free(t);
	return v > 0 ? (pid_t)v : 0;
}

/* The tracer in a process group of its own, output to LOG. */
static pid_t spawn_tracer(char *const argv[], const char *log)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

/* Reaps PID if it has exited: 1 and its status in *st, else 0. */
static int reaped(pid_t pid, int *st)
{
	int s;
	if (waitpid(pid, &s, WNOHANG) != pid)
		return 0;
	*st = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
	return 1;
}

/* Stops a child that outlived its part (SIGTERM, then SIGKILL) and reaps it. */
static void stop_child(pid_t pid)
{
	int st;
	if (pid <= 0 || reaped(pid, &st))
		return;
	kill(pid, SIGTERM);
	for (double t0 = now_s(); now_s() - t0 < 5.0; nap())
		if (reaped(pid, &st))
			return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void qm_paths(const struct runner_job *job, struct qm_files *f)
{
	const char *w = job->workdir;
	snprintf(f->json, sizeof(f->json), "%s/qemu-micro.json", w);
	snprintf(f->tjson, sizeof(f->tjson), "%s/trace.json", w);
	snprintf(f->layout, sizeof(f->layout), "%s/layout.json", w);
	snprintf(f->pidf, sizeof(f->pidf), "%s/qemu.pid", w);
	snprintf(f->console, sizeof(f->console), "%s/console.log", w);
	snprintf(f->log, sizeof(f->log), "%s/run.log", w);
	snprintf(f->tlog, sizeof(f->tlog), "%s/trace.log", w);
	const char *all[] = {f->json, f->tjson, f->layout, f->pidf, f->tlog};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		unlink(all[i]);
}

static int microvm(const struct bench_config *c)
{
	return strcmp(c->transport, "pci") != 0;
}

/* Starts the runner held; its pid, or -1 (error set). */
static pid_t start_runner(const struct runner_job *job, const struct qm_files *f, int traced,
			  char *err, size_t len)
{
	const struct bench_config *c = job->cfg;
	char txn[32], req[16], resp[16], tmo[16];
	snprintf(txn, sizeof(txn), "%lu", job->transactions ? job->transactions : c->transactions);
	snprintf(req, sizeof(req), "%u", c->req);
	snprintf(resp, sizeof(resp), "%u", c->resp);
	snprintf(tmo, sizeof(tmo), "%u", c->timeout_s + QM_BOOT_S);
	const char *argv[40] = {job->tools->qemu_micro,
				"--machine",
				microvm(c) ? "microvm" : "q35",
				"--transactions",
				txn,
				"--req",
				req,
				"--resp",
				resp,
				"--json",
				f->json,
				"--layout",
				f->layout,
				"--pid-file",
				f->pidf,
				"--console",
				f->console,
				"--timeout",
				tmo,
				"-q"};
	int a = 20;
	if (job->tools->guest) {
		argv[a++] = "--guest";
		argv[a++] = job->tools->guest;
	}
	if (microvm(c)) {
		argv[a++] = "--irqchip";
		argv[a++] = "on";
	}
	if (traced)
		argv[a++] = "--hold";
	argv[a] = NULL;
	pid_t pid = proc_spawn((char *const *)argv, f->log);
	if (pid < 0)
		snprintf(err, len, "cannot start %s", argv[0]);
	return pid;
}

/*
 * Waits for QEMU's pid, starts the tracer on it and waits for "attached".
 * Returns the tracer's pid, 0 if the runner ended first, -1 on failure.
 */
static pid_t attach_tracer(const struct runner_job *job, const struct qm_files *f, pid_t runner,
			   int *runner_st, char *err, size_t len)
{
	pid_t qpid = 0;
	for (double t0 = now_s(); !(qpid = read_pid(f->pidf)); nap()) {
		if (proc_stop_signal || reaped(runner, runner_st))
			return 0;
		if (now_s() - t0 > QM_START_S) {
			snprintf(err, len, "no QEMU pid from irqpath-qemu-micro after %.0f s",
				 QM_START_S);
			return -1;
		}
	}
	char pidarg[24];
	snprintf(pidarg, sizeof(pidarg), "%d", (int)qpid);
	const char *argv[] = {job->tools->trace, "record", "-p",     pidarg, "--layout",
			      f->layout,	 "-o",	   f->tjson, NULL};
	pid_t tr = spawn_tracer((char *const *)argv, f->tlog);
	if (tr < 0) {
		snprintf(err, len, "cannot start %s", argv[0]);
		return -1;
	}
	int st;
	for (double t0 = now_s(); !file_has(f->tlog, "attached"); nap()) {
		if (proc_stop_signal)
			return tr;
		if (reaped(tr, &st)) {
			char tail[300];
			qm_tail(f->tlog, "irqpath-trace", tail, sizeof(tail));
			snprintf(err, len,
				 "irqpath-trace on QEMU pid %d failed (status %d): %.300s",
				 (int)qpid, st, tail);
			return -1;
		}
		if (now_s() - t0 > QM_ATTACH_S) {
			snprintf(err, len, "irqpath-trace did not attach within %.0f s",
				 QM_ATTACH_S);
			stop_child(tr);
			return -1;
		}
	}
	return tr;
}

/* The runner's outcome into OUT: 0 ok, -1 failed (error set). */
static int collect(const struct qm_files *f, int st, int traced, int tracer_st,
		   struct runner_output *out)
{
	char tail[400], err[512];
	qm_tail(f->log, "irqpath-qemu-micro", tail, sizeof(tail));
	out->qemu_micro = jsonio_load(f->json, "irqpath-qemu-micro", err, sizeof(err));
	const char *status = json_string_value(json_object_get(out->qemu_micro, "status"));
	if (!out->qemu_micro || st != 0 || !status || strcmp(status, "ok")) {
		const char *why = json_string_value(json_object_get(out->qemu_micro, "error"));
		snprintf(out->error, sizeof(out->error),
			 "irqpath-qemu-micro exited with status %d: %.400s", st,
			 why	   ? why
			 : tail[0] ? tail
				   : err);
		return -1;
	}
	if (!traced)
		return 0;
	out->trace = jsonio_load(f->tjson, "irqpath-trace", err, sizeof(err));
	if (!out->trace) {
		qm_tail(f->tlog, "irqpath-trace", tail, sizeof(tail));
		snprintf(out->error, sizeof(out->error), "irqpath-trace failed (status %d): %.400s",
			 tracer_st, tail[0] ? tail : err);
		return -1;
	}
	return 0;
}

static int run_qemu_micro(const struct runner_job *job, struct runner_output *out)
{
	const struct runner_tools *t = job->tools;
	if (!t->qemu_micro) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu-micro not found (run make)");
		return -1;
	}
	int traced = job->traced && t->trace && strcmp(job->cfg->trace_backend, "none");
	struct qm_files f;
	qm_paths(job, &f);
	pid_t runner = start_runner(job, &f, traced, out->error, sizeof(out->error));
	if (runner < 0)
		return -1;
	int st = -1, tst = -1, runner_done = 0, timed_out = 0;
	pid_t tracer = 0;
	if (traced) {
		tracer = attach_tracer(job, &f, runner, &st, out->error, sizeof(out->error));
		runner_done = st != -1;
		if (tracer > 0 && !proc_stop_signal)
			kill(runner, SIGUSR1); /* release the held guest */
	}
	if (tracer < 0 && !runner_done)
		kill(-runner, SIGTERM); /* held forever otherwise; it cleans up */
	if (!runner_done) {
		double limit = job->cfg->timeout_s + QM_BOOT_S + 30.0;
		st = proc_wait(runner, limit, job->tick, job->tick_arg, &timed_out);
	}
	/* the tracer ends when QEMU exits: give it the time to write its snapshot */
	for (double t0 = now_s(); tracer > 0 && !reaped(tracer, &tst); nap())
		if (proc_stop_signal || now_s() - t0 > QM_TAIL_S) {
			stop_child(tracer);
			break;
		}
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		return -1;
	}
	if (tracer < 0)
		return -1;
	if (timed_out) {
		snprintf(out->error, sizeof(out->error), "no result after %u s; stopped",
			 job->cfg->timeout_s + QM_BOOT_S + 30);
		return -1;
	}
	if (!traced && job->traced)
		snprintf(out->trace_note, sizeof(out->trace_note), "%s",
			 t->trace ? "tracer disabled by the profile ([trace] backend=none)"
				  : "irqpath-trace not found");
	return collect(&f, st, traced, tst, out);
}

const struct runner runner_qemu_micro = {"qemu-micro", run_qemu_micro, qemu_micro_record, 0};
