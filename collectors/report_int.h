/* SPDX-License-Identifier: MIT */
/* What report.c shares with report_vcpu.c (the per-vCPU, IPI and
 * per-queue parts of the snapshot): the decoded key set and its folds. */
#ifndef IRQPATH_REPORT_INT_H
#define IRQPATH_REPORT_INT_H

#include "report.h"

/* The selected keys of one report, each decoded once. */
struct dec_item {
	const struct irqt_key *k;
	uint64_t v;
	struct decoded d;
};
struct dec_set {
	struct dec_item *v;
	size_t n;
	int have_hw; /* kvm_exit fired for the selection */
};

/* The threads of one per-vCPU row: VM pid, and the vCPU index or, for a
 * thread no map names, its tid (vcpu -1). */
struct vcpu_sel {
	const struct report_ctx *rc;
	uint32_t pid;
	int vcpu;
	uint32_t tid;
};
/* 1 when k fired in a thread of the row. */
int report_thread_in(const struct vcpu_sel *sel, const struct irqt_key *k);

void report_add_u64(json_t *obj, const char *key, uint64_t n);
json_t *report_sub_obj(json_t *obj, const char *key);
/* The totals object with every key at 0. */
json_t *report_totals_zero(void);
/* Adds a key's count under its totals key; exits are summed into *hw
 * (kvm_exit) and *derived (MMIO + PIO + MSR) for the caller to pick. */
void report_total_add(json_t *t, const struct irqt_key *k, uint64_t v, uint64_t *hw,
		      uint64_t *derived);

enum { FOLD_LATENCY = 1, FOLD_OPEN = 2 };
/* exits_by_reason (and, with flags, latency and open exits) of the set or
 * of one row's threads (sel NULL: all). */
void report_fold_exits(json_t *out, const struct dec_set *s, const struct vcpu_sel *sel, int flags);

/* report_vcpu.c: "per_vcpu", "ipis" and "per_queue" of a snapshot. */
json_t *report_per_vcpu(const struct report_ctx *rc, uint32_t pid, const struct dec_set *s);
json_t *report_ipis(const struct report_ctx *rc, uint32_t pid, const struct dec_set *s);
json_t *report_per_queue(const struct report_ctx *rc, json_t *notifies, json_t *msi_by_vector);
/* A vCPU's name in per_vcpu and ipis: "<index>", or "<pid>/<index>" when
 * the snapshot covers every VM (pid 0); vcpu -1: "tid-N". */
void report_vcpu_name(char *buf, size_t len, uint32_t snap_pid, uint32_t pid, int vcpu,
		      uint32_t tid);

#endif
