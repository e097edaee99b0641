/* SPDX-License-Identifier: MIT */
/* Child processes of irqpath-qemu-micro: started directly (never through a
 * wrapper such as `ip netns exec` or `timeout`), so their pids are ours to
 * report, signal and wait for. */
#ifndef IRQPATH_MG_PROC_H
#define IRQPATH_MG_PROC_H

#include <sys/types.h>

/*
 * fork + (setns into netns_fd when >= 0) + exec argv[0] (PATH search), with
 * the given fds as stdin/stdout/stderr (-1: /dev/null for stdin, inherit
 * for the others) and the signal mask cleared. The child gets
 * PR_SET_PDEATHSIG(SIGKILL): it never outlives this process. Returns the
 * pid, or -1 (errno set).
 */
pid_t mg_spawn(char *const argv[], int netns_fd, int in_fd, int out_fd, int err_fd);
/* Runs argv to completion (stdout/stderr to /dev/null unless quiet = 0);
 * returns its exit status, or -1 if it could not run or was killed. */
int mg_run(char *const argv[], int quiet);
/* SIGTERM, up to grace_ms for it to exit, then SIGKILL; reaps it. Returns
 * the wait status, or -1. */
int mg_stop(pid_t pid, int grace_ms);

#endif
