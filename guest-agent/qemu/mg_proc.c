// SPDX-License-Identifier: MIT
#include "mg_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child_fd(int fd, int target, int flags)
{
	if (fd < 0) {
		if (flags < 0)
			return; /* inherit */
		fd = open("/dev/null", flags);
		if (fd < 0)
			_exit(127);
	}
	if (fd != target && dup2(fd, target) < 0)
		_exit(127);
}

pid_t mg_spawn(char *const argv[], int netns_fd, int in_fd, int out_fd, int err_fd)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* the parent died before prctl */
	if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET)) {
		fprintf(stderr, "irqpath-qemu-micro: setns: %s\n", strerror(errno));
		_exit(127);
	}
	child_fd(in_fd, 0, O_RDONLY);
	child_fd(out_fd, 1, -1);
	child_fd(err_fd, 2, -1);
	execvp(argv[0], argv);
	fprintf(stderr, "irqpath-qemu-micro: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int wait_status(pid_t pid, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, 0);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int mg_run(char *const argv[], int quiet)
{
	int devnull = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
	pid_t pid = mg_spawn(argv, -1, -1, devnull, devnull);
	if (devnull >= 0)
		close(devnull);
	int st;
	if (pid < 0 || wait_status(pid, &st))
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int mg_stop(pid_t pid, int grace_ms)
{
	int st;
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	for (int waited = 0; waited < grace_ms; waited += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	kill(pid, SIGKILL);
	return wait_status(pid, &st) ? -1 : st;
}
