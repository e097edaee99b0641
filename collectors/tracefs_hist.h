/* SPDX-License-Identifier: MIT */
/* In-kernel aggregation for the tracefs backend, where the kernel has hist
 * triggers (CONFIG_HIST_TRIGGERS): one `hist:keys=common_pid,...` trigger
 * per counter shape, keyed like the BPF map, on events outside kworkers
 * (`!(comm ~ "kworker*")`); the triggers' `hist` files are read and folded
 * into the counters. What a hist key cannot express streams instead:
 * kworker events (which VM a kworker injects for is state across the
 * workqueue events), kvm_exit/kvm_entry (the exit latency pairs events of
 * one thread; hist variables would need synthetic events). A trigger takes
 * at most 3 keys, so some shapes are split by a filter (the MMIO write
 * value under 256 or not; coalesced IOAPIC injections). */
#ifndef IRQPATH_TRACEFS_HIST_H
#define IRQPATH_TRACEFS_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "counts.h"

struct hist_spec {
	const char *event; /* kvm:<event> */
	const char *keys;  /* after hist:keys= */
	const char *cond;  /* its own filter, or NULL */
	int shape;	   /* how its keys become an irqt_key (tracefs_hist.c) */
};
extern const struct hist_spec hist_specs[];
extern const size_t hist_nspecs;

/* Events outside kworkers: what every trigger adds to its condition. */
#define HIST_NOT_KWORKER "!(comm ~ \"kworker*\")"

/* The trigger line for spec s ("hist:keys=...:size=N if ..."). */
void hist_trigger_text(const struct hist_spec *s, char *buf, size_t len);
/* 1 when the event has a spec: it streams only its kworker events. */
int hist_has_event(const char *event);

/* Maps a thread id to its process (the tracefs backend's lookup); learns
 * a thread's vCPU (from kvm_eoi's apicid; may be NULL). */
typedef uint32_t (*hist_tgid_fn)(void *ctx, uint32_t tid);
typedef void (*hist_vcpu_fn)(void *ctx, uint32_t tid, uint32_t vcpu);
struct hist_fns {
	hist_tgid_fn tgid;
	hist_vcpu_fn vcpu;
	void *ctx;
};

/* Folds the text of one event's `hist` file into out: every section whose
 * trigger info is one of the specs of `event`, each entry under its
 * thread's process (pid 0: every process). Adds the sections' "Dropped"
 * to *dropped. 0 ok, -1 out of memory or a malformed file. */
int hist_fold(struct counts *out, const char *event, const char *text, const struct hist_fns *fn,
	      uint32_t pid, uint64_t *dropped);

#endif
