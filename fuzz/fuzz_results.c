// SPDX-License-Identifier: MIT
/*
 * The results-file reader of irqpath-report (reports/results.c): load,
 * schema check, validation against irqpath-results/1, then every accessor
 * the report uses over each summary key of an accepted file.
 *
 * The input is handed over as a real file (a memfd named through
 * /proc/self/fd), so the same path-based loader the tool runs is fuzzed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "results.h"

static int fd = -1;
static char path[64];

static void exercise(const struct result *r)
{
	double out[64];
	const char *key;
	json_t *v;

	FUZZ_ASSERT(r->profile && r->run_id);
	json_object_foreach(json_object_get(r->doc, "summary"), key, v)
	{
		(void)result_mean(r, key);
		(void)result_stddev(r, key);
		(void)result_n(r, key);
		size_t n = result_samples(r, key, out, 64);
		FUZZ_ASSERT(n <= 64 && n <= result_reps(r));
		for (size_t i = 0; i < n; i++)
			FUZZ_ASSERT(!isnan(out[i]));
		for (size_t i = 0; i < result_reps(r) && i < 64; i++)
			(void)result_rep_value(r, i, key);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result_set set = {0};
	char err[1024];

	if (fd < 0) {
		fd = memfd_create("irqpath-fuzz-results.json", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	err[0] = '\0';
	if (results_add(&set, path, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(set.n == 1);
		/* The same document twice: exercises ordering and run labels. */
		if (results_add(&set, path, err, sizeof(err)) == 0) {
			results_finish(&set);
			FUZZ_ASSERT(set.n == 2);
			FUZZ_ASSERT(memchr(set.r[0].label, '\0', sizeof(set.r[0].label)));
		}
		for (size_t i = 0; i < set.n; i++)
			exercise(&set.r[i]);
	} else {
		FUZZ_ASSERT(err[0] != '\0' && set.n == 0);
	}
	results_free(&set);
	return 0;
}
