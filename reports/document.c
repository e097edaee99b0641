/* SPDX-License-Identifier: MIT */
#include "document.h"
#include "wrap.h"
#include "charts.h"
#include "compare.h"
#include "latency.h"
#include "reconcile.h"
#include "scaling.h"
#include "../common/jsonio.h"
#include "summary.h"
#include "tab.h"
#include "vmm_vs_qemu.h"

#include <stdlib.h>
#include <string.h>

void document_text(const struct result_set *set, FILE *f)
{
	summary_header(set, f);
	fputc('\n', f);
	struct tab t;
	summary_table(set, &t, 0);
	tab_print_text(&t, f);
	tab_free(&t);
	fputc('\n', f);
	scaling_text(set, f); /* a run at several queue counts */
	summary_attribution(set, f);
	fputc('\n', f);
	summary_difference(set, "mmio-legacy", "mmio-v3", f);
	vmm_vs_qemu_text(set, f); /* when a run holds irqpath-vmm's and QEMU's devices */
	fputc('\n', f);
	compare_brief(set, f);
	reconcile_print(set, f);
	summary_notes(set, f);
}

/* A Markdown list item wrapped at MD_WIDTH (continuation lines indented). */
#define MD_WIDTH 100
static void md_bullet(FILE *f, const char *text)
{
	wrap_words(f, text, MD_WIDTH, "- ", "  ");
}

/* One row per profile: where the figures came from. */
static void provenance(const struct result_set *set, FILE *f, int html)
{
	for (size_t i = 0; i < set->n; i++) {
		const json_t *d = set->r[i].doc;
		const json_t *tr = json_object_get(d, "tracer");
		const json_t *host = json_object_get(d, "host");
		const char *tb = json_string_value(json_object_get(tr, "backend"));
		const char *src = json_string_value(json_object_get(tr, "exit_source"));
		const char *irqchip = json_string_value(json_object_get(host, "irqchip"));
		const json_t *ka = json_object_get(host, "kvm_exit_available");
		const json_t *prof = json_object_get(d, "profile");
		const char *vmm = json_string_value(json_object_get(prof, "vmm"));
		const char *note = json_string_value(json_object_get(d, "note"));
		char line[1400], guest[400];
		snprintf(guest, sizeof(guest), "guest %s on %s, accel %s%s%s",
			 json_string_value(json_object_get(prof, "guest")),
			 vmm ? vmm : "irqpath-vmm", result_accel(&set->r[i]),
			 result_kvm_counters(&set->r[i]) ? "" : ": ",
			 result_kvm_counters(&set->r[i]) ? "" : RESULT_NO_KVM_TCG);
		if (note && result_kvm_counters(&set->r[i]))
			snprintf(guest + strlen(guest), sizeof(guest) - strlen(guest), " (%.300s)",
				 note);
		snprintf(line, sizeof(line),
			 "%s: file %s; transport %s, %s, runner %s; tracer %s (exits from %s); "
			 "kvm_exit %s; irqchip %s; CPU %s",
			 set->r[i].label, set->r[i].path,
			 json_string_value(json_object_get(prof, "transport")), guest,
			 json_string_value(json_object_get(prof, "runner")),
			 json_is_true(json_object_get(tr, "available")) ? (tb ? tb : "?") : "none",
			 src ? src : "n/a",
			 json_is_true(ka)    ? "available"
			 : json_is_false(ka) ? "not available"
					     : "unknown",
			 irqchip ? irqchip : "unknown",
			 json_string_value(json_object_get(host, "cpu"))
			     ? json_string_value(json_object_get(host, "cpu"))
			     : "unknown");
		const char *kind = json_string_value(json_object_get(host, "host_kind"));
		if (!kind) /* files written before host_kind */
			kind = json_string_value(json_object_get(host, "kind"));
		const json_t *names = json_object_get(tr, "exit_reason_names");
		const char *nsrc = json_string_value(json_object_get(names, "source"));
		size_t o = strlen(line);
		if (kind)
			snprintf(line + o, sizeof(line) - o, "; host kind %.20s, timings %.20s",
				 kind,
				 json_string_value(json_object_get(host, "timings"))
				     ? json_string_value(json_object_get(host, "timings"))
				     : "unknown");
		o = strlen(line);
		if (nsrc)
			snprintf(line + o, sizeof(line) - o, "; exit-reason names from %.80s",
				 nsrc);
		if (html) {
			fputs("<li>", f);
			html_escape(f, line);
			fputs("</li>\n", f);
		} else {
			md_bullet(f, line);
		}
	}
}

/* Per-metric guest-vs-host agreement of every profile. */
static void agreement(const struct result_set *set, FILE *f, int html)
{
	if (html)
		fputs("<table>\n<tr><th>profile</th><th>metric</th><th>guest</th><th>host</th>"
		      "<th>agree</th></tr>\n",
		      f);
	else
		fputs("| profile | metric | guest (total) | host (total) | agree |\n"
		      "|---|---|---:|---:|---|\n",
		      f);
	for (size_t i = 0; i < set->n; i++) {
		if (!result_kvm_counters(&set->r[i])) { /* nothing on the host to agree with */
			if (html) {
				fputs("<tr><td>", f);
				html_escape(f, set->r[i].label);
				fprintf(
				    f,
				    "</td><td>all</td><td>n/a</td><td>%s</td><td>n/a</td></tr>\n",
				    RESULT_NO_KVM_TCG);
			} else {
				fprintf(f, "| %s | all | n/a | %s | n/a |\n", set->r[i].label,
					RESULT_NO_KVM_TCG);
			}
			continue;
		}
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(set->r[i].doc, "agreement"), k, v)
		{
			const json_t *a = json_object_get(v, "agree");
			const char *word = json_is_true(a)    ? "yes"
					   : json_is_false(a) ? "NO"
							      : "n/a";
			char g[32] = "n/a", h[32] = "n/a";
			if (json_is_integer(json_object_get(v, "guest")))
				snprintf(
				    g, sizeof(g), "%lld",
				    (long long)json_integer_value(json_object_get(v, "guest")));
			if (json_is_integer(json_object_get(v, "host")))
				snprintf(h, sizeof(h), "%lld",
					 (long long)json_integer_value(json_object_get(v, "host")));
			if (html) {
				fputs("<tr><td>", f);
				html_escape(f, set->r[i].label);
				fputs("</td><td>", f);
				html_escape(f, k);
				fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", g, h,
					word);
			} else {
				fprintf(f, "| %s | %s | %s | %s | %s |\n", set->r[i].label, k, g, h,
					word);
			}
		}
	}
	if (html)
		fputs("</table>\n", f);
}

void document_markdown(const struct result_set *set, const char *charts, FILE *f)
{
	fputs("# irqpath report\n\n```\n", f);
	summary_header(set, f);
	fputs("```\n\n## Results (mean ± stddev over runs)\n\n", f);
	struct tab t;
	summary_table(set, &t, 1);
	tab_print_markdown(&t, f);
	tab_free(&t);
	if (summary_vcpu_table(set, &t, 1)) {
		fputs("\n## Exits per transaction by vCPU and reason\n\n", f);
		tab_print_markdown(&t, f);
	}
	tab_free(&t);
	scaling_markdown(set, charts, f);
	fputc('\n', f);
	summary_notes(set, f);
	if (charts) {
		fputs("\n## Charts\n\n", f);
		for (int i = 0; i < CHART_COUNT; i++)
			fprintf(f, "![%s](%s/%s.png)\n([SVG](%s/%s.svg))\n\n", chart_titles[i],
				charts, chart_bases[i], charts, chart_bases[i]);
		struct latency_charts lc;
		latency_reasons(set, &lc);
		for (size_t i = 0; i < lc.n; i++)
			fprintf(f, "![exit latency, %s](%s/%s.png)\n([SVG](%s/%s.svg))\n\n",
				lc.reason[i], charts, lc.base[i], charts, lc.base[i]);
	}
	fputs("\n## Guest vs host counts (sum over runs)\n\n", f);
	agreement(set, f, 0);
	fputs("\n## Mailing-list table\n\n```\n", f);
	document_text(set, f);
	fputs("```\n\n## Provenance\n\n", f);
	provenance(set, f, 0);
}

static void inline_svg(const char *dir, const char *base, FILE *f)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s.svg", dir, base);
	char *svg = read_file_text(p, NULL);
	if (!svg) {
		fprintf(f, "<p>(chart %s.svg missing)</p>\n", base);
		return;
	}
	/* drop the XML prolog and DOCTYPE: not allowed inside HTML */
	char *start = strstr(svg, "<svg");
	fputs("<figure>", f);
	fputs(start ? start : "", f);
	fputs("</figure>\n", f);
	free(svg);
}

void document_html(const struct result_set *set, const char *charts_dir, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>irqpath report</title>\n<style>\n"
	      "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}\n"
	      "table{border-collapse:collapse;margin:1em 0}\n"
	      "td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}\n"
	      "td.label,th.label{text-align:left}\ntr.section th{text-align:left;"
	      "background:#eee}\npre{background:#f6f6f6;padding:.5em}\n"
	      "figure{margin:1em 0}\nfigure svg{max-width:100%;height:auto}\n"
	      "</style></head><body>\n<h1>irqpath report</h1>\n<pre>",
	      f);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m) {
		summary_header(set, m);
		fclose(m);
		html_escape(f, buf);
		free(buf);
	}
	fputs("</pre>\n<h2>Results (mean ± stddev over runs)</h2>\n", f);
	struct tab t;
	summary_table(set, &t, 1);
	tab_print_html(&t, f);
	tab_free(&t);
	if (summary_vcpu_table(set, &t, 1)) {
		fputs("<h2>Exits per transaction by vCPU and reason</h2>\n", f);
		tab_print_html(&t, f);
	}
	tab_free(&t);
	scaling_html(set, charts_dir, f);
	buf = NULL;
	m = open_memstream(&buf, &len);
	if (m) {
		summary_notes(set, m);
		fclose(m);
		fputs("<p>", f);
		html_escape(f, buf);
		fputs("</p>\n", f);
		free(buf);
	}
	if (charts_dir) {
		fputs("<h2>Charts</h2>\n", f);
		for (int i = 0; i < CHART_COUNT; i++)
			inline_svg(charts_dir, chart_bases[i], f);
		struct latency_charts lc;
		latency_reasons(set, &lc);
		for (size_t i = 0; i < lc.n; i++)
			inline_svg(charts_dir, lc.base[i], f);
	}
	fputs("<h2>Guest vs host counts (sum over runs)</h2>\n", f);
	agreement(set, f, 1);
	fputs("<h2>Mailing-list table</h2>\n<pre>", f);
	buf = NULL;
	m = open_memstream(&buf, &len);
	if (m) {
		document_text(set, m);
		fclose(m);
		html_escape(f, buf);
		free(buf);
	}
	fputs("</pre>\n<h2>Provenance</h2>\n<ul>\n", f);
	provenance(set, f, 1);
	fputs("</ul>\n</body></html>\n", f);
}
