/* SPDX-License-Identifier: MIT */
/*
 * The metric registry (rows in common/metrics.def) and how a run's
 * documents become metrics: raw counts from each row's source, then per
 * transaction (whole run, or marginal against a baseline run), then the
 * mean/stddev/n summary over repetitions. Plain C + jansson: irqpath-bench,
 * irqpath-report and irqpath-trace can all use it.
 */
#ifndef IRQPATH_COMMON_METRICS_H
#define IRQPATH_COMMON_METRICS_H

#include <jansson.h>
#include <stddef.h>

enum metric_group { MG_THROUGHPUT, MG_HOST, MG_GUEST };
enum metric_better { MB_NONE, MB_HIGHER, MB_LOWER };
enum metric_kind { MK_VALUE, MK_COUNT, MK_RATIO };

#define MF_TABLE 1u    /* a row of the report's main table */
#define MF_COMPARE 2u  /* compared by compare and history */
#define MF_HEADLINE 4u /* one of history's charts */

/* M_TRANS_PER_S, M_EXITS, ...: one per row of metrics.def */
enum metric_id {
#define METRIC(id, ...) id,
#include "metrics.def"
#undef METRIC
	M_COUNT
};

struct metric_row {
	enum metric_id id;
	const char *key; /* may hold %s (a family) */
	const char *label;
	const char *unit;
	enum metric_group group;
	int decimals;
	enum metric_better better;
	enum metric_kind kind;
	unsigned flags;
	const char *source;
	const char *accounts; /* exit reasons one event causes, "a,b" */
};

extern const struct metric_row metric_rows[];
extern const size_t metric_nrows;

#define METRIC_KEY_MAX 128
#define METRIC_LABEL_MAX 64

/* The key of a plain row (not a family). */
const char *metric_key(enum metric_id id);
/* KEY of family ID's member MEMBER (a member name as in the source). */
const char *metric_member_key(enum metric_id id, const char *member, char *buf, size_t len);
/* If KEY is a member of family ID: its member name (the last %s) into BUF. */
const char *metric_member_of(const char *key, enum metric_id id, char *buf, size_t len);

/* A source's member name as a key part: lower case, [a-z0-9_]. */
void metric_member_name(const char *member, char *out, size_t len);

/* The row KEY belongs to (itself or a family member), or NULL. */
const struct metric_row *metric_find(const char *key);
/*
 * If KEY is a member of family ID: how many members it names (1 or 2, in
 * order, into MEMBERS: "vcpu.1.interrupts_per_txn.65" -> "1", "65"), else 0.
 */
int metric_members_of(const char *key, enum metric_id id, char members[2][METRIC_KEY_MAX]);
/* Display label of KEY (a family's member filled in, upper-cased). */
const char *metric_label(const char *key, char *buf, size_t len);
/* 1 if the row is a family (its key holds %s), 0 for a row of its own. */
int metric_is_family(const struct metric_row *r);
/* 1 if REASON is listed in the row's accounts (case-sensitive). */
int metric_accounts_for(const struct metric_row *r, const char *reason);
/* Registry order of KEY's row (families: members sort by name inside). */
size_t metric_rank(const char *key);

/* The documents one run produced; NULL when the run has none of that kind. */
struct metric_docs {
	const json_t *trace;	 /* irqpath-trace/1 */
	const json_t *vmm;	 /* irqpath-vmm/1 */
	const json_t *linux_doc; /* irqpath-linux/1 + irqs_by_queue */
};

/*
 * Every metric of the registry for one run: {key: count} (MK_COUNT),
 * {key: value} (MK_VALUE), {key: [numerator, denominator]} (MK_RATIO);
 * null where the source's document is missing. Rows whose every source
 * document is absent are left out, and so are guest rows that are unknown.
 */
json_t *metric_counts(const struct metric_docs *d);

/* Whole-run figures: count / TXN, value, numerator / denominator. */
json_t *metric_whole_run(const json_t *counts, double txn);

/*
 * Marginal figures from a run of N and a baseline run of B transactions:
 * (count(N) - count(B)) / (N - B); values and ratios (per event) of the N
 * run. A key absent from the baseline counts 0 there.
 */
json_t *metric_marginal(const json_t *counts_n, double n, const json_t *counts_b, double b);

/*
 * {key: {mean, stddev, n}} over the ok repetitions' FIELD objects
 * ("metrics" or "marginal"); every key any repetition has.
 */
json_t *metric_summarize(const json_t *reps, const char *field);

/* Number at PATH (dot-separated, '*', '[f=v]') in DOC; see metrics.def. */
double metric_path_value(const json_t *doc, const char *path, int absent_is_zero);

#endif
