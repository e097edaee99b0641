/* SPDX-License-Identifier: MIT */
/* Progress on stderr: one rewritten line on a terminal, plain lines otherwise. */
#ifndef IRQPATH_BENCH_PROGRESS_H
#define IRQPATH_BENCH_PROGRESS_H

struct progress {
	int tty;
	int quiet;
	int step, steps; /* repetitions done / planned, all profiles */
	char what[128];	 /* "mmio-v3 repetition 2/5" */
};

void progress_init(struct progress *p, int steps, int quiet);
/* A new step starts (warm-ups are steps too). */
void progress_begin(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Periodic update while a step runs (tty only). */
void progress_tick(void *p, double elapsed_s);
/* The step ended; MSG is its one-line outcome. */
void progress_end(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clears the terminal line before other output. */
void progress_clear(struct progress *p);

#endif
