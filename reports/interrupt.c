/* SPDX-License-Identifier: MIT */
#include "interrupt.h"
#include "../common/cleanup.h"

#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t report_interrupted;
static volatile pid_t child;

static void on_signal(int sig)
{
	if (!report_interrupted)
		report_interrupted = sig;
	pid_t c = child;
	if (c > 0)
		kill(c, SIGTERM);
	cleanup_remove_all();
}

void report_interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: waitpid returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void report_interrupt_child(pid_t pid)
{
	child = pid;
	if (pid > 0 && report_interrupted) /* the signal came before we knew the child */
		kill(pid, SIGTERM);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void report_remove_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
