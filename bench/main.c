/* SPDX-License-Identifier: MIT */
/*
 * irqpath-bench: runs profiles' workloads under the tracer, repetitions of
 * several profiles interleaved so drift hits all alike, and writes one
 * irqpath-results/1 file per profile into results/<run-id>/. Nothing is
 * written until every repetition is done; an interrupted run leaves no VM,
 * no tracer and no results file behind.
 */
#include "config.h"
#include "hostinfo.h"
#include "linuxrec.h"
#include "merge.h"
#include "proc.h"
#include "progress.h"
#include "runner.h"
#include "../reports/jsonio.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define MAX_PROFILES 8

static const char *const all_profiles[] = {"mmio-legacy", "mmio-v3", "pci"};

#define QEMU_DEFAULT_DURATION 5 /* s, when a profile counts transactions */

struct opts {
	const char *profile, *config_dir, *out, *run_id, *vmm, *trace, *guest;
	const char *guest_kind, *vmm_kind, *qemu;
	long repetitions, transactions, warmup, duration;
	int no_trace, quiet;
};

struct prof {
	struct bench_config cfg;
	char path[PATH_MAX];
	const struct runner *runner;
	json_t *reps; /* array of repetition records */
	json_t *first_trace_info;
	char trace_note[256];
	int failed;
};

/* snprintf for paths, without compile-time truncation guesses; -1 if cut */
static int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

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
	      "  -d, --duration S     seconds per repetition instead of transactions\n"
	      "                       (Linux guests; default: the profile's, else 5)\n"
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

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
	    {"profile", 1, 0, 'p'},  {"config", 1, 0, 'c'},	 {"out", 1, 0, 'o'},
	    {"run-id", 1, 0, 'I'},   {"repetitions", 1, 0, 'r'}, {"transactions", 1, 0, 'n'},
	    {"warmup", 1, 0, 'w'},   {"vmm", 1, 0, 'V'},	 {"trace", 1, 0, 'T'},
	    {"guest", 1, 0, 'G'},    {"no-trace", 0, 0, 'N'},	 {"quiet", 0, 0, 'q'},
	    {"help", 0, 0, 'h'},     {"duration", 1, 0, 'd'},	 {"guest-kind", 1, 0, 'K'},
	    {"vmm-kind", 1, 0, 'M'}, {"qemu", 1, 0, 'Q'},	 {0}};
	memset(o, 0, sizeof(*o));
	o->out = "results";
	o->repetitions = o->transactions = o->warmup = o->duration = -1;
	int c;
	while ((c = getopt_long(argc, argv, "p:c:o:r:n:w:d:qh", lo, NULL)) != -1) {
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
	/* the two come as a pair: Linux runs under qemu, qemu runs Linux */
	if (o->guest_kind && !strcmp(o->guest_kind, "linux") && !o->vmm_kind)
		o->vmm_kind = "qemu";
	if (o->vmm_kind && !strcmp(o->vmm_kind, "qemu") && !o->guest_kind)
		o->guest_kind = "linux";
	if (!o->profile) {
		fprintf(stderr, "irqpath-bench: --profile NAME|all is required\n");
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Directory holding this executable (for tools next to it). */
static void exe_dir(char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0) {
		snprintf(out, len, ".");
		return;
	}
	buf[n] = '\0';
	snprintf(out, len, "%s", dirname(buf));
}

static int is_file(const char *p, int exec)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode) && (!exec || !access(p, X_OK));
}

static const char *find_config_dir(const char *given, char *buf, size_t len)
{
	if (given)
		return given;
	struct stat st;
	if (!stat("configs", &st) && S_ISDIR(st.st_mode))
		return "configs";
	char dir[PATH_MAX];
	exe_dir(dir, sizeof(dir));
	pathf(buf, len, "%s/../share/irqpath/configs", dir); /* installed */
	if (!stat(buf, &st) && S_ISDIR(st.st_mode))
		return buf;
	pathf(buf, len, "%s/../../configs", dir); /* build/bin in the tree */
	return buf;
}

static void list_profiles(const char *dir, char *out, size_t len)
{
	out[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 5 && !strcmp(de->d_name + l - 5, ".conf")) {
			size_t o = strlen(out);
			snprintf(out + o, len - o, "%s%.*s", o ? ", " : "", (int)(l - 5),
				 de->d_name);
		}
	}
	closedir(d);
}

static int load_profile(const char *dir, const char *name, const struct opts *o, struct prof *p)
{
	char err[600];
	if (!config_name_ok(name)) {
		fprintf(stderr, "irqpath-bench: bad profile name '%s'\n", name);
		return -1;
	}
	snprintf(p->path, sizeof(p->path), "%s/%s.conf", dir, name);
	if (!is_file(p->path, 0)) {
		char avail[512];
		list_profiles(dir, avail, sizeof(avail));
		fprintf(stderr, "irqpath-bench: unknown profile '%s': no %s (available: %s, all)\n",
			name, p->path, avail[0] ? avail : "none");
		return -1;
	}
	config_defaults(&p->cfg);
	if (config_load(p->path, &p->cfg, err, sizeof(err))) {
		fprintf(stderr, "irqpath-bench: %s\n", err);
		return -1;
	}
	snprintf(p->cfg.name, sizeof(p->cfg.name), "%s", name);
	struct bench_config *c = &p->cfg;
	if (o->guest_kind) {
		snprintf(c->guest, sizeof(c->guest), "%s", o->guest_kind);
		c->guest_line = 0;
	}
	if (o->vmm_kind) {
		snprintf(c->vmm, sizeof(c->vmm), "%s", o->vmm_kind);
		c->vmm_line = 0;
	}
	/* the same rules once more, with the command line's guest and vmm */
	if ((o->guest_kind || o->vmm_kind) && config_check(c, p->path, err, sizeof(err))) {
		fprintf(stderr, "irqpath-bench: %s%s\n", err,
			o->guest_kind && o->vmm_kind ? "" : " (see --guest-kind and --vmm-kind)");
		return -1;
	}
	int qemu = !strcmp(c->guest, "linux"); /* Linux guests, on qemu or irqpath-vmm */
	if (o->repetitions > 0)
		c->repetitions = (unsigned)o->repetitions;
	if (o->transactions > 0) {
		if (qemu) {
			fprintf(stderr,
				"irqpath-bench: %s: -n/--transactions does not apply to a Linux "
				"guest under qemu: it runs for -d/--duration seconds\n",
				name);
			return -1;
		}
		c->transactions = (unsigned long)o->transactions;
		c->duration_s = 0;
	}
	if (o->duration > 0) {
		c->duration_s = (unsigned)o->duration;
		c->transactions = 0;
	}
	if (o->warmup >= 0)
		c->warmup = (unsigned long)o->warmup;
	if (qemu) {
		/* irqpath-rr warms up inside each run; QEMU needs a tap, not reflect */
		if (!c->duration_s)
			c->duration_s = QEMU_DEFAULT_DURATION;
		c->transactions = 0;
		c->warmup = 0;
		snprintf(c->backend, sizeof(c->backend), "tap");
	}
	p->runner = runner_for(&p->cfg);
	if (!p->runner) {
		fprintf(stderr, "irqpath-bench: %s: no runner for guest '%s'\n", p->path,
			p->cfg.guest);
		return -1;
	}
	return 0;
}

static void git_commit(char *out, size_t len)
{
	out[0] = '\0';
	FILE *f = popen("git rev-parse --short HEAD 2>/dev/null", "r");
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	pclose(f);
	if (!config_name_ok(out))
		out[0] = '\0';
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		struct stat st;
		if (!lstat(p, &st) && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static json_t *tracer_json(const struct prof *p)
{
	const json_t *t = p->first_trace_info;
	if (!t)
		return json_pack("{s:b, s:n, s:n, s:[], s:s}", "available", 0, "backend",
				 "exit_source", "missing_tracepoints", "note",
				 p->trace_note[0] ? p->trace_note : "no tracer snapshot");
	return json_pack("{s:b, s:O?, s:O?, s:O?, s:O?, s:O?, s:n}", "available", 1, "backend",
			 json_object_get(t, "backend"), "exit_source",
			 json_object_get(t, "exit_source"), "exit_source_detail",
			 json_object_get(t, "exit_source_detail"), "missing_tracepoints",
			 json_object_get(t, "missing_tracepoints"), "lost_events",
			 json_object_get(t, "lost_events"), "note");
}

/*
 * What ran the guest, over the ok repetitions: accel "kvm" | "tcg" | "mixed",
 * kvm_counters true only if every one ran under KVM, and the note readers
 * show instead of host counts. The micro-guest always runs under KVM.
 */
static void accel_fields(const struct prof *p, json_t *d)
{
	int kvm = 0, tcg = 0;
	const char *note = NULL;
	size_t i;
	json_t *rep;
	json_array_foreach(p->reps, i, rep)
	{
		if (strcmp(json_string_value(json_object_get(rep, "status")), "ok"))
			continue;
		const char *a = json_string_value(json_object_get(rep, "accel"));
		if (a && !strcmp(a, "tcg"))
			tcg = 1;
		else
			kvm = 1;
		const char *n = json_string_value(json_object_get(rep, "note"));
		if (n && !note)
			note = n;
	}
	const char *accel = kvm && tcg ? "mixed" : tcg ? "tcg" : "kvm";
	if (tcg)
		note = kvm ? "no KVM counters (TCG) for some repetitions" : LINUX_NOTE_TCG;
	json_object_set_new(d, "accel", json_string(accel));
	json_object_set_new(d, "kvm_counters", json_boolean(!tcg));
	json_object_set_new(d, "note", note ? json_string(note) : json_null());
}

static json_t *results_doc(const struct prof *p, const char *run_id, const char *commit,
			   const char *created, const json_t *host)
{
	const struct bench_config *c = &p->cfg;
	int qemu = p->runner == &runner_qemu_linux;
	json_t *h = json_deep_copy(host);
	json_t *d = json_pack(
	    "{s:s, s:s, s:s?, s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}, "
	    "s:{s:i, s:i, s:I, s:i, s:i, s:I}}",
	    "schema", "irqpath-results/1", "run_id", run_id, "commit", commit[0] ? commit : NULL,
	    "created", created, "tool", "irqpath-bench", "host", h, "profile", "name", c->name,
	    "transport", c->transport, "guest", c->guest, "vmm", c->vmm, "backend", c->backend,
	    "notify", qemu ? "qemu" : c->notify, "runner", p->runner->name, "config", p->path,
	    "trace_backend", qemu ? "none" : c->trace_backend, "workload", "req", c->req, "resp",
	    c->resp, "transactions", (json_int_t)c->transactions, "duration_s", c->duration_s,
	    "repetitions", c->repetitions, "warmup", (json_int_t)c->warmup);
	accel_fields(p, d);
	if (qemu) { /* not irqpath-vmm's irqchip: QEMU's, emulated under TCG */
		int tcg = !json_is_true(json_object_get(d, "kvm_counters"));
		json_object_set_new(h, "irqchip",
				    json_string(tcg ? "QEMU (TCG, emulated)" : "QEMU -accel kvm"));
		json_object_set_new(h, "irqchip_source", json_string("irqpath-qemu (accel)"));
	}
	json_object_set_new(d, "tracer", tracer_json(p));
	json_object_set_new(d, "repetitions", json_incref(p->reps));
	json_object_set_new(d, "summary", aggregate_summary(p->reps));
	json_object_set_new(d, "agreement", aggregate_agreement(p->reps));
	return d;
}

static int tool_path(const char *given, const char *dir, const char *rel, int exec, char *buf,
		     size_t len)
{
	if (given)
		snprintf(buf, len, "%s", given);
	else
		snprintf(buf, len, "%s/%s", dir, rel);
	return is_file(buf, exec) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	proc_install_handlers();

	/* 1. every profile must parse before anything runs or is written */
	char cfgbuf[PATH_MAX];
	const char *cfgdir = find_config_dir(o.config_dir, cfgbuf, sizeof(cfgbuf));
	static struct prof profs[MAX_PROFILES];
	size_t np = 0;
	if (!strcmp(o.profile, "all")) {
		/* QEMU has no virtio-mmio v3 device: "all" there is the other two */
		int on_qemu = o.vmm_kind && !strcmp(o.vmm_kind, "qemu");
		if (on_qemu)
			fprintf(stderr, "irqpath-bench: all on qemu: mmio-legacy and pci (QEMU has "
					"no virtio-mmio version 3 device)\n");
		for (size_t i = 0; i < 3; i++)
			if (!(on_qemu && !strcmp(all_profiles[i], "mmio-v3")) &&
			    load_profile(cfgdir, all_profiles[i], &o, &profs[np++]))
				return EXIT_USAGE;
	} else {
		char list[256];
		snprintf(list, sizeof(list), "%s", o.profile);
		for (char *save, *t = strtok_r(list, ",", &save); t;
		     t = strtok_r(NULL, ",", &save)) {
			if (np == MAX_PROFILES) {
				fprintf(stderr, "irqpath-bench: at most %d profiles\n",
					MAX_PROFILES);
				return EXIT_USAGE;
			}
			if (load_profile(cfgdir, t, &o, &profs[np++]))
				return EXIT_USAGE;
		}
	}

	/* 2. the tools, for the runners these profiles use */
	int need_micro = 0, need_qemu = 0;
	for (size_t i = 0; i < np; i++) {
		if (profs[i].runner == &runner_qemu_linux)
			need_qemu = 1;
		else
			need_micro = 1;
	}
	char dir[PATH_MAX], vmm[PATH_MAX], trace[PATH_MAX], guest[PATH_MAX];
	char qemu[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX];
	exe_dir(dir, sizeof(dir));
	if (need_micro && tool_path(o.vmm, dir, "irqpath-vmm", 1, vmm, sizeof(vmm))) {
		fprintf(stderr, "irqpath-bench: %s: not found or not executable (run make)\n", vmm);
		return EXIT_RUNTIME;
	}
	/* the build tree's build/guest/, else an installed share/irqpath/guest/ */
	if (need_micro &&
	    tool_path(o.guest, dir, "../guest/microguest.elf", 0, guest, sizeof(guest)) &&
	    (o.guest || tool_path(NULL, dir, "../share/irqpath/guest/microguest.elf", 0, guest,
				  sizeof(guest)))) {
		fprintf(stderr, "irqpath-bench: %s: micro-guest not found (run make)\n", guest);
		return EXIT_RUNTIME;
	}
	if (need_qemu) {
		if (tool_path(o.qemu, dir, "irqpath-qemu", 1, qemu, sizeof(qemu))) {
			fprintf(stderr,
				"irqpath-bench: %s: not found or not executable (run make)\n",
				qemu);
			return EXIT_RUNTIME;
		}
		/* irqpath-qemu's own default: BUILD/guest-linux next to BUILD/bin */
		if (tool_path(NULL, dir, "../guest-linux/vmlinuz", 0, kernel, sizeof(kernel)) ||
		    tool_path(NULL, dir, "../guest-linux/initramfs.cpio.gz", 0, initrd,
			      sizeof(initrd))) {
			fprintf(stderr,
				"irqpath-bench: the Linux guest is not built (%s or %s missing): "
				"run make guest-linux (make bench GUEST=linux builds it)\n",
				kernel, initrd);
			return EXIT_RUNTIME;
		}
	}
	int have_trace = need_micro && !o.no_trace &&
			 !tool_path(o.trace, dir, "irqpath-trace", 1, trace, sizeof(trace));
	if (need_micro && !o.no_trace && !have_trace)
		fprintf(stderr, "irqpath-bench: warning: %s not found: host counts will be null\n",
			trace);
	struct runner_tools tools = {need_micro ? vmm : NULL,	have_trace ? trace : NULL,
				     need_micro ? guest : NULL, need_qemu ? qemu : NULL,
				     need_qemu ? kernel : NULL, need_qemu ? initrd : NULL};

	/* 3. the run directory and a private work directory inside it */
	char commit[64], run_id[128], created[32], rundir[PATH_MAX], work[PATH_MAX];
	git_commit(commit, sizeof(commit));
	time_t now = time(NULL);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (o.run_id)
		snprintf(run_id, sizeof(run_id), "%s", o.run_id);
	else {
		char ts[32];
		strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", gmtime(&now));
		snprintf(run_id, sizeof(run_id), "%s-%s", ts, commit[0] ? commit : "nogit");
	}
	if (mkdir(o.out, 0755) && errno != EEXIST) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", o.out, strerror(errno));
		return EXIT_RUNTIME;
	}
	snprintf(rundir, sizeof(rundir), "%s/%s", o.out, run_id);
	int made_rundir = !mkdir(rundir, 0755);
	if (!made_rundir && errno != EEXIST) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", rundir, strerror(errno));
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < np; i++) {
		char f[PATH_MAX + 80];
		pathf(f, sizeof(f), "%s/%s.json", rundir, profs[i].cfg.name);
		if (!access(f, F_OK)) {
			fprintf(stderr, "irqpath-bench: %s exists; choose another --run-id\n", f);
			return EXIT_USAGE;
		}
	}
	/*
	 * Scratch files (per-repetition JSON, logs) live off the results disk:
	 * when that disk fills up, the children's own error messages survive
	 * and only the final atomic write of the results can fail.
	 */
	const char *tmpdir = getenv("TMPDIR");
	pathf(work, sizeof(work), "%s/irqpath-bench-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(work)) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", work, strerror(errno));
		if (made_rundir)
			rmdir(rundir);
		return EXIT_RUNTIME;
	}

	/* 4. warm-ups, then repetitions interleaved across profiles */
	unsigned maxreps = 0;
	int steps = 0;
	for (size_t i = 0; i < np; i++) {
		profs[i].reps = json_array();
		if (profs[i].cfg.repetitions > maxreps)
			maxreps = profs[i].cfg.repetitions;
		steps += (int)profs[i].cfg.repetitions + (profs[i].cfg.warmup > 0);
	}
	struct progress pg;
	progress_init(&pg, steps, o.quiet);
	int any_failed = 0;
	json_t *host_trace = NULL, *host_vmm = NULL;
	for (size_t i = 0; i < np && !proc_stop_signal; i++) {
		struct prof *p = &profs[i];
		if (!p->cfg.warmup || !p->runner->warmup)
			continue;
		struct runner_job job = {&p->cfg, &tools,	 work, p->cfg.warmup,
					 0,	  progress_tick, &pg};
		struct runner_output out = {0};
		progress_begin(&pg, "%s warm-up (%lu transactions)", p->cfg.name, p->cfg.warmup);
		if (p->runner->run(&job, &out))
			progress_end(&pg, "failed: %s", out.error);
		else
			progress_end(&pg, "done");
		runner_output_free(&out);
	}
	for (unsigned r = 0; r < maxreps && !proc_stop_signal; r++) {
		for (size_t i = 0; i < np && !proc_stop_signal; i++) {
			struct prof *p = &profs[i];
			if (r >= p->cfg.repetitions)
				continue;
			struct runner_job job = {&p->cfg, &tools, work, 0, 1, progress_tick, &pg};
			struct runner_output out = {0};
			progress_begin(&pg, "%s repetition %u/%u", p->cfg.name, r + 1,
				       p->cfg.repetitions);
			if (p->runner->run(&job, &out)) {
				if (out.interrupted)
					break;
				progress_end(&pg, "FAILED: %s", out.error);
				json_array_append_new(p->reps, merge_failed((int)r + 1, out.error));
				any_failed = p->failed = 1;
			} else {
				json_t *rep = p->runner->record((int)r + 1, &out);
				json_array_append_new(p->reps, rep);
				if (out.trace && !p->first_trace_info)
					p->first_trace_info = json_incref(out.trace);
				if (!out.trace && !p->trace_note[0])
					snprintf(p->trace_note, sizeof(p->trace_note), "%s",
						 out.trace_note);
				if (out.trace && !host_trace)
					host_trace = json_incref(out.trace);
				if (!host_vmm && out.vmm)
					host_vmm = json_incref(out.vmm);
				const char *note = json_string_value(json_object_get(rep, "note"));
				progress_end(&pg, "%.1f trans/s over %lld transactions%s%s%s",
					     jnum(json_object_get(json_object_get(rep, "metrics"),
								  "trans_per_s")),
					     (long long)json_integer_value(
						 json_object_get(rep, "transactions")),
					     out.trace ? "" : " (",
					     out.trace ? ""
					     : note    ? note
						       : "no host counts",
					     out.trace ? "" : ")");
			}
			runner_output_free(&out);
		}
	}
	rm_tree(work);

	if (proc_stop_signal) {
		progress_clear(&pg);
		fprintf(stderr,
			"irqpath-bench: interrupted (signal %d): VM and tracer stopped, "
			"no results written\n",
			(int)proc_stop_signal);
		if (made_rundir)
			rmdir(rundir); /* only if empty */
		return EXIT_INTERRUPTED;
	}

	/* 5. one file per profile that has at least one good repetition */
	json_t *host = hostinfo_json(host_trace, host_vmm);
	int wrote = 0, rc = any_failed ? EXIT_RUNTIME : 0;
	for (size_t i = 0; i < np; i++) {
		struct prof *p = &profs[i];
		size_t ok = 0, k;
		json_t *rep;
		json_array_foreach(p->reps, k, rep) ok +=
		    !strcmp(json_string_value(json_object_get(rep, "status")), "ok");
		if (!ok) {
			fprintf(stderr,
				"irqpath-bench: %s: every repetition failed; no results file\n",
				p->cfg.name);
			continue;
		}
		json_t *doc = results_doc(p, run_id, commit, created, host);
		char f[PATH_MAX + 80];
		pathf(f, sizeof(f), "%s/%s.json", rundir, p->cfg.name);
		if (atomic_write_json(f, doc)) {
			fprintf(stderr, "irqpath-bench: %s: %s\n", f, strerror(errno));
			rc = EXIT_RUNTIME;
		} else {
			fprintf(stderr, "irqpath-bench: wrote %s\n", f);
			wrote++;
		}
		json_decref(doc);
	}
	json_decref(host);
	json_decref(host_trace);
	json_decref(host_vmm);
	for (size_t i = 0; i < np; i++) {
		json_decref(profs[i].reps);
		json_decref(profs[i].first_trace_info);
	}
	if (!wrote) {
		if (made_rundir)
			rmdir(rundir);
		return EXIT_RUNTIME;
	}
	printf("%s\n", rundir);
	return rc;
}
