/* SPDX-License-Identifier: MIT */
/* irqpath-bench's command line. */
#include "options.h"
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: irqpath-bench --profile NAME|all [options]\n"
	      "\n"
	      "Runs a profile's request/response workload on the micro-guest under\n"
	      "irqpath-trace (or a Linux guest under irqpath-qemu), repetitions of\n"
	      "several profiles interleaved, and writes OUT/<run-id>/<profile>.json\n"
	      "(schema irqpath-results/1, see reports/README.md). Prints the run\n"
	      "directory on stdout.\n"
	      "\n"
	      "  -p, --profile NAME   a profile in the config directory, or 'all'\n"
	      "                       (mmio-legacy, mmio-v3, pci)\n"
	      "  -c, --config DIR     profile files (default: ./configs, else the\n"
	      "                       installed share/irqpath/configs)\n"
	      "  -o, --out DIR        results root (default: results)\n"
	      "      --run-id ID      default: UTC time + short git commit\n"
	      "  -r, --repetitions N  override the profile's repetitions\n"
	      "  -n, --transactions N override transactions per repetition\n"
	      "  -w, --warmup N       override warm-up transactions (0: none)\n"
	      "      --baseline-transactions B  per transaction from the difference\n"
	      "                       with a run of B transactions before each\n"
	      "                       repetition: (count(N) - count(B)) / (N - B), next\n"
	      "                       to the whole-run count / N (marginal_summary)\n"
	      "  -d, --duration S     seconds per repetition instead of transactions\n"
	      "                       (Linux guests; default: the profile's, else 5)\n"
	      "      --queues LIST    queue pairs per point of a sweep, e.g. 1,2,4\n"
	      "                       (irqpath-vmm --queues); each point writes\n"
	      "                       <profile>-q<Q>v<V>.json, 1 queue + 1 vCPU\n"
	      "                       <profile>.json\n"
	      "      --vcpus LIST     vCPUs per point: default = the queue count;\n"
	      "                       one value for every point, or one per point\n"
	      "      --guest-kind K   override the profiles' guest: microguest | linux\n"
	      "      --vmm-kind K     override the profiles' vmm: irqpath-vmm | qemu\n"
	      "                       (linux runs under qemu, either implies the other;\n"
	      "                       qemu: mmio-legacy and pci only, 'all' is those two)\n"
	      "      --qemu PATH      irqpath-qemu (default: next to this program)\n"
	      "      --vmm PATH       irqpath-vmm (default: next to this program)\n"
	      "      --trace PATH     irqpath-trace (default: next to this program)\n"
	      "      --guest PATH     micro-guest ELF (default: ../guest/microguest.elf)\n"
	      "      --no-trace       run without the tracer (host counts null)\n"
	      "  -q, --quiet          no progress\n"
	      "  -h, --help           this text\n"
	      "\n"
	      "exit status: 0 every repetition ran; 1 a run failed (files are still\n"
	      "written for profiles with a good repetition) or a tool is missing;\n"
	      "2 bad usage, unknown profile or malformed config (nothing written);\n"
	      "130 interrupted (no results written, VM and tracer stopped).\n",
	      f);
}

static int parse_count(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || !*s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static const struct option long_opts[] = {
    {"profile", 1, 0, 'p'},  {"config", 1, 0, 'c'},	 {"out", 1, 0, 'o'},
    {"run-id", 1, 0, 'I'},   {"repetitions", 1, 0, 'r'}, {"transactions", 1, 0, 'n'},
    {"warmup", 1, 0, 'w'},   {"vmm", 1, 0, 'V'},	 {"trace", 1, 0, 'T'},
    {"guest", 1, 0, 'G'},    {"no-trace", 0, 0, 'N'},	 {"quiet", 0, 0, 'q'},
    {"help", 0, 0, 'h'},     {"duration", 1, 0, 'd'},	 {"guest-kind", 1, 0, 'K'},
    {"vmm-kind", 1, 0, 'M'}, {"qemu", 1, 0, 'Q'},	 {"baseline-transactions", 1, 0, 'B'},
    {"queues", 1, 0, 'U'},   {"vcpus", 1, 0, 'C'},	 {0}};

int options_parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->out = "results";
	o->repetitions = o->transactions = o->warmup = o->duration = -1;
	int c;
	while ((c = getopt_long(argc, argv, "p:c:o:r:n:w:d:qh", long_opts, NULL)) != -1) {
		const char *bad = NULL;
		switch (c) {
		case 'p':
			o->profile = optarg;
			break;
		case 'c':
			o->config_dir = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'I':
			o->run_id = optarg;
			if (!config_name_ok(optarg))
				bad = "--run-id: letters, digits, '-', '_', '.' only";
			break;
		case 'r':
			if (parse_count(optarg, 1, 1000, &o->repetitions))
				bad = "--repetitions: expected 1..1000";
			break;
		case 'n':
			if (parse_count(optarg, 1, 100000000, &o->transactions))
				bad = "--transactions: expected 1..100000000";
			break;
		case 'w':
			if (parse_count(optarg, 0, 100000000, &o->warmup))
				bad = "--warmup: expected 0..100000000";
			break;
		case 'd':
			if (parse_count(optarg, 1, 86400, &o->duration))
				bad = "--duration: expected 1..86400 seconds";
			break;
		case 'B':
			if (parse_count(optarg, 1, 100000000, &o->baseline))
				bad = "--baseline-transactions: expected 1..100000000";
			break;
		case 'K':
			o->guest_kind = optarg;
			if (strcmp(optarg, "microguest") && strcmp(optarg, "linux"))
				bad = "--guest-kind: expected microguest or linux";
			break;
		case 'M':
			o->vmm_kind = optarg;
			if (strcmp(optarg, "irqpath-vmm") && strcmp(optarg, "qemu"))
				bad = "--vmm-kind: expected irqpath-vmm or qemu";
			break;
		case 'U':
			o->queues = optarg;
			break;
		case 'C':
			o->vcpus = optarg;
			break;
		case 'Q':
			o->qemu = optarg;
			break;
		case 'V':
			o->vmm = optarg;
			break;
		case 'T':
			o->trace = optarg;
			break;
		case 'G':
			o->guest = optarg;
			break;
		case 'N':
			o->no_trace = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
		if (bad) {
			fprintf(stderr, "irqpath-bench: %s (got '%s')\n", bad, optarg);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "irqpath-bench: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	/* Linux runs only under qemu; qemu alone keeps the profiles' guest
	 * (the micro-guest on QEMU's devices, runner_qemu_micro.c) */
	if (o->guest_kind && !strcmp(o->guest_kind, "linux") && !o->vmm_kind)
		o->vmm_kind = "qemu";
	char err[256];
	if (sweep_build(o->queues, o->vcpus, &o->sweep, err, sizeof(err))) {
		fprintf(stderr, "irqpath-bench: %s\n", err);
		return -1;
	}
	if (!o->profile) {
		fprintf(stderr, "irqpath-bench: --profile NAME|all is required\n");
		usage(stderr);
		return -1;
	}
	return 0;
}
