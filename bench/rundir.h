/* SPDX-License-Identifier: MIT */
/*
 * The run directory OUT/RUN-ID, created so that no two benches share it:
 * a generated id that is taken (two benches started in the same second)
 * gets a suffix -2, -3, ... from an exclusive mkdir; an id given with
 * --run-id may name an existing directory (more profiles into one run),
 * but never one another irqpath-bench is using (an flock held until exit).
 */
#ifndef IRQPATH_BENCH_RUNDIR_H
#define IRQPATH_BENCH_RUNDIR_H

#include <stddef.h>

struct rundir {
	char path[4096];
	char id[160];
	int made;    /* we created it (an empty one is removed on failure) */
	int lock_fd; /* held open with the lock; -1 when none */
};

#define RUNDIR_ERR_RUNTIME 1
#define RUNDIR_ERR_BUSY 2 /* --run-id names a directory another bench uses */

/* 0, or RUNDIR_ERR_* with the reason printed. out must exist. */
int rundir_create(struct rundir *r, const char *out, const char *id, int id_given);
void rundir_release(struct rundir *r);

#endif
