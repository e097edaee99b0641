/* SPDX-License-Identifier: MIT */
/*
 * irqpath-report: turns irqpath-results/1 files into the evidence: text
 * table for a review, Markdown and HTML reports with charts, A/B compare,
 * CI history.
 */
#include "charts.h"
#include "interrupt.h"
#include "../common/cleanup.h"
#include "compare.h"
#include "document.h"
#include "history.h"
#include "reconcile.h"
#include "design_space.h"
#include "registry_cmd.h"
#include "../common/jsonio.h"
#include "results.h"
#include "scaling.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_REGRESSION 3
#define EXIT_UNEXPLAINED 4

static void usage(FILE *f)
{
	fputs("usage:\n"
	      "  irqpath-report [report] RUN... [--out DIR] [--no-charts] [-q]\n"
	      "  irqpath-report table RUN...\n"
	      "  irqpath-report validate FILE...\n"
	      "  irqpath-report compare BASE NEW [--json FILE]\n"
	      "  irqpath-report history FILE.jsonl [--append RUN]... [--commit C] [--date D]\n"
	      "                 [--out DIR] [--window N] [--strict]\n"
	      "  irqpath-report metrics [--check KEY...]\n"
	      "  irqpath-report reconcile RUN...\n"
	      "  irqpath-report scaling RUN...\n"
	      "\n"
	      "RUN is a results directory (results/<run-id>/) or an irqpath-results/1 file.\n"
	      "report    writes report.txt (mailing-list table, <= 72 columns), report.md,\n"
	      "          report.html (self-contained, charts inlined as SVG) and charts/\n"
	      "          (PNG + SVG: trans/s, exits by cause, interrupts and EOIs per\n"
	      "          queue) into the run directory or --out; prints the table.\n"
	      "table     prints the mailing-list table only.\n"
	      "validate  checks files against the irqpath-results/1 schema.\n"
	      "compare   per metric: base mean, %stddev, %change, new mean, %stddev and\n"
	      "          the p-value of a permutation test on the repetitions; a change\n"
	      "          is significant only if p < 0.01, else \"no significant change\".\n"
	      "history   appends each --append run's summary (commit, date, figures) as one\n"
	      "          line to FILE.jsonl, then draws per-metric time series\n"
	      "          (history-*.png/svg in --out, default FILE's directory) flagging\n"
	      "          points that regress significantly against the previous N (--window,\n"
	      "          default 5).\n"
	      "metrics   prints the metric registry (common/metrics.def): key, label,\n"
	      "          unit, group, kind, direction, table/compare, source; --check\n"
	      "          exits 1 naming each KEY the registry lacks.\n"
	      "reconcile host, VMM and guest totals of the same events side by side,\n"
	      "          \"agree\" or the difference and why; IOAPIC line raises, lowers,\n"
	      "          coalesced and deliveries; EOIs; guest interrupts vs callbacks.\n"
	      "scaling   prints the scaling table of a run at several queue counts\n"
	      "          (irqpath-bench --queues 1,2,4): per profile and point trans/s,\n"
	      "          exits, interrupts and IPIs per transaction; exit 2 if no profile\n"
	      "          was run at more than one queue count.\n"
	      "\n"
	      "exit status: 0 ok; 1 runtime failure (I/O, gnuplot); 2 usage or invalid\n"
	      "input (bad schema, unreadable results); 3 history --strict found a\n"
	      "regression at the newest point; 4 reconcile found counts that differ\n"
	      "with no explanation.\n",
	      f);
}

static int load_set(struct result_set *set, char **paths, int n)
{
	char err[1024];
	for (int i = 0; i < n; i++)
		if (results_add(set, paths[i], err, sizeof(err))) {
			fprintf(stderr, "irqpath-report: %s\n", err);
			results_free(set);
			return -1;
		}
	results_finish(set);
	return 0;
}

/* Renders a document into memory, then writes it atomically. */
static int write_doc(const char *dir, const char *name, const struct result_set *set, int kind,
		     const char *charts_dir)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	if (kind == 0)
		document_text(set, m);
	else if (kind == 1)
		document_markdown(set, charts_dir ? "charts" : NULL, m);
	else
		document_html(set, charts_dir, m);
	fclose(m);
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc = atomic_write(path, buf, len);
	if (rc)
		fprintf(stderr, "irqpath-report: %s: %s\n", path, strerror(errno));
	free(buf);
	return rc;
}

static int cmd_report(int argc, char **argv, int table_only)
{
	static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
					     {"no-charts", no_argument, NULL, 'n'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *out = NULL;
	int charts = 1, quiet = 0, c;
	while ((c = getopt_long(argc, argv, "o:nqh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			charts = 0;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "irqpath-report: no results given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	struct result_set set = {0};
	if (load_set(&set, argv + optind, argc - optind))
		return EXIT_USAGE;
	if (!table_only)
		report_interrupt_install(); /* nothing half-written on SIGINT (interrupt.h) */
	if (table_only) {
		document_text(&set, stdout);
		results_free(&set);
		return 0;
	}
	char dirbuf[4096];
	if (!out) {
		struct stat st;
		if (!stat(argv[optind], &st) && S_ISDIR(st.st_mode)) {
			out = argv[optind];
		} else {
			snprintf(dirbuf, sizeof(dirbuf), "%s", argv[optind]);
			out = dirname(dirbuf);
		}
	}
	if (mkdir(out, 0755) && errno != EEXIST) {
		fprintf(stderr, "irqpath-report: %s: %s\n", out, strerror(errno));
		results_free(&set);
		return EXIT_RUNTIME;
	}
	int rc = 0;
	char charts_dir[4096];
	snprintf(charts_dir, sizeof(charts_dir), "%s/charts", out);
	char err[1024];
	if (charts && charts_render(&set, charts_dir, err, sizeof(err))) {
		fprintf(stderr, "irqpath-report: charts: %s\n", err);
		rc = EXIT_RUNTIME;
		charts = 0;
	}
	if (report_interrupted) {
		fprintf(stderr, "irqpath-report: interrupted (signal %d): no report written\n",
			(int)report_interrupted);
		results_free(&set);
		return 130;
	}
	if (write_doc(out, "report.txt", &set, 0, NULL) ||
	    write_doc(out, "report.md", &set, 1, charts ? charts_dir : NULL) ||
	    write_doc(out, "report.html", &set, 2, charts ? charts_dir : NULL))
		rc = EXIT_RUNTIME;
	if (!quiet)
		document_text(&set, stdout);
	fprintf(stderr,
		"\nreport: %s/report.html (self-contained), %s/report.md, %s/report.txt%s%s\n", out,
		out, out, charts ? "\ncharts: " : "", charts ? charts_dir : "");
	results_free(&set);
	return rc;
}

static int cmd_validate(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "irqpath-report validate: no files given\n");
		return EXIT_USAGE;
	}
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		struct result_set set = {0};
		char err[1024];
		if (results_add(&set, argv[i], err, sizeof(err))) {
			fprintf(stderr, "irqpath-report: %s\n", err);
			bad = 1;
		} else {
			for (size_t j = 0; j < set.n; j++)
				printf("%s: valid irqpath-results/1 (%s, %zu repetitions)\n",
				       set.r[j].path, set.r[j].profile, result_reps(&set.r[j]));
		}
		results_free(&set);
	}
	return bad ? EXIT_USAGE : 0;
}

static int cmd_reconcile(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "irqpath-report reconcile: no results given\n");
		return EXIT_USAGE;
	}
	struct result_set set = {0};
	if (load_set(&set, argv + 1, argc - 1))
		return EXIT_USAGE;
	int bad = reconcile_print(&set, stdout);
	results_free(&set);
	if (bad)
		fprintf(stderr, "irqpath-report: %d count%s differ with no explanation\n", bad,
			bad == 1 ? "" : "s");
	return bad ? EXIT_UNEXPLAINED : 0;
}

static int cmd_scaling(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "irqpath-report scaling: no results given\n");
		return EXIT_USAGE;
	}
	struct result_set set = {0};
	if (load_set(&set, argv + 1, argc - 1))
		return EXIT_USAGE;
	int present = scaling_present(&set);
	if (present)
		scaling_text(&set, stdout);
	else
		fprintf(stderr, "irqpath-report scaling: no profile was run at more than one "
				"queue count (irqpath-bench --queues 1,2,4)\n");
	results_free(&set);
	return present ? 0 : EXIT_USAGE;
}

static int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", required_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
	const char *json_out = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
		if (c == 'j')
			json_out = optarg;
		else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "irqpath-report compare: needs BASE and NEW\n");
		return EXIT_USAGE;
	}
	struct result_set base = {0}, new = {0};
	if (load_set(&base, argv + optind, 1))
		return EXIT_USAGE;
	if (load_set(&new, argv + optind + 1, 1)) {
		results_free(&base);
		return EXIT_USAGE;
	}
	printf("base: %s (%s)\nnew:  %s (%s)\n\n", argv[optind], base.r[0].run_id, argv[optind + 1],
	       new.r[0].run_id);
	int nsig = 0;
	json_t *j = compare_sets(&base, &new, stdout, &nsig);
	int rc = 0;
	if (j && !json_integer_value(json_object_get(j, "profiles_compared"))) {
		fprintf(stderr, "irqpath-report compare: no profile of BASE could be paired with "
				"one of NEW (same name, or one left on each side)\n");
		rc = EXIT_USAGE;
	}
	if (j && json_out && atomic_write_json(json_out, j)) {
		fprintf(stderr, "irqpath-report: %s: %s\n", json_out, strerror(errno));
		rc = EXIT_RUNTIME;
	}
	json_decref(j);
	results_free(&base);
	results_free(&new);
	return rc;
}

static int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"append", required_argument, NULL, 'a'}, {"commit", required_argument, NULL, 'c'},
	    {"date", required_argument, NULL, 'd'},   {"out", required_argument, NULL, 'o'},
	    {"window", required_argument, NULL, 'w'}, {"strict", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},	      {0}};
	const char *appends[64];
	int nappend = 0, window = HISTORY_WINDOW, strict = 0, c;
	const char *commit = NULL, *date = NULL, *out = NULL;
	while ((c = getopt_long(argc, argv, "a:c:d:o:w:sh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (nappend < 64)
				appends[nappend++] = optarg;
			break;
		case 'c':
			commit = optarg;
			break;
		case 'd':
			date = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'w': {
			char *end;
			long w = strtol(optarg, &end, 10);
			if (*end || w < 1 || w > 1000) {
				fprintf(stderr,
					"irqpath-report: --window: expected 1..1000, got '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			window = (int)w;
			break;
		}
		case 's':
			strict = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "irqpath-report history: needs exactly one FILE.jsonl\n");
		return EXIT_USAGE;
	}
	const char *file = argv[optind];
	char err[1024];
	for (int i = 0; i < nappend; i++) {
		struct result_set set = {0};
		if (load_set(&set, (char **)&appends[i], 1))
			return EXIT_USAGE;
		json_t *e = history_entry(&set, commit, date);
		int rc = history_append(file, e, err, sizeof(err));
		json_decref(e);
		results_free(&set);
		if (rc) {
			fprintf(stderr, "irqpath-report: %s\n", err);
			return EXIT_RUNTIME;
		}
		fprintf(stderr, "history: appended %s to %s\n", appends[i], file);
	}
	char dirbuf[4096], outbuf[4096];
	if (!out) {
		snprintf(dirbuf, sizeof(dirbuf), "%s", file);
		snprintf(outbuf, sizeof(outbuf), "%s/history", dirname(dirbuf));
		out = outbuf;
	}
	int total = 0;
	int latest = history_render(file, out, window, stdout, &total, err, sizeof(err));
	if (latest < 0) {
		fprintf(stderr, "irqpath-report: %s\n", err);
		return strstr(err, "not an") ? EXIT_USAGE : EXIT_RUNTIME;
	}
	printf("history: %d regression%s flagged (%d at the newest run); charts in %s\n", total,
	       total == 1 ? "" : "s", latest, out);
	return strict && latest ? EXIT_REGRESSION : 0;
}

int main(int argc, char **argv)
{
	cleanup_install_exit_handler();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "metrics"))
		return cmd_metrics(argc - 1, argv + 1);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "reconcile"))
		return cmd_reconcile(argc - 1, argv + 1);
	if (!strcmp(cmd, "scaling"))
		return cmd_scaling(argc - 1, argv + 1);
	if (!strcmp(cmd, "history"))
		return cmd_history(argc - 1, argv + 1);
	if (!strcmp(cmd, "design-space"))
		return cmd_design_space(argc - 1, argv + 1);
	if (!strcmp(cmd, "table"))
		return cmd_report(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1, 0);
	return cmd_report(argc, argv, 0);
}
