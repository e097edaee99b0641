/* SPDX-License-Identifier: MIT */
/*
 * Child processes in their own process group, so one kill reaches the
 * tracer and the VM it started; SIGINT/SIGTERM to the bench forward there.
 */
#ifndef IRQPATH_BENCH_PROC_H
#define IRQPATH_BENCH_PROC_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Set by the handler: the signal that asked us to stop, 0 if none. */
extern volatile sig_atomic_t proc_stop_signal;

/* Installs SIGINT/SIGTERM/SIGHUP handlers that record the signal and
 * send SIGTERM to the running child group at once. */
void proc_install_handlers(void);

/* Starts ARGV in a new process group, stdout+stderr to LOG. -1 on error. */
pid_t proc_spawn(char *const argv[], const char *log);

/* The same for a helper beside the running child (a tracer attached to a
 * VMM it did not start): a group of its own that the stop handler does
 * not signal; the caller stops and reaps it. */
pid_t proc_spawn_aside(char *const argv[], const char *log);

/* Into OUT: the last line of LOG that starts with PREFIX (a tool's own
 * complaint says more than a line of what ran under it), else its last
 * non-empty line; "" when there is none or LOG cannot be read. */
void proc_log_line(const char *log, const char *prefix, char *out, size_t len);

/* Called about every 200 ms while waiting (progress display). */
typedef void (*proc_tick_fn)(void *arg, double elapsed_s);

/* Seconds between SIGTERM and SIGKILL in proc_wait (0: the default, 5). */
void proc_set_grace(double seconds);

/*
 * Waits for PID. After TIMEOUT_S (0: none) or on a stop signal, sends
 * SIGTERM to the group, then SIGKILL after a grace period, and reaps.
 * Returns the exit status (128+sig when killed by a signal), -1 on error;
 * *timed_out set when the timeout fired.
 */
int proc_wait(pid_t pid, double timeout_s, proc_tick_fn tick, void *arg, int *timed_out);

#endif
