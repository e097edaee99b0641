/* SPDX-License-Identifier: MIT */
/* A tracer backend: attaches to the KVM tracepoints, keeps cumulative
 * counts in the struct irqt_key model, detaches. Two implementations:
 * BPF (in-kernel aggregation) and tracefs (a private ftrace instance read
 * with libtraceevent). */
#ifndef IRQPATH_TRACER_H
#define IRQPATH_TRACER_H

#include <stddef.h>
#include <stdint.h>

#include "counts.h"

#define TRACER_MAX_MISSING 32
#define TRACER_MAX_VCPUS 256

/* The kvm tracepoints we count, in the order of the BPF programs. */
struct tracer_event {
	const char *name; /* kvm:<name> */
	int required;	  /* 0: attach only where it exists (kvm_exit/kvm_entry) */
	int opt_in;	  /* 1: only with --emulate-insn (one event per emulated instruction) */
};
extern const struct tracer_event tracer_events[];
extern const size_t tracer_nevents;

struct tracer {
	/* options */
	int pid;	  /* 0: every VM */
	int emulate_insn; /* also count kvm_emulate_insn */
	int bpf_stats;	  /* bpf: measure the programs' own run time (BPF_ENABLE_STATS) */
	/* filled by the backend */
	const char *backend;
	char missing[TRACER_MAX_MISSING][48];
	int nmissing;
	uint64_t lost;
	uint64_t bpf_run_cnt, bpf_run_ns; /* with bpf_stats */
	struct {
		uint32_t tid, vcpu;
	} vcpus[TRACER_MAX_VCPUS];
	int nvcpus;
	/* ops */
	int poll_ms;					   /* how often to call poll */
	int (*poll)(struct tracer *t);			   /* called every poll_ms; 0 ok */
	int (*read)(struct tracer *t, struct counts *out); /* cumulative counts; 0 ok */
	void (*close)(struct tracer *t);
	void *priv;
};

/* 0 ok; -1 error with err filled (the message names the problem). */
int tracer_open_bpf(struct tracer *t, char *err, size_t errlen);
int tracer_open_tracefs(struct tracer *t, char *err, size_t errlen);

/* helpers shared by the backends (tracer_common.c) */
const char *tracer_tracefs_dir(char *err, size_t errlen);
int tracer_event_exists(const char *tracefs, const char *name);
uint64_t tracer_kallsyms(const char *symbol);
int tracer_have_caps(int need_bpf);
void tracer_note_missing(struct tracer *t, const char *name);
void tracer_set_vcpu(struct tracer *t, uint32_t tid, uint32_t vcpu);
/* vcpu id of a thread, -1 if unknown */
int tracer_vcpu_of(const struct tracer *t, uint32_t tid);

#endif
