/* SPDX-License-Identifier: MIT */
#include "tracefs_reaper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* rmdir of an instance can fail with EBUSY for a moment while the dead
 * tracer's files are being released: retry for up to a second. */
static void remove_instance(const char *dir)
{
	for (int i = 0; i < 100; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void write_option(const char *tracefs, const char *opt, const char *val)
{
	char path[512];
	snprintf(path, sizeof path, "%s/options/%s", tracefs, opt);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0) {
			/* nothing more to do from a helper */
		}
		close(fd);
	}
}

static void helper(int rfd, const char *instance_dir, const char *tracefs)
{
	char c;
	int restore_tgid = 0;
	ssize_t n;

	signal(SIGINT, SIG_IGN); /* Ctrl-C reaches the whole process group */
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_NAME, "irqpath-reaper");
	for (int fd = 3; fd < 1024; fd++)
		if (fd != rfd)
			close(fd); /* hold none of the tracer's trace files */
	while ((n = read(rfd, &c, 1)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (c == 'd')
			_exit(0); /* the tracer cleaned up */
		if (c == 't')
			restore_tgid = 1;
	}
	remove_instance(instance_dir);
	if (restore_tgid)
		write_option(tracefs, "record-tgid", "0");
	_exit(0);
}

int reaper_start(struct reaper *r, const char *instance_dir, const char *tracefs_dir)
{
	int p[2];
	r->pid = -1;
	r->fd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[1]);
		helper(p[0], instance_dir, tracefs_dir);
	}
	close(p[0]);
	r->pid = pid;
	r->fd = p[1];
	return 0;
}

void reaper_note_record_tgid(struct reaper *r)
{
	if (r->fd >= 0 && write(r->fd, "t", 1) != 1) {
		/* the helper is gone: the tracer restores the option itself */
	}
}

void reaper_stop(struct reaper *r)
{
	if (r->fd >= 0) {
		if (write(r->fd, "d", 1) != 1) {
			/* helper already gone */
		}
		close(r->fd);
		r->fd = -1;
	}
	if (r->pid > 0) {
		waitpid(r->pid, NULL, 0);
		r->pid = -1;
	}
}

static int tracer_alive(int pid)
{
	char path[64], comm[64] = "";
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof comm, f))
		comm[0] = 0;
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return !strcmp(comm, "irqpath-trace") || !strcmp(comm, "irqpath-reaper");
}

void reaper_collect_stale(const char *tracefs_dir)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/instances", tracefs_dir);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		int pid;
		char extra;
		if (sscanf(e->d_name, "irqpath-trace-%d%c", &pid, &extra) != 1)
			continue;
		if (pid == getpid() || tracer_alive(pid))
			continue;
		char path[800];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		rmdir(path);
	}
	closedir(d);
}
