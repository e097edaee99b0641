/* SPDX-License-Identifier: MIT */
/* The registry's metrics as a result set has them: which, in what order. */
#ifndef IRQPATH_REPORTS_METRICS_H
#define IRQPATH_REPORTS_METRICS_H

#include "../common/metrics.h"
#include "results.h"

struct metric_def {
	const char *key;
	const char *label; /* short, fits the 72-column table */
	int higher_better;
	int decimals;
	enum metric_group group;
	unsigned flags;		      /* MF_*; keys the registry lacks have none */
	const struct metric_row *row; /* NULL for a key the registry lacks */
};

/* Definition of KEY from its registry row (LABEL holds the label). */
const struct metric_def *metric_def(const char *key, struct metric_def *buf, char *label,
				    size_t labellen);

/*
 * Every metric key present in the set's summaries, in registry order
 * (family members by name inside their row), keys the registry lacks
 * last. A malloc'd array of borrowed strings; *n its length.
 */
const char **metric_keys(const struct result_set *set, size_t *n);

/* The keys of family FAMILY present in the set (e.g. M_EXITS_BY_REASON). */
const char **metric_members(const struct result_set *set, enum metric_id family, size_t *n);

#endif
