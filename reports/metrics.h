/* SPDX-License-Identifier: MIT */
/* The metrics a results file carries: display names, order, direction. */
#ifndef IRQPATH_REPORTS_METRICS_H
#define IRQPATH_REPORTS_METRICS_H

#include "results.h"

enum metric_group { MG_THROUGHPUT, MG_HOST, MG_GUEST };

struct metric_def {
	const char *key;
	const char *label; /* short, fits the 72-column table */
	int higher_better;
	int decimals;
	enum metric_group group;
};

/* Definition for KEY; dynamic keys (exits_per_txn.<cause>) get one built in BUF. */
const struct metric_def *metric_def(const char *key, struct metric_def *buf, char *label,
				    size_t labellen);

/*
 * Every metric key present in the set's summaries, in display order
 * (catalogue order, per-cause exits after the total, unknown keys last).
 * Returns a malloc'd array of borrowed strings; *n its length.
 */
const char **metric_keys(const struct result_set *set, size_t *n);

/* Exit causes present (the <cause> of exits_per_txn.<cause>, not "total"). */
const char **metric_exit_causes(const struct result_set *set, size_t *n);

#define EXITS_PREFIX "exits_per_txn."

#endif
