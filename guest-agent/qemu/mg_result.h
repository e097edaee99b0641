/* SPDX-License-Identifier: MIT */
/* What one run of irqpath-qemu-micro produced, as irqpath-qemu-micro/1 JSON
 * and as an irqpath-layout/1 file for irqpath-trace. */
#ifndef IRQPATH_MG_RESULT_H
#define IRQPATH_MG_RESULT_H

#include <jansson.h>
#include <sys/types.h>

#include "mg_frame.h"
#include "mg_qemu.h"
#include "mg_ram.h"

struct mg_outcome {
	const struct mg_qemu_cfg *cfg;
	char qemu_version[128];
	char *const *qemu_argv;
	pid_t qemu_pid;
	int qemu_wait_status; /* -1: not known */
	const char *netns, *tap;
	long long reflect_answered;   /* -1: not known */
	double t_start, t_run, t_end; /* monotonic s; 0 = not seen */
	int have_run, have_end, have_result;
	int window_checked; /* QEMU (QMP) confirmed the guest's device window */
	struct mg_line run, end, result;
	unsigned long tsc_khz; /* the vCPU's, from QMP; 0 = not known */
	int have_latency;
	struct mg_latency latency;
	char *qemu_state;     /* `info pic` + `info lapic` when the time limit hit, or NULL */
	int have_ram_mailbox; /* no result line, but the guest's RAM mailbox was read */
	struct gabi_mailbox ram_mailbox;
	char error[256]; /* empty: ok */
};

/* The irqpath-trace --device kind for the transport ("mmio-legacy"/"pci"). */
const char *mg_trace_kind(enum mg_machine m);
/* The result document (status "ok" when error is empty). */
json_t *mg_result_json(const struct mg_outcome *o);
/* irqpath-layout/1 from the guest's "run" line, or NULL (err set). */
json_t *mg_layout_json(const struct mg_outcome *o, char *err, size_t errlen);
/* Compares the mailbox the guest left in RAM with its result line (the
 * same counts through two channels). 0, or -1 with the first difference. */
int mg_check_mailbox(const struct mg_outcome *o, const struct gabi_mailbox *mb, char *err,
		     size_t errlen);
/* Checks the guest's result line: done == requested, state done, the
 * counts consistent. 0, or -1 with the reason in err. */
int mg_check_result(const struct mg_outcome *o, char *err, size_t errlen);

#endif
