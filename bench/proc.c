/* SPDX-License-Identifier: MIT */
#include "proc.h"
#include "../common/jsonio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRACE_S 5.0 /* after SIGTERM, before SIGKILL */

volatile sig_atomic_t proc_stop_signal;
static double grace_s = GRACE_S;

void proc_set_grace(double seconds)
{
	grace_s = seconds > 0 ? seconds : GRACE_S;
}
static volatile pid_t child_group; /* 0 when no child runs */

static void on_signal(int sig)
{
	if (!proc_stop_signal)
		proc_stop_signal = sig;
	pid_t g = child_group;
	if (g > 0)
		kill(-g, SIGTERM);
}

void proc_install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a VM orphaned by a dying tracer is re-parented to us, so we can reap it */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* In the child: a process group of its own, default signal dispositions,
 * MASK, stdout+stderr to LOG, stdin from /dev/null, then ARGV. */
static void exec_in_group(char *const argv[], const char *log, const sigset_t *mask)
{
	setpgid(0, 0);
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	sigaction(SIGHUP, &dfl, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
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

pid_t proc_spawn(char *const argv[], const char *log)
{
	/* block our handlers until child_group is set, so a signal in between
	 * cannot miss the child */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t pid = fork();
	if (pid == 0)
		exec_in_group(argv, log, &old);
	if (pid > 0) {
		setpgid(pid, pid); /* also from the parent: no race with kill(-pid) */
		child_group = pid;
		/* a signal that came before we had a child still stops it */
		if (proc_stop_signal)
			kill(-pid, SIGTERM);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

pid_t proc_spawn_aside(char *const argv[], const char *log)
{
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	pid_t pid = fork();
	if (pid == 0)
		exec_in_group(argv, log, &now);
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

void proc_log_line(const char *log, const char *prefix, char *out, size_t len)
{
	out[0] = '\0';
	char *text = read_file_text(log, NULL);
	if (!text)
		return;
	size_t pl = strlen(prefix);
	char *pick = NULL, *any = NULL;
	for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (*p == '\n' || *p == '\r')
			continue;
		any = p;
		if (pl && !strncmp(p, prefix, pl))
			pick = p;
	}
	pick = pick ? pick : any;
	if (pick) {
		pick[strcspn(pick, "\r\n")] = '\0';
		snprintf(out, len, "%s", pick);
	}
	free(text);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int proc_wait(pid_t pid, double timeout_s, proc_tick_fn tick, void *arg, int *timed_out)
{
	double start = now_s(), term_at = 0;
	int status = 0;
	if (timed_out)
		*timed_out = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			child_group = 0;
			return -1;
		}
		double t = now_s() - start;
		if (!term_at && (proc_stop_signal || (timeout_s > 0 && t > timeout_s))) {
			if (!proc_stop_signal && timed_out)
				*timed_out = 1;
			/* on a stop signal the handler (or proc_spawn) has sent SIGTERM
			 * already: a second one could kill a child's shell while its
			 * SIGTERM trap cleans up (irqpath-qemu resets the trap first) */
			if (!proc_stop_signal)
				kill(-pid, SIGTERM);
			term_at = now_s();
		}
		if (term_at && now_s() - term_at > grace_s)
			kill(-pid, SIGKILL);
		if (tick)
			tick(arg, t);
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	/* the group leader is gone; make sure nothing it started lingers */
	if (kill(-pid, 0) == 0) {
		kill(-pid, SIGTERM);
		double t0 = now_s();
		while (kill(-pid, 0) == 0 && now_s() - t0 < grace_s) {
			while (waitpid(-pid, NULL, WNOHANG) > 0)
				;
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		kill(-pid, SIGKILL);
		while (waitpid(-pid, NULL, WNOHANG) > 0)
			;
	}
	child_group = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
