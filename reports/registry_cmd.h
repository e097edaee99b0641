/* SPDX-License-Identifier: MIT */
/* irqpath-report metrics [--check KEY...] */
#ifndef IRQPATH_REPORTS_REGISTRY_CMD_H
#define IRQPATH_REPORTS_REGISTRY_CMD_H

/* Prints the registry; with --check, 1 if any KEY is not in it. */
int cmd_metrics(int argc, char **argv);

#endif
