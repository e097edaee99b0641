/* SPDX-License-Identifier: MIT */
/* The irqpath-results/1 document of one profile (reports/README.md). */
#ifndef IRQPATH_BENCH_RESULTSDOC_H
#define IRQPATH_BENCH_RESULTSDOC_H

#include <jansson.h>

#include "config.h"

struct results_meta {
	const struct bench_config *cfg;
	const char *config_path, *runner_name;
	int qemu; /* a Linux guest under irqpath-qemu */
	const char *run_id, *commit, *created;
	long baseline;		   /* --baseline-transactions, 0 for none */
	const json_t *first_trace; /* the first repetition's tracer snapshot, or NULL */
	const char *trace_note;	   /* why there is none */
};

/* The document; REPS are the repetition records, HOST hostinfo_json(). */
json_t *results_document(const struct results_meta *m, const json_t *reps, const json_t *host);

#endif
