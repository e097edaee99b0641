/* SPDX-License-Identifier: MIT */
#include "qemu_trace.h"
#include "proc.h"
#include "../common/jsonio.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ATTACH_S 30.0 /* tracer start to "attached" (BPF load on a loaded host) */

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

/* QEMU's pid from the runner's pid file, 0 while it is not there yet. */
static pid_t read_pid(const char *path)
{
	char *t = read_file_text(path, NULL);
	long v = t ? strtol(t, NULL, 10) : 0;
	free(t);
	return v > 0 ? (pid_t)v : 0;
}

int qemu_trace_reaped(pid_t pid, int *st)
{
	int s;
	if (waitpid(pid, &s, WNOHANG) != pid)
		return 0;
	*st = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
	return 1;
}

int qemu_trace_attach(struct qemu_trace *t, const char *trace_bin, const char *pidfile,
		      const char *layout, const char *out, const char *log, pid_t runner,
		      double start_s, int *runner_st, char *err, size_t len)
{
	t->pid = 0;
	t->status = -1;
	for (double t0 = now_s(); !(t->qemu_pid = read_pid(pidfile)); nap()) {
		if (proc_stop_signal || qemu_trace_reaped(runner, runner_st))
			return 0;
		if (now_s() - t0 > start_s) {
			snprintf(err, len, "no QEMU pid in %s after %.0f s", pidfile, start_s);
			return -1;
		}
	}
	char pidarg[24];
	snprintf(pidarg, sizeof(pidarg), "%d", (int)t->qemu_pid);
	const char *argv[12] = {trace_bin, "record", "-p", pidarg, "-o", out};
	int a = 6;
	if (layout) {
		argv[a++] = "--layout";
		argv[a++] = layout;
	}
	argv[a] = NULL;
	t->pid = proc_spawn_aside((char *const *)argv, log);
	if (t->pid < 0) {
		t->pid = 0;
		snprintf(err, len, "cannot start %s", trace_bin);
		return -1;
	}
	for (double t0 = now_s(); !file_has(log, "attached"); nap()) {
		if (proc_stop_signal)
			return 0;
		if (qemu_trace_reaped(t->pid, &t->status)) {
			char tail[300];
			proc_log_line(log, "", tail, sizeof(tail));
			snprintf(err, len,
				 "irqpath-trace on QEMU pid %d failed (status %d): %.300s",
				 (int)t->qemu_pid, t->status, tail);
			t->pid = 0;
			return -1;
		}
		if (now_s() - t0 > ATTACH_S) {
			snprintf(err, len, "irqpath-trace did not attach within %.0f s", ATTACH_S);
			qemu_trace_finish(t, 0);
			return -1;
		}
	}
	return 1;
}

int qemu_trace_finish(struct qemu_trace *t, double tail_s)
{
	if (t->pid <= 0)
		return t->status;
	for (double t0 = now_s(); !qemu_trace_reaped(t->pid, &t->status); nap()) {
		if (proc_stop_signal || now_s() - t0 > tail_s) {
			kill(t->pid, SIGTERM); /* it still writes its snapshot */
			for (double t1 = now_s(); now_s() - t1 < 5.0; nap())
				if (qemu_trace_reaped(t->pid, &t->status))
					goto done;
			kill(t->pid, SIGKILL);
			int s;
			waitpid(t->pid, &s, 0);
			t->status = 128 + SIGKILL;
			break;
		}
	}
done:
	t->pid = 0;
	return t->status;
}
