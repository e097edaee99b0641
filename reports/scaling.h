/* SPDX-License-Identifier: MIT */
/*
 * The scaling section: when a run directory holds a profile at several
 * queue counts (irqpath-bench --queues 1,2,4), per transport aggregate
 * trans/s and exits / interrupts / IPIs per transaction against queue
 * pairs (a table; charts in scaling_charts.c) and a per-vCPU x per-vector
 * interrupt heat map counted on the host.
 */
#ifndef IRQPATH_REPORTS_SCALING_H
#define IRQPATH_REPORTS_SCALING_H

#include <stdio.h>

#include "results.h"

#define SCALING_MAX_ROWS 64

/* One sweep point of one profile. Per transaction: marginal when the run
 * has a baseline, else whole-run; NaN when not measured. */
struct scaling_row {
	const struct result *r;
	const char *profile; /* profile.name: the transport's profile */
	unsigned queues, vcpus;
	double trans_per_s, exits, irqs, ipis;
	int irqs_guest, ipis_guest; /* no host count: the guest's own */
	int host_cpus;		    /* host.cpus, read when the run ran */
	int over_cores;		    /* more vCPUs than host cores */
};

/* 1 when some profile of the set was run at more than one queue count. */
int scaling_present(const struct result_set *set);

/* The rows in report order (transport, queues, vCPUs); returns how many. */
size_t scaling_rows(const struct result_set *set, struct scaling_row *rows, size_t max);

/* The section (title, <= 72-column table, notes); nothing unless present. */
void scaling_text(const struct result_set *set, FILE *f);
/* CHARTS: the charts' directory relative to the document, or NULL. */
void scaling_markdown(const struct result_set *set, const char *charts, FILE *f);
/* CHARTS_DIR: where the SVGs to inline are, or NULL. */
void scaling_html(const struct result_set *set, const char *charts_dir, FILE *f);

/* scaling_charts.c */
#define SCALING_CHARTS 4
extern const char *const scaling_chart_bases[SCALING_CHARTS];
extern const char *const scaling_chart_titles[SCALING_CHARTS];

#define SCALING_MAX_VCPUS 64
#define SCALING_MAX_VECTORS 64
/* Interrupts by vCPU (APIC ID) and vector, summed over the ok repetitions. */
struct scaling_heat {
	unsigned nvcpu, nvec;
	unsigned vec[SCALING_MAX_VECTORS]; /* ascending */
	double count[SCALING_MAX_VCPUS][SCALING_MAX_VECTORS];
	size_t reps;
	double transactions; /* over those repetitions */
};
/* R's host counts by vCPU and vector; 0 when it has none. */
int scaling_heat(const struct result *r, struct scaling_heat *h);
/* The heat map's base name: "heatmap-<profile>" ("heatmap-pci-q2v2"). */
const char *scaling_heatmap_base(const struct result *r, char *buf, size_t len);

/* Writes the scaling charts and heat maps into DIR; 0, or -1 and ERR. */
int scaling_render(const struct result_set *set, const char *dir, char *err, size_t errlen);

#endif
