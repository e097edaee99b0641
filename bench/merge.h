/* SPDX-License-Identifier: MIT */
/* One repetition record from the VMM's and the tracer's reports. */
#ifndef IRQPATH_BENCH_MERGE_H
#define IRQPATH_BENCH_MERGE_H

#include <jansson.h>

/*
 * {"index","status":"ok","transactions","elapsed_s","metrics":{...},
 *  "counts":{...},"agreement":{...},"trace_note","exit_latency_log2_ns",
 *  "raw":{"vmm","trace"}}. TRACE may be NULL: host metrics are then null,
 * never zero.
 */
json_t *merge_repetition(int index, const json_t *vmm, const json_t *trace, const char *trace_note);

/* The common part of every runner's record: index, status, transactions,
 * elapsed_s, counts (metric_counts) and metrics (whole-run per transaction). */
json_t *merge_record(int index, const json_t *counts, double txn, double elapsed_s);

/*
 * Adds "baseline" {transactions, counts} and "marginal" (per transaction
 * from the difference of the two runs) to REP, from BASE, the record of a
 * run of fewer transactions. -1 when BASE has not fewer transactions.
 */
int merge_baseline(json_t *rep, const json_t *base);

/* {"index","status":"failed","error","metrics":{}} */
json_t *merge_failed(int index, const char *error);
/*
 * What the host saw against what the guest claims (irqpath-vmm checked the
 * guest against the VMM already): a transaction takes at least one VM
 * exit (its doorbell), so fewer host exits than transactions cannot be
 * true. 0 plausible (or no host counts), else -1 with why.
 */
int merge_check_host(const json_t *rep, char *why, size_t len);

/* summary: every metric key of the repetitions -> {mean, stddev, n} */
json_t *aggregate_summary(const json_t *reps);
/* agreement over all repetitions: guest and host totals, agree if all agree */
json_t *aggregate_agreement(const json_t *reps);
/* exit_latency_log2_ns summed over repetitions ({reason: {bucket: count}}),
 * null when no repetition has one (exits not from kvm_exit) */
json_t *aggregate_latency(const json_t *reps);

#endif
