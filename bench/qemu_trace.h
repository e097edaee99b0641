/* SPDX-License-Identifier: MIT */
/*
 * irqpath-trace on QEMU's own pid, for the runners whose QEMU is not the
 * command the tracer starts (irqpath-qemu-micro's direct child, or QEMU
 * behind irqpath-qemu's `ip netns exec`): wait for the pid file the runner
 * writes, start `irqpath-trace record -p PID` in a process group of its own
 * (so the runner's end, which cleans up its group, does not cut the
 * tracer's snapshot short), wait for "attached", and afterwards give it
 * the time to write its snapshot once QEMU has exited.
 */
#ifndef IRQPATH_BENCH_QEMU_TRACE_H
#define IRQPATH_BENCH_QEMU_TRACE_H

#include <stddef.h>
#include <sys/types.h>

struct qemu_trace {
	pid_t pid;	/* the tracer, 0 when none runs */
	pid_t qemu_pid; /* the pid it follows */
	int status;	/* its exit status once reaped, -1 before */
};

/*
 * Waits up to START_S for PIDFILE while RUNNER lives, then starts TRACE_BIN
 * record -p <pid> [--layout LAYOUT] -o OUT (stderr to LOG) and waits up to
 * ATTACH_S for "attached". Returns 1 attached, 0 when the runner ended first
 * (*runner_st = its status) or a stop signal came, -1 on failure (ERR).
 */
int qemu_trace_attach(struct qemu_trace *t, const char *trace_bin, const char *pidfile,
		      const char *layout, const char *out, const char *log, pid_t runner,
		      double start_s, int *runner_st, char *err, size_t len);

/* After the runner: waits up to TAIL_S for the tracer (it ends when QEMU
 * does), else stops it (SIGTERM, SIGKILL). Returns its exit status. */
int qemu_trace_finish(struct qemu_trace *t, double tail_s);

/* Reaps PID if it has exited: 1 and its status in *st, else 0. */
int qemu_trace_reaped(pid_t pid, int *st);

#endif
