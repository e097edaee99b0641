/* SPDX-License-Identifier: MIT */
#include "metrics.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct metric_def catalogue[] = {
    {"trans_per_s", "trans/s", 1, 0, MG_THROUGHPUT},
    {"latency_p50_us", "latency p50 us", 0, 1, MG_THROUGHPUT},
    {"latency_p90_us", "latency p90 us", 0, 1, MG_THROUGHPUT},
    {"latency_p99_us", "latency p99 us", 0, 1, MG_THROUGHPUT},
    {"latency_mean_us", "latency mean us", 0, 1, MG_THROUGHPUT},
    {"exits_per_txn.total", "exits, all causes", 0, 2, MG_HOST},
    /* exits_per_txn.<cause> go here */
    {"userspace_exits_per_txn", "userspace exits", 0, 2, MG_HOST},
    {"status_reads_per_txn", "InterruptStatus reads", 0, 2, MG_HOST},
    {"acks_per_txn", "InterruptACK writes", 0, 2, MG_HOST},
    {"notifies_per_txn.rx", "notifies rx", 0, 2, MG_HOST},
    {"notifies_per_txn.tx", "notifies tx", 0, 2, MG_HOST},
    {"ioapic_set_irq_per_txn", "IOAPIC set_irq", 0, 2, MG_HOST},
    {"ioapic_eoi_per_txn", "IOAPIC EOIs", 0, 2, MG_HOST},
    {"lapic_eoi_per_txn", "LAPIC EOIs (x2APIC)", 0, 2, MG_HOST},
    {"msis_per_txn.rx", "MSIs rx", 0, 2, MG_HOST},
    {"msis_per_txn.tx", "MSIs tx", 0, 2, MG_HOST},
    {"msis_per_txn.config", "MSIs config", 0, 2, MG_HOST},
    {"guest.interrupts_per_txn.rx", "guest irqs rx", 0, 2, MG_GUEST},
    {"guest.interrupts_per_txn.tx", "guest irqs tx", 0, 2, MG_GUEST},
    {"guest.interrupts_per_txn.config", "guest irqs config", 0, 2, MG_GUEST},
    /* a Linux guest on virtio-mmio: one interrupt line for every queue */
    {"guest.interrupts_per_txn.all", "guest irqs, one line", 0, 2, MG_GUEST},
    {"guest.status_reads_per_txn", "guest status reads", 0, 2, MG_GUEST},
    {"guest.acks_per_txn", "guest acks", 0, 2, MG_GUEST},
    {"vmm.userspace_exits_per_txn", "VMM userspace exits", 0, 2, MG_GUEST},
};
#define NCAT (sizeof(catalogue) / sizeof(catalogue[0]))
#define EXITS_TOTAL_AT 5 /* index of exits_per_txn.total */

const struct metric_def *metric_def(const char *key, struct metric_def *buf, char *label,
				    size_t labellen)
{
	for (size_t i = 0; i < NCAT; i++)
		if (!strcmp(catalogue[i].key, key))
			return &catalogue[i];
	buf->key = key;
	buf->higher_better = 0;
	buf->decimals = 2;
	buf->group = !strncmp(key, "guest.", 6) || !strncmp(key, "vmm.", 4) ? MG_GUEST : MG_HOST;
	if (!strncmp(key, EXITS_PREFIX, strlen(EXITS_PREFIX))) {
		snprintf(label, labellen, "  %s", key + strlen(EXITS_PREFIX));
		for (char *p = label; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	} else {
		snprintf(label, labellen, "%s", key);
	}
	buf->label = label;
	return buf;
}

static int has_key(const char **keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* all summary keys of the set, de-duplicated and sorted */
static const char **all_keys(const struct result_set *set, size_t *n)
{
	const char **keys = NULL;
	*n = 0;
	for (size_t i = 0; i < set->n; i++) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(set->r[i].doc, "summary"), k, v)
		{
			if (has_key(keys, *n, k))
				continue;
			const char **nk = realloc(keys, (*n + 1) * sizeof(*nk));
			if (!nk)
				return keys;
			keys = nk;
			keys[(*n)++] = k;
		}
	}
	if (*n)
		qsort(keys, *n, sizeof(*keys), cmp_str);
	return keys;
}

const char **metric_exit_causes(const struct result_set *set, size_t *n)
{
	size_t na;
	const char **all = all_keys(set, &na);
	const char **out = calloc(na + 1, sizeof(*out));
	*n = 0;
	for (size_t i = 0; out && i < na; i++)
		if (!strncmp(all[i], EXITS_PREFIX, strlen(EXITS_PREFIX)) &&
		    strcmp(all[i], EXITS_PREFIX "total"))
			out[(*n)++] = all[i] + strlen(EXITS_PREFIX);
	free(all);
	return out;
}

const char **metric_keys(const struct result_set *set, size_t *n)
{
	size_t na;
	const char **all = all_keys(set, &na);
	const char **out = calloc(na + 1, sizeof(*out));
	*n = 0;
	if (!out) {
		free(all);
		return NULL;
	}
	for (size_t c = 0; c < NCAT; c++) {
		if (has_key(all, na, catalogue[c].key))
			out[(*n)++] = catalogue[c].key;
		if (c == EXITS_TOTAL_AT)
			for (size_t i = 0; i < na; i++)
				if (!strncmp(all[i], EXITS_PREFIX, strlen(EXITS_PREFIX)) &&
				    !has_key(out, *n, all[i]))
					out[(*n)++] = all[i];
	}
	for (size_t i = 0; i < na; i++)
		if (!has_key(out, *n, all[i]))
			out[(*n)++] = all[i];
	free(all);
	return out;
}
