/* SPDX-License-Identifier: MIT */
/* One run of irqpath-qemu-micro: peer up, QEMU, the report, clean-up. */
#ifndef IRQPATH_MICRO_RUN_H
#define IRQPATH_MICRO_RUN_H

#include "mg_qemu.h"

struct mg_opts {
	struct mg_qemu_cfg cfg;
	int have_machine, hold, quiet, timeout_s;
	const char *json, *layout, *pid_file, *reflect, *console_keep;
};

/* Returns the exit status (0, 1 or 130). */
int mg_run_all(struct mg_opts *o);

#endif
