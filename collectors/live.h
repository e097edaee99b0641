/* SPDX-License-Identifier: MIT */
/* The live view's model: one row per event kind of a VM, in classes shown
 * top to bottom (exits first, then registers, queues, vectors, EOIs,
 * other), with the interval's count and the count since the start; sort
 * and filter options; the table and the JSON line built from the rows. */
#ifndef IRQPATH_LIVE_H
#define IRQPATH_LIVE_H

#include <jansson.h>
#include <regex.h>
#include <stdio.h>

#include "counts.h"
#include "report.h"

enum live_class {
	LIVE_EXITS,
	LIVE_REGISTERS,
	LIVE_QUEUES,
	LIVE_VECTORS,
	LIVE_EOIS,
	LIVE_OTHER,
	LIVE_VCPUS, /* per vCPU: exits, MSIs, APIC accepts, EOIs, IPIs sent/received */
	LIVE_NCLASSES
};
extern const char *const live_class_names[LIVE_NCLASSES];

enum live_sort { LIVE_SORT_RATE, LIVE_SORT_TOTAL, LIVE_SORT_NAME };

struct live_opts {
	enum live_sort sort;
	unsigned classes; /* bit per enum live_class; 0 = all */
	int have_filter;
	regex_t filter; /* on the row's label */
	char filter_text[128];
	int top; /* rows per class (the exits total row not counted) */
};

struct live_row {
	int cls;
	char label[LAYOUT_JOINED + 64];
	char reason[64]; /* exit rows: the reason (key of exits_by_reason) */
	int is_total;	 /* the "exits (all)" row */
	uint64_t n;	 /* this interval */
	uint64_t total;	 /* since the start */
};

struct live_rows {
	struct live_row *v;
	size_t n, cap;
};

/* Option parsing; 0 ok, -1 with err naming the problem. */
int live_parse_sort(struct live_opts *o, const char *s, char *err, size_t errlen);
int live_parse_classes(struct live_opts *o, const char *s, char *err, size_t errlen);
int live_parse_filter(struct live_opts *o, const char *s, char *err, size_t errlen);
void live_opts_free(struct live_opts *o);
const char *live_sort_name(enum live_sort s);

/* The rows of one VM (every event seen since the start), selected,
 * sorted and cut to `top` per class. 0 ok, -1 out of memory. */
int live_rows_build(struct live_rows *out, const struct counts *delta, const struct counts *cur,
		    const struct report_ctx *rc, uint32_t pid, const struct live_opts *o);
void live_rows_free(struct live_rows *r);

/* The table of one interval, every VM (live_text.c). */
void live_table(FILE *f, const struct counts *delta, const struct counts *cur,
		const struct report_ctx *rc, double interval_s, const struct live_opts *o);
/* One irqpath-trace-live/1 line (live_json.c); NULL when out of memory. */
json_t *live_json(const struct counts *delta, const struct counts *cur, const struct report_ctx *rc,
		  double interval_s, unsigned seq, const struct live_opts *o);

#endif
