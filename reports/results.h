/* SPDX-License-Identifier: MIT */
/* irqpath-results/1 files: loading, validation, access to metrics. */
#ifndef IRQPATH_REPORTS_RESULTS_H
#define IRQPATH_REPORTS_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#define RESULTS_SCHEMA_NAME "irqpath-results"
#define RESULTS_SCHEMA "irqpath-results/1"

struct result {
	char *path;
	json_t *doc;
	const char *profile; /* profile.name, or "name-q2v2" at a sweep point */
	const char *run_id;
	char label[96];		       /* profile, or profile@run when several runs share it */
	const char *transport_profile; /* profile.name itself */
	unsigned queues, vcpus;	       /* workload.queues/vcpus; 1 when absent */
	char point_profile[96];	       /* what profile points to at a sweep point */
};

struct result_set {
	size_t n;
	struct result *r;
};

/* Checks the document against irqpath-results/1; first problem into err. */
int results_validate(const json_t *doc, char *err, size_t errlen);

/*
 * Adds PATH: a results file, or a run directory (every *.json in it whose
 * schema is irqpath-results/1). Each file is validated. -1 and err on error.
 */
int results_add(struct result_set *set, const char *path, char *err, size_t errlen);

/* Orders pci, mmio-legacy, mmio-v3, then others by name; sets labels. */
void results_finish(struct result_set *set);
void results_free(struct result_set *set);

/* marginal_summary.<key> (runs with a baseline): mean/stddev, NaN when absent. */
double result_marginal_mean(const struct result *r, const char *key);
double result_marginal_stddev(const struct result *r, const char *key);

/* summary.<key>: mean/stddev (NaN when null or absent), n (0 when absent). */
double result_mean(const struct result *r, const char *key);
double result_stddev(const struct result *r, const char *key);
int result_n(const struct result *r, const char *key);
/* Non-null per-repetition values of KEY (status ok); returns how many. */
size_t result_samples(const struct result *r, const char *key, double *out, size_t max);
/* Value at repetition I (0-based among all), NaN if null/failed. */
double result_rep_value(const struct result *r, size_t i, const char *key);
size_t result_reps(const struct result *r);

/* What the report shows instead of host counts when a run had none. */
#define RESULT_NO_KVM "no KVM counters"
#define RESULT_NO_KVM_TCG "no KVM counters (TCG)"

/*
 * 0 when the file says kvm_counters: false (the guest did not run under
 * KVM, e.g. QEMU TCG): host counts do not exist, the reports say
 * RESULT_NO_KVM_TCG. Files without the field (micro-guest runs) are KVM.
 */
int result_kvm_counters(const struct result *r);
/* accel ("kvm", "tcg", "mixed"), "kvm" when absent. */
const char *result_accel(const struct result *r);
/* True for metrics counted on the host (not trans/s, latency, guest.*, vmm.*). */
int result_is_host_metric(const char *key);

#endif
