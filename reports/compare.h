/* SPDX-License-Identifier: MIT */
/* A/B comparison: mean, %change, stddev, permutation-test significance. */
#ifndef IRQPATH_REPORTS_COMPARE_H
#define IRQPATH_REPORTS_COMPARE_H

#include <jansson.h>
#include <stdio.h>

#include "results.h"

/*
 * Compares every metric of every profile present in both sets (or, when
 * one profile of each side is unmatched, those two with each other: one
 * transport against another), names profiles found on one side only,
 * lists settings that differ and attributes the per-transaction exit
 * difference row by row. Prints the
 * LKP-style table to F and returns a JSON summary (irqpath-compare/1);
 * *nsig gets the number of significant changes.
 */
json_t *compare_sets(const struct result_set *base, const struct result_set *new, FILE *f,
		     int *nsig);

/*
 * The settings (profile, workload, host, tracer fields) whose values differ
 * between BASE and NEW: [{setting, base, new}], values as text.
 */
json_t *compare_settings(const struct result *base, const struct result *new);

/*
 * For a report of several profiles: each against the reference (pci, else
 * the first), per table metric means, %change, p and the verdict, at most
 * 72 columns.
 */
void compare_brief(const struct result_set *set, FILE *f);

#endif
