/* SPDX-License-Identifier: MIT */
/* The headline table: trans/s per profile, then what each transaction cost. */
#ifndef IRQPATH_REPORTS_SUMMARY_H
#define IRQPATH_REPORTS_SUMMARY_H

#include <stdio.h>

#include "results.h"
#include "tab.h"

/* Lines (each <= 72 columns) saying what was run, where and how. */
void summary_header(const struct result_set *set, FILE *f);

/*
 * Fills T: one value column per result. SPREAD adds "± stddev" to every
 * mean (Markdown/HTML); without it the table is the mailing-list one.
 */
void summary_table(const struct result_set *set, struct tab *t, int spread);

/*
 * Exits per transaction by reason and vCPU (kvm_exit hosts' per_vcpu),
 * one column per result; returns the number of rows (0: nothing to show).
 */
int summary_vcpu_table(const struct result_set *set, struct tab *t, int spread);

/* Caveats that apply to these results (nested host, missing tracer, ...). */
void summary_notes(const struct result_set *set, FILE *f);

/* Per non-reference profile: how its per-transaction costs differ, wrapped
 * at 72 columns (the attribution under the mailing-list table). */
void summary_attribution(const struct result_set *set, FILE *f);

/*
 * "A - B" exits per transaction by reason (marginal when both runs have
 * it), each row attributed to the events that cause that exit reason.
 * Nothing when A or B (profile names) is missing or has no host counts.
 */
void summary_difference(const struct result_set *set, const char *a, const char *b, FILE *f);

/* The same for two results (e.g. from two runs: compare BASE NEW). */
void summary_difference_pair(const struct result *a, const struct result *b, FILE *f);

/* "  interrupt path: status reads -1.06, acks -1.00, ..." A - B per
 * transaction, the non-exit events, wrapped at 72 columns. */
void summary_path_difference(const struct result *a, const struct result *b, FILE *f);

/* The reference column for "vs": pci if present, else the first. */
size_t summary_reference(const struct result_set *set);

#endif
