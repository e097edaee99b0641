/* SPDX-License-Identifier: MIT */
/*
 * The scaling table: each profile at each sweep point, what a transaction
 * cost against the number of queue pairs. Per transaction is marginal when
 * the run has a baseline (set-up cancels), else whole-run, as in the main
 * table. Interrupts and IPIs are the host's counts (LAPIC accepts, ICR
 * writes); without a tracer, the guest's own.
 */
#include "scaling.h"
#include "metrics.h"
#include "tab.h"
#include "wrap.h"
#include "../common/jsonio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int scaling_present(const struct result_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->n; j++)
			if (!strcmp(set->r[i].transport_profile, set->r[j].transport_profile) &&
			    set->r[i].queues != set->r[j].queues)
				return 1;
	return 0;
}

static double per_txn(const struct result *r, enum metric_id id)
{
	double m = result_marginal_mean(r, metric_key(id));
	return isnan(m) ? result_mean(r, metric_key(id)) : m;
}

/* the host's count, else the guest's (*guest set) */
static double host_or_guest(const struct result *r, enum metric_id host, enum metric_id guest,
			    int *from_guest)
{
	double v = per_txn(r, host);
	*from_guest = isnan(v) && !isnan(per_txn(r, guest));
	return *from_guest ? per_txn(r, guest) : v;
}

size_t scaling_rows(const struct result_set *set, struct scaling_row *rows, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < set->n && n < max; i++) { /* results_finish's order */
		const struct result *r = &set->r[i];
		struct scaling_row *w = &rows[n++];
		memset(w, 0, sizeof(*w));
		w->r = r;
		w->profile = r->transport_profile;
		w->queues = r->queues;
		w->vcpus = r->vcpus;
		w->trans_per_s = result_mean(r, metric_key(M_TRANS_PER_S));
		w->exits = per_txn(r, M_EXITS);
		w->irqs = host_or_guest(r, M_DELIVERIES, M_GUEST_IRQS_ALL, &w->irqs_guest);
		w->ipis = host_or_guest(r, M_IPIS, M_GUEST_IPIS, &w->ipis_guest);
		const json_t *cpus = json_object_get(json_object_get(r->doc, "host"), "cpus");
		w->host_cpus = (int)json_integer_value(cpus);
		w->over_cores = w->host_cpus > 0 && (int)w->vcpus > w->host_cpus;
	}
	return n;
}

static void cell(char *buf, size_t len, double v, int decimals, int guest)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.*f%s", decimals, v, guest ? "g" : "");
}

/* trans/s, exits, irqs, IPIs of a row as strings */
static void cells(const struct scaling_row *w, char c[4][32])
{
	cell(c[0], sizeof(c[0]), w->trans_per_s, 1, 0);
	cell(c[1], sizeof(c[1]), w->exits, 2, 0);
	cell(c[2], sizeof(c[2]), w->irqs, 2, w->irqs_guest);
	cell(c[3], sizeof(c[3]), w->ipis, 2, w->ipis_guest);
}

/* The notes under the table, in prose (wrapped by the caller's format). */
static void notes(const struct scaling_row *rows, size_t n, char *out, size_t len)
{
	int cpus = 0, over = 0, guest = 0, marginal = 0, tcg = 0;
	unsigned maxv = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = json_string_value(
		    json_object_get(json_object_get(rows[i].r->doc, "host"), "timings"));
		tcg |= t && !strncmp(t, "tcg", 3);
		cpus = cpus ? cpus : rows[i].host_cpus;
		over |= rows[i].over_cores;
		guest |= rows[i].irqs_guest | rows[i].ipis_guest;
		marginal |= json_object_get(rows[i].r->doc, "marginal_summary") != NULL;
		maxv = rows[i].vcpus > maxv ? rows[i].vcpus : maxv;
	}
	size_t o = (size_t)snprintf(
	    out, len,
	    "Per transaction %s. irqs: interrupts the vCPUs' local APICs accepted "
	    "(host, kvm_apic_accept_irq; IPIs included); IPIs: x2APIC ICR writes "
	    "(host, kvm_apic_ipi). trans/s is the sum over vCPUs.%s",
	    marginal ? "is marginal (count(N) - count(B)) / (N - B)" : "is over the whole run",
	    guest ? " A value ending in g is the guest's own count (no host count)." : "");
	if (o < len)
		snprintf(out + o, len - o,
			 " The host had %d core%s online at run time (host.cpus). %s", cpus,
			 cpus == 1 ? "" : "s",
			 over ? "Points marked * run more vCPUs than cores: the vCPUs "
				"time-share the cores, so their counts are exact but their "
				"timings (trans/s) are not meaningful."
			      : (maxv > 1 ? "Every point had a core per vCPU." : ""));
	o = strlen(out);
	if (tcg && o < len) /* the emulated SVM host: no timing is a hardware one */
		snprintf(out + o, len - o,
			 " The host's CPU is emulated (TCG timings): compare counts, not rates.");
}

void scaling_text(const struct result_set *set, FILE *f)
{
	struct scaling_row rows[SCALING_MAX_ROWS];
	if (!scaling_present(set))
		return;
	size_t n = scaling_rows(set, rows, SCALING_MAX_ROWS);
	fputs("Scaling with queue pairs (mean over runs)\n", f);
	fprintf(f, "%-12s %6s %5s %10s %10s %9s %9s\n", "profile", "queues", "vCPUs", "trans/s",
		"exits/txn", "irqs/txn", "IPIs/txn");
	for (size_t i = 0; i < n; i++) {
		char c[4][32], v[16];
		cells(&rows[i], c);
		snprintf(v, sizeof(v), "%u%s", rows[i].vcpus, rows[i].over_cores ? "*" : "");
		fprintf(f, "%-12.12s %6u %5s %10s %10s %9s %9s\n", rows[i].profile, rows[i].queues,
			v, c[0], c[1], c[2], c[3]);
	}
	char note[1024];
	notes(rows, n, note, sizeof(note));
	wrap_words(f, note, TAB_TEXT_WIDTH, "", "");
	fputc('\n', f);
}

/* "100 / 98" transactions by vCPU, the guest's word */
static void vcpu_txns(const struct result *r, char *out, size_t len)
{
	size_t o = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < r->vcpus && o < len; i++) {
		char idx[16], key[METRIC_KEY_MAX];
		snprintf(idx, sizeof(idx), "%u", i);
		double t =
		    result_mean(r, metric_member_key(M_GUEST_VCPU_TXN, idx, key, sizeof(key)));
		char num[32] = "n/a";
		if (!isnan(t))
			snprintf(num, sizeof(num), "%.0f", t);
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " / " : "", num);
	}
}

/* The table as a tab (Markdown/HTML), with transactions by vCPU. */
static size_t scaling_tab(const struct result_set *set, struct tab *t, struct scaling_row *rows)
{
	size_t n = scaling_rows(set, rows, SCALING_MAX_ROWS);
	tab_init(t, 7);
	struct tab_row *h = tab_add(t, TR_HEADER, "profile");
	static const char *const heads[] = {"queues",
					    "vCPUs",
					    "trans/s",
					    "exits/txn",
					    "irqs/txn",
					    "IPIs/txn",
					    "transactions by vCPU (guest)"};
	for (int k = 0; k < 7; k++)
		tab_set(h, k, "%s", heads[k]);
	for (size_t i = 0; i < n; i++) {
		char c[4][32], tx[256];
		cells(&rows[i], c);
		vcpu_txns(rows[i].r, tx, sizeof(tx));
		struct tab_row *w = tab_add(t, TR_ROW, rows[i].profile);
		tab_set(w, 0, "%u", rows[i].queues);
		tab_set(w, 1, "%u%s", rows[i].vcpus, rows[i].over_cores ? "*" : "");
		for (int k = 0; k < 4; k++)
			tab_set(w, 2 + k, "%s", c[k]);
		tab_set(w, 6, "%s", tx);
	}
	return n;
}

void scaling_markdown(const struct result_set *set, const char *charts, FILE *f)
{
	struct scaling_row rows[SCALING_MAX_ROWS];
	if (!scaling_present(set))
		return;
	struct tab t;
	size_t n = scaling_tab(set, &t, rows);
	fputs("\n## Scaling with queue pairs\n\n", f);
	tab_print_markdown(&t, f);
	tab_free(&t);
	char note[1024];
	notes(rows, n, note, sizeof(note));
	fputc('\n', f);
	wrap_words(f, note, 100, "", "");
	if (!charts)
		return;
	fputc('\n', f);
	for (int i = 0; i < SCALING_CHARTS; i++)
		fprintf(f, "![%s](%s/%s.png)\n([SVG](%s/%s.svg))\n\n", scaling_chart_titles[i],
			charts, scaling_chart_bases[i], charts, scaling_chart_bases[i]);
	static struct scaling_heat heat;
	for (size_t i = 0; i < n; i++) {
		char base[128];
		if (!scaling_heat(rows[i].r, &heat))
			continue;
		scaling_heatmap_base(rows[i].r, base, sizeof(base));
		fprintf(f,
			"![interrupts by vCPU and vector, %s](%s/%s.png)\n([SVG](%s/%s.svg))\n\n",
			rows[i].r->profile, charts, base, charts, base);
	}
}

static void inline_svg(const char *dir, const char *base, FILE *f)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s.svg", dir, base);
	char *svg = read_file_text(p, NULL);
	char *start = svg ? strstr(svg, "<svg") : NULL;
	if (!start)
		fprintf(f, "<p>(chart %s.svg missing)</p>\n", base);
	else
		fprintf(f, "<figure>%s</figure>\n", start);
	free(svg);
}

void scaling_html(const struct result_set *set, const char *charts_dir, FILE *f)
{
	struct scaling_row rows[SCALING_MAX_ROWS];
	if (!scaling_present(set))
		return;
	struct tab t;
	size_t n = scaling_tab(set, &t, rows);
	fputs("<h2>Scaling with queue pairs</h2>\n", f);
	tab_print_html(&t, f);
	tab_free(&t);
	char note[1024];
	notes(rows, n, note, sizeof(note));
	fputs("<p>", f);
	html_escape(f, note);
	fputs("</p>\n", f);
	if (!charts_dir)
		return;
	for (int i = 0; i < SCALING_CHARTS; i++)
		inline_svg(charts_dir, scaling_chart_bases[i], f);
	static struct scaling_heat heat;
	for (size_t i = 0; i < n; i++) {
		char base[128];
		if (scaling_heat(rows[i].r, &heat))
			inline_svg(charts_dir, scaling_heatmap_base(rows[i].r, base, sizeof(base)),
				   f);
	}
}
