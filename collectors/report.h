/* SPDX-License-Identifier: MIT */
/* Turns counters into the irqpath-trace/1 JSON and the human tables. */
#ifndef IRQPATH_REPORT_H
#define IRQPATH_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "counts.h"
#include "layout.h"
#include "tracer.h"

struct report_ctx {
	const struct tracer *tracer;
	const struct layout *layout;
	int vcpu_filter; /* -1: all */
	double duration_s;
};

/* Per-VM summary (keys of "totals"). */
json_t *report_totals(const struct counts *c, const struct report_ctx *rc, uint32_t pid,
		      int vcpu_tid_only, uint32_t tid);
/* The whole irqpath-trace/1 object for one pid (0: every VM together). */
json_t *report_snapshot(const struct counts *c, const struct report_ctx *rc, uint32_t pid);
/* Distinct VM pids in the counters, sorted; returns how many (<= max). */
int report_pids(const struct counts *c, uint32_t *pids, int max);
/* Human table of the top events of one interval, per VM. */
void report_live_table(FILE *f, const struct counts *delta, const struct report_ctx *rc,
		       double interval_s, int top);
/* Short human summary of a snapshot. */
void report_summary(FILE *f, json_t *snap);
/* Name of a KVM_EXIT_* reason. */
const char *report_userspace_exit_name(uint64_t reason, char *buf, size_t len);

#endif
