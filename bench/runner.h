/* SPDX-License-Identifier: MIT */
/*
 * How one repetition is executed. The micro-guest runner runs irqpath-vmm
 * under irqpath-trace and fills vmm + trace; the qemu runner
 * (runner_qemu.c, GUEST=linux VMM=qemu) runs irqpath-qemu and fills linux_doc
 * (irqpath-linux/1). Each runner turns its output into the repetition
 * record of irqpath-results/1 with its record() function.
 */
#ifndef IRQPATH_BENCH_RUNNER_H
#define IRQPATH_BENCH_RUNNER_H

#include <jansson.h>

#include "config.h"
#include "proc.h"

struct runner_tools {
	const char *vmm;			 /* irqpath-vmm */
	const char *trace;			 /* irqpath-trace, NULL when not available */
	const char *guest;			 /* micro-guest ELF */
	const char *qemu;			 /* irqpath-qemu, NULL when not found */
	const char *linux_kernel, *linux_initrd; /* make guest-linux */
	const char *qemu_micro;			 /* irqpath-qemu-micro, NULL when unused */
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
	json_t *vmm;	    /* irqpath-vmm/1 or NULL on failure */
	json_t *trace;	    /* irqpath-trace/1 or NULL (see trace_note) */
	json_t *linux_doc;  /* irqpath-linux/1 (qemu runner) or NULL */
	json_t *qemu_micro; /* irqpath-qemu-micro/1 (qemu-micro runner) or NULL */
	char trace_note[256];
	char error[512]; /* why the repetition failed */
	int interrupted;
};

struct runner {
	const char *name;
	/* 0 ok; -1 the repetition failed (error says why) */
	int (*run)(const struct runner_job *job, struct runner_output *out);
	/*
	 * The repetition record of a successful run (see bench/merge.h). Build
	 * it with merge_record() from metric_counts() of the run's documents:
	 * its "counts" are what --baseline-transactions subtracts.
	 */
	json_t *(*record)(int index, const struct runner_output *out);
	int warmup; /* 0: the runner has no separate warm-up run */
};

/*
 * Which sweep points (--queues/--vcpus) runner R runs: 0 only 1 queue pair
 * on 1 vCPU; RUNNER_SWEEP_ANY any (it reads cfg->queues, cfg->vcpus);
 * RUNNER_SWEEP_QUEUE_PER_VCPU points with queues >= vcpus (the micro-guest).
 */
#define RUNNER_SWEEP_ANY 1
#define RUNNER_SWEEP_QUEUE_PER_VCPU 2
int runner_sweeps(const struct runner *r);

/* runner_qemu.c: a Linux guest under irqpath-qemu */
extern const struct runner runner_qemu_linux;
/* runner_vmm_linux.c: a Linux guest on irqpath-vmm (VMX/SVM hosts) */
extern const struct runner runner_vmm_linux;

/* runner_qemu_micro.c: the micro-guest on QEMU's devices, traced by QEMU's pid */
extern const struct runner runner_qemu_micro;

/* The runner for a profile's guest and vmm, or NULL. */
const struct runner *runner_for(const struct bench_config *cfg);

void runner_output_free(struct runner_output *out);

#endif
