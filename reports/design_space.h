/* SPDX-License-Identifier: MIT */
/* irqpath-report design-space RUN: the virtio-mmio variants side by side. */
#ifndef IRQPATH_REPORTS_DESIGN_SPACE_H
#define IRQPATH_REPORTS_DESIGN_SPACE_H

/* argv[1]: a `make bench PROFILE=variants` run directory. 0, 1 (failed), 2 (usage). */
int cmd_design_space(int argc, char **argv);

#endif
