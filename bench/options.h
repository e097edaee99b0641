/* SPDX-License-Identifier: MIT */
/* irqpath-bench's command line. */
#ifndef IRQPATH_BENCH_OPTIONS_H
#define IRQPATH_BENCH_OPTIONS_H

#include "sweep.h"

struct opts {
	const char *profile, *config_dir, *out, *run_id, *vmm, *trace, *guest;
	const char *guest_kind, *vmm_kind, *qemu;
	const char *queues, *vcpus; /* sweep lists (sweep.h), NULL: not given */
	long repetitions, transactions, warmup, duration, baseline;
	int no_trace, quiet;
	struct sweep sweep; /* the points; one (1 queue, 1 vCPU) without a sweep */
};

/* Fills O from the command line; -1 (message printed) on bad usage. */
int options_parse(int argc, char **argv, struct opts *o);

#endif
