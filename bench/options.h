/* SPDX-License-Identifier: MIT */
/* irqpath-bench's command line. */
#ifndef IRQPATH_BENCH_OPTIONS_H
#define IRQPATH_BENCH_OPTIONS_H

struct opts {
	const char *profile, *config_dir, *out, *run_id, *vmm, *trace, *guest;
	const char *guest_kind, *vmm_kind, *qemu;
	long repetitions, transactions, warmup, duration, baseline;
	int no_trace, quiet;
};

/* Fills O from the command line; -1 (message printed) on bad usage. */
int options_parse(int argc, char **argv, struct opts *o);

#endif
