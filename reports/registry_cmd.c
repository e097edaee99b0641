/* SPDX-License-Identifier: MIT */
/*
 * irqpath-report metrics: the registry (common/metrics.def) as a table, and
 * --check KEY...: does the registry know these metric names?
 */
#include "registry_cmd.h"
#include "../common/metrics.h"

#include <stdio.h>
#include <string.h>

static const char *group_name(enum metric_group g)
{
	return g == MG_THROUGHPUT ? "throughput" : g == MG_HOST ? "host" : "guest";
}

static const char *kind_name(enum metric_kind k)
{
	return k == MK_VALUE ? "value" : k == MK_COUNT ? "count" : "ratio";
}

static const char *better_name(enum metric_better b)
{
	return b == MB_HIGHER ? "higher" : b == MB_LOWER ? "lower" : "-";
}

static void print_rows(FILE *f)
{
	fputs("key\tlabel\tunit\tgroup\tkind\tbetter\ttable\tcompare\tsource\n", f);
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *r = &metric_rows[i];
		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->key, r->label, r->unit,
			group_name(r->group), kind_name(r->kind), better_name(r->better),
			r->flags & MF_TABLE ? "yes" : "no", r->flags & MF_COMPARE ? "yes" : "no",
			r->source);
	}
}

int cmd_metrics(int argc, char **argv)
{
	if (argc < 2) {
		print_rows(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--check")) {
		fprintf(stderr, "irqpath-report metrics: usage: metrics [--check KEY...]\n");
		return 2;
	}
	int unknown = 0;
	for (int i = 2; i < argc; i++) {
		if (metric_find(argv[i]))
			continue;
		fprintf(stderr, "irqpath-report metrics: %s: not in the registry\n", argv[i]);
		unknown++;
	}
	return unknown ? 1 : 0;
}
