/* SPDX-License-Identifier: MIT */
/* Loading reports/tests/fixtures/ for the report's unit tests. */
#ifndef IRQPATH_REPORTS_TESTS_FIXTURE_H
#define IRQPATH_REPORTS_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "../results.h"

static inline void fixture_path(char *buf, size_t len, const char *name)
{
	const char *root = getenv("IRQPATH_ROOT");
	snprintf(buf, len, "%s/reports/tests/fixtures/%s", root ? root : ".", name);
}

/* Adds fixture NAME (a file or a run directory); fails the test on error. */
static inline void fixture_load(struct result_set *set, const char *name)
{
	char p[4096], err[512];
	fixture_path(p, sizeof(p), name);
	if (results_add(set, p, err, sizeof(err)))
		fail_msg("%s", err);
}

/* Whatever FN writes to a FILE, as a malloc'd string. */
#define CAPTURE(buf, call)                                                                         \
	do {                                                                                       \
		size_t len_ = 0;                                                                   \
		FILE *f = open_memstream(&(buf), &len_);                                           \
		assert_non_null(f);                                                                \
		call;                                                                              \
		fclose(f);                                                                         \
	} while (0)

#endif
