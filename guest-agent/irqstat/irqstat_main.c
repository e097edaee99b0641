// SPDX-License-Identifier: MIT
/* irqpath-irqstat: per-queue interrupt counts from /proc/interrupts, as a
 * snapshot or as the difference across a command. */
#include "irqstat.h"
#include "irqstat_json.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: irqpath-irqstat [--file F] [--match STR] [--json FILE] [-- CMD ARGS...]\n"
		"\n"
		"Prints interrupt counts (summed over CPUs) per /proc/interrupts line whose\n"
		"action name contains STR (default 'virtio'; '' = all), e.g. virtio0-input.0,\n"
		"virtio0-output.0, or the single legacy line virtio0. With CMD: samples\n"
		"before and after running it and prints the difference.\n"
		"\n"
		"  -f, --file F      read F instead of /proc/interrupts\n"
		"  -m, --match STR   action-name filter\n"
		"  -j, --json FILE   also write irqpath-irqstat/1 JSON ('-' = stdout only)\n"
		"  -h, --help        this text\n"
		"\n"
		"Exit codes: 0 ok, 1 cannot read the file or CMD failed, 2 usage.\n");
}

static int sample(const char *path, const char *match, struct irq_table *t)
{
	if (irqstat_read(path, t) < 0) {
		fprintf(stderr, "irqpath-irqstat: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	irqstat_filter(t, match);
	return 0;
}

/* One row per line; with several CPUs, a column per CPU after the sum. */
static void print_table(const struct irq_table *t, const char *what)
{
	int cols = t->ncpus > 1 ? (t->ncpus < IRQSTAT_MAX_CPUS ? t->ncpus : IRQSTAT_MAX_CPUS) : 0;
	printf("%-8s %-28s %-24s %12s", "IRQ", "CHIP", "NAME", what);
	for (int c = 0; c < cols; c++)
		printf(" %9s%-2d", "CPU", c);
	putchar('\n');
	for (size_t i = 0; i < t->n; i++) {
		const struct irq_line *l = &t->v[i];
		printf("%-8s %-28s %-24s %12llu", l->irq, l->chip, l->action,
		       (unsigned long long)l->count);
		for (int c = 0; c < cols; c++)
			printf(" %11llu", (unsigned long long)l->cpu[c]);
		putchar('\n');
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *path = "/proc/interrupts", *match = "virtio", *json = NULL;
	static const struct option lo[] = {{"file", required_argument, 0, 'f'},
					   {"match", required_argument, 0, 'm'},
					   {"json", required_argument, 0, 'j'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "+f:m:j:h", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			path = optarg;
			break;
		case 'm':
			match = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	struct irq_table before = {0}, after = {0}, shown = {0};
	int rc = 0;
	if (sample(path, match, &before) < 0)
		return 1;
	if (optind < argc) {
		/* the command gets the signals; we wait for it and still report */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		pid_t pid = fork();
		if (pid == 0) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "irqpath-irqstat: cannot run %s: %s\n", argv[optind],
				strerror(errno));
			_exit(127);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "irqpath-irqstat: %s failed\n", argv[optind]);
			rc = 1;
		}
		if (sample(path, match, &after) < 0 || irqstat_delta(&before, &after, &shown) < 0)
			rc = 1;
	} else {
		shown = before;
		before = (struct irq_table){0};
	}
	if (!json || strcmp(json, "-") != 0) {
		print_table(&shown, optind < argc ? "DELTA" : "COUNT");
	}
	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:i}", "schema", "irqpath-irqstat/1", "kind",
				      optind < argc ? "delta" : "snapshot", "match", match, "ncpus",
				      shown.ncpus);
		if (!j || irqstat_to_json(&shown, j) < 0 || irqstat_write_json(json, j) < 0)
			rc = 1;
		json_decref(j);
	}
	irqstat_free(&before);
	irqstat_free(&after);
	irqstat_free(&shown);
	return rc;
}
