/* SPDX-License-Identifier: MIT */
#include "gnuplot.h"
#include "interrupt.h"
#include "../common/cleanup.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_quiet(char *const argv[], const char *dir, const char *log)
{
	if (report_interrupted)
		return -1;
	/* Signals wait until the child is known (to stop it) and runs with default actions. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		int fd =
		    open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (dir && chdir(dir))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	report_interrupt_child(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			report_interrupt_child(0);
			return -1;
		}
	report_interrupt_child(0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

const char *gnuplot_png_terminal(void)
{
	static const char *cached;
	static int probed;
	if (probed)
		return cached;
	probed = 1;
	char *cairo[] = {"gnuplot", "-e", "set terminal pngcairo", NULL};
	char *gd[] = {"gnuplot", "-e", "set terminal png", NULL};
	if (run_quiet(cairo, NULL, NULL) == 0)
		cached = "pngcairo";
	else if (run_quiet(gd, NULL, NULL) == 0)
		cached = "png";
	return cached;
}

void gnuplot_set_output(FILE *gp, const char *ext, const char *base)
{
	if (!strcmp(ext, "svg"))
		fprintf(gp, "set terminal svg size %d,%d dynamic enhanced background rgb 'white'\n",
			CHART_W, CHART_H);
	else
		fprintf(gp, "set terminal %s size %d,%d\n", gnuplot_png_terminal(), CHART_W,
			CHART_H);
	fprintf(gp, "set output '%s.%s.tmp'\n", base, ext);
}

const char *gnuplot_quote(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	for (; *s && o + 1 < len; s++)
		buf[o++] = (*s == '"' || *s == '\\' || *s == '\'' || *s == '@' || *s == '_')
			       ? (*s == '@' ? ' ' : '-')
			       : *s;
	buf[o] = '\0';
	return buf;
}

int gnuplot_run(const char *dir, const char *script, const char *const *bases, size_t nbases,
		char *err, size_t errlen)
{
	if (!gnuplot_png_terminal()) {
		snprintf(err, errlen,
			 "gnuplot with a png terminal not found (install gnuplot-nox)");
		return -1;
	}
	char log[4096];
	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	char *argv[] = {"gnuplot", (char *)script, NULL};
	char tmps[8][4096];
	for (size_t i = 0; i < nbases && i < 4; i++)
		for (int e = 0; e < 2; e++) {
			snprintf(tmps[i * 2 + e], sizeof(tmps[0]), "%s/%s.%s.tmp", dir, bases[i],
				 e ? "svg" : "png");
			cleanup_register(tmps[i * 2 + e]);
		}
	int rc = run_quiet(argv, dir, log);
	for (size_t i = 0; i < nbases && i < 4; i++)
		for (int e = 0; e < 2; e++)
			cleanup_unregister(tmps[i * 2 + e]);
	int bad = rc != 0;
	for (size_t i = 0; i < nbases; i++) {
		static const char *const exts[] = {"png", "svg"};
		for (int e = 0; e < 2; e++) {
			char tmp[4096], fin[4096];
			snprintf(tmp, sizeof(tmp), "%s/%s.%s.tmp", dir, bases[i], exts[e]);
			snprintf(fin, sizeof(fin), "%s/%s.%s", dir, bases[i], exts[e]);
			if (bad)
				unlink(tmp);
			else if (rename(tmp, fin)) {
				snprintf(err, errlen, "gnuplot did not write %s: %s", tmp,
					 strerror(errno));
				bad = 1;
			}
		}
	}
	if (rc) {
		snprintf(err, errlen, "gnuplot failed (status %d); see %s", rc, log);
		return -1;
	}
	return bad ? -1 : 0;
}
