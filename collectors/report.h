/* SPDX-License-Identifier: MIT */
/* Turns counters into the irqpath-trace/1 JSON and the human tables. */
#ifndef IRQPATH_REPORT_H
#define IRQPATH_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "counts.h"
#include "decode.h"
#include "exit_names.h"
#include "layout.h"
#include "tracer.h"

struct report_ctx {
	const struct tracer *tracer;
	const struct layout *layout;
	const struct exit_names *names; /* kernel exit-reason table; NULL: none */
	int vcpu_filter;		/* -1: all */
	double duration_s;
};

/* Per-VM summary (keys of "totals"). */
json_t *report_totals(const struct counts *c, const struct report_ctx *rc, uint32_t pid,
		      int vcpu_tid_only, uint32_t tid);
/* The whole irqpath-trace/1 object for one pid (0: every VM together). */
json_t *report_snapshot(const struct counts *c, const struct report_ctx *rc, uint32_t pid);
/* The exit breakdown of one pid (0: all) for an interval: "exit_source",
 * "exits_by_reason" and, with kvm_exit, "exit_latency_log2_ns" (the
 * snapshot's keys; the live view renders them). */
json_t *report_exits(const struct counts *c, const struct report_ctx *rc, uint32_t pid);
/* Distinct VM pids in the counters, sorted; returns how many (<= max). */
int report_pids(const struct counts *c, uint32_t *pids, int max);

/* report_text.c: human output */
/* "p50 [512 ns, 1.02 us)  ▁▃█▂  256 ns..4.1 us" from a log2 histogram
 * {"<k>": n}; "" when it is empty. */
void report_hist_line(char *out, size_t len, json_t *h);
/* Short human summary of a snapshot (totals, exits by reason with their
 * median latency and a log2 sparkline). */
void report_summary(FILE *f, json_t *snap);
/* Exits by reason, one line each, from an object with report_exits' keys;
 * rates per second when interval_s > 0. */
void report_exit_lines(FILE *f, json_t *exits, double interval_s, const char *indent);

#endif
