/* SPDX-License-Identifier: MIT */
/*
 * The path from the guest's mailbox to the results: one snapshot of the
 * mailbox (each byte read once), its "guest" object with every string
 * escaped (guest_text.h), and one validation of every count the guest
 * reported against what the VMM itself saw. A count that cannot be true
 * marks the run "implausible" instead of being published as a result.
 * KVM-free: unit-tested and fuzzed (fuzz/fuzz_mailbox.c).
 */
#ifndef IRQPATH_VMM_GUEST_RESULTS_H
#define IRQPATH_VMM_GUEST_RESULTS_H

#include <jansson.h>
#include <stdint.h>
#include "irqpath/guest_abi.h"

/*
 * No event the guest counts (an exit, an interrupt, a doorbell) takes less
 * than a nanosecond: a count above elapsed seconds x this rate is not real.
 */
#define GUEST_MAX_EVENTS_PER_S 1e9
#define GUEST_MAX_MSI_VECTORS 2048u /* MSI-X's limit */
#define GUEST_MAX_PROBLEMS 8u	    /* problems listed; the rest are counted */

/* What the VMM saw during the run, independent of the guest's word. */
struct guest_seen {
	uint64_t transactions_asked; /* --transactions; 0: until stopped */
	uint64_t tx_buffers;	     /* request frames the device took */
	uint64_t rx_buffers;	     /* response frames the device delivered */
	double elapsed_s;	     /* the vCPU's run time */
};

/* Copies the guest's mailbox once; later reads cannot change under us. */
void guest_snapshot(struct gabi_mailbox *dst, const volatile struct gabi_mailbox *src);

/* The "guest" object of irqpath-vmm/1 (queue names: nq of them, nq <= 2). */
json_t *guest_results_json(const struct gabi_mailbox *mb, const char *const *queue_names,
			   unsigned nq);

/*
 * Checks every count of mb against seen; appends at most GUEST_MAX_PROBLEMS
 * descriptions to problems (a JSON array, may be NULL). Returns how many
 * counts cannot be true (0: plausible).
 */
unsigned guest_counts_check(const struct gabi_mailbox *mb, const struct guest_seen *seen,
			    json_t *problems);

/*
 * Per-vCPU counts (struct gabi_vcpu, n of them): guest.per_vcpu, keyed by
 * vCPU index.
 */
json_t *guest_per_vcpu_json(const struct gabi_vcpu *vc, unsigned n);

/* What the device saw per queue pair (tx/rx frames), for the per-vCPU check. */
struct guest_pairs_seen {
	const uint64_t *tx_buffers, *rx_buffers; /* indexed by pair */
	unsigned pairs;
};

/*
 * Per-vCPU counts against the mailbox totals (their sums must be equal)
 * and vCPU i's transactions against pair i's frames. Appends problems like
 * guest_counts_check; returns how many counts cannot be true.
 */
unsigned guest_vcpu_check(const struct gabi_mailbox *mb, const struct gabi_vcpu *vc, unsigned n,
			  const struct guest_pairs_seen *seen, json_t *problems);

#endif
