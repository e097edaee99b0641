/* SPDX-License-Identifier: MIT */
/* A/B comparison: mean, %change, stddev, permutation-test significance. */
#ifndef IRQPATH_REPORTS_COMPARE_H
#define IRQPATH_REPORTS_COMPARE_H

#include <jansson.h>
#include <stdio.h>

#include "results.h"

/*
 * Compares every metric of every profile present in both sets. Prints the
 * LKP-style table to F and returns a JSON summary (irqpath-compare/1);
 * *nsig gets the number of significant changes.
 */
json_t *compare_sets(const struct result_set *base, const struct result_set *new, FILE *f,
		     int *nsig);

#endif
