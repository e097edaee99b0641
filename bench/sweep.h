/* SPDX-License-Identifier: MIT */
/*
 * A sweep over queue pairs and vCPUs (--queues 1,2,4 --vcpus ...): the
 * points one profile runs at, and the results file each point writes.
 */
#ifndef IRQPATH_BENCH_SWEEP_H
#define IRQPATH_BENCH_SWEEP_H

#include <stddef.h>

#define SWEEP_MAX_POINTS 8
#define SWEEP_MAX 64 /* vCPUs (x2APIC IDs 0..63) and queue pairs per point */

struct sweep_point {
	unsigned queues, vcpus;
};

struct sweep {
	size_t n;
	struct sweep_point p[SWEEP_MAX_POINTS];
};

/*
 * Parses a comma-separated list of integers in 1..SWEEP_MAX ("1,2,4") into
 * OUT (at most SWEEP_MAX_POINTS); -1 with a message in ERR naming WHAT.
 */
int sweep_parse_list(const char *what, const char *s, unsigned *out, size_t *n, char *err,
		     size_t errlen);

/*
 * The points of QUEUES (NULL: "1") and VCPUS: NULL gives vcpus = queues at
 * each point, one value applies to every point, a list as long as QUEUES
 * pairs up. A point given twice is an error. 0, or -1 with ERR.
 */
int sweep_build(const char *queues, const char *vcpus, struct sweep *sw, char *err, size_t errlen);

/* 1 for the single-queue, single-vCPU point every run had before sweeps. */
int sweep_point_is_default(const struct sweep_point *p);

/*
 * The point's name: "" for the default point, else "q<Q>v<V>"; the results
 * file is "<profile>.json" or "<profile>-q<Q>v<V>.json" (sweep_file_base).
 */
const char *sweep_point_name(const struct sweep_point *p, char *buf, size_t len);
const char *sweep_file_base(const char *profile, const struct sweep_point *p, char *buf,
			    size_t len);

#endif
