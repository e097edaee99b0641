/* SPDX-License-Identifier: MIT */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void progress_init(struct progress *p, int steps, int quiet)
{
	p->tty = isatty(2);
	p->quiet = quiet;
	p->step = 0;
	p->steps = steps;
	p->what[0] = '\0';
}

void progress_begin(struct progress *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->what, sizeof(p->what), fmt, ap);
	va_end(ap);
	if (p->quiet)
		return;
	if (p->tty)
		fprintf(stderr, "\r\033[K[%d/%d] %s ...", p->step + 1, p->steps, p->what);
	else
		fprintf(stderr, "irqpath-bench: [%d/%d] %s: started\n", p->step + 1, p->steps,
			p->what);
}

void progress_tick(void *arg, double elapsed_s)
{
	struct progress *p = arg;
	static int n;
	if (p->quiet || !p->tty || (n++ % 5)) /* twice a second */
		return;
	static const char spin[] = "|/-\\";
	fprintf(stderr, "\r\033[K[%d/%d] %s %c %.1f s", p->step + 1, p->steps, p->what,
		spin[(n / 5) % 4], elapsed_s);
}

void progress_end(struct progress *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->step++;
	if (p->quiet)
		return;
	if (p->tty)
		fprintf(stderr, "\r\033[K[%d/%d] %s: %s\n", p->step, p->steps, p->what, msg);
	else
		fprintf(stderr, "irqpath-bench: [%d/%d] %s: %s\n", p->step, p->steps, p->what, msg);
}

void progress_clear(struct progress *p)
{
	if (p->tty && !p->quiet)
		fprintf(stderr, "\r\033[K");
}
