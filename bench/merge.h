/* SPDX-License-Identifier: MIT */
/* One repetition record from the VMM's and the tracer's reports. */
#ifndef IRQPATH_BENCH_MERGE_H
#define IRQPATH_BENCH_MERGE_H

#include <jansson.h>

/*
 * {"index","status":"ok","transactions","elapsed_s","metrics":{...},
 *  "agreement":{...},"trace_note","raw":{"vmm","trace"}}.
 * TRACE may be NULL: host metrics are then null, never zero.
 */
json_t *merge_repetition(int index, const json_t *vmm, const json_t *trace, const char *trace_note);

/* {"index","status":"failed","error","metrics":{}} */
json_t *merge_failed(int index, const char *error);

/* summary: every metric key of the repetitions -> {mean, stddev, n} */
json_t *aggregate_summary(const json_t *reps);
/* agreement over all repetitions: guest and host totals, agree if all agree */
json_t *aggregate_agreement(const json_t *reps);

#endif
