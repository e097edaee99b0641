/* SPDX-License-Identifier: MIT */
/*
 * How one repetition is executed. The micro-guest runner runs irqpath-vmm
 * under irqpath-trace; a later runner (VMM=qemu GUEST=linux) plugs in by
 * filling the same output: an irqpath-vmm/1-shaped document (converted from
 * its own JSON) and the tracer's irqpath-trace/1.
 */
#ifndef IRQPATH_BENCH_RUNNER_H
#define IRQPATH_BENCH_RUNNER_H

#include <jansson.h>

#include "config.h"
#include "proc.h"

struct runner_tools {
	const char *vmm;   /* irqpath-vmm */
	const char *trace; /* irqpath-trace, NULL when not available */
	const char *guest; /* micro-guest ELF */
};

struct runner_job {
	const struct bench_config *cfg;
	const struct runner_tools *tools;
	const char *workdir;	    /* private temp dir for this run's files */
	unsigned long transactions; /* overrides cfg (warm-up) when non-zero */
	int traced;		    /* 0: warm-up, no tracer */
	proc_tick_fn tick;	    /* progress while waiting */
	void *tick_arg;
};

struct runner_output {
	json_t *vmm;   /* irqpath-vmm/1 or NULL on failure */
	json_t *trace; /* irqpath-trace/1 or NULL (see trace_note) */
	char trace_note[256];
	char error[512]; /* why the repetition failed */
	int interrupted;
};

struct runner {
	const char *name;
	/* 0 ok; -1 the repetition failed (error says why) */
	int (*run)(const struct runner_job *job, struct runner_output *out);
};

/* The runner for a profile's guest, or NULL. */
const struct runner *runner_for(const struct bench_config *cfg);

void runner_output_free(struct runner_output *out);

#endif
