/* SPDX-License-Identifier: MIT */
/*
 * Every count reconciled: where the host (irqpath-trace), the VMM and the
 * guest count the same thing, the three side by side with "agree" or the
 * difference and why; the IOAPIC line's raises, lowers and coalesced
 * injections as separate rows, explained against the deliveries; the
 * teardown lower attributed; EOIs named for what they are on this host.
 */
#ifndef IRQPATH_REPORTS_RECONCILE_H
#define IRQPATH_REPORTS_RECONCILE_H

#include <stdio.h>

#include "results.h"

/*
 * Prints, per profile with both raw documents (trace and VMM), its
 * reconciled totals over the ok repetitions, at most 72 columns. Returns
 * the number of rows whose counts differ with no explanation.
 */
int reconcile_print(const struct result_set *set, FILE *f);

#endif
