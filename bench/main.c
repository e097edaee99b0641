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
#include "options.h"
#include "progress.h"
#include "resultsdoc.h"
#include "rundir.h"
#include "runner.h"
#include "sweep.h"
#include "../common/metrics.h"
#include "../common/jsonio.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
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
#define MAX_PROFILES 16
/* each profile once per sweep point */
#define MAX_RUNS (MAX_PROFILES * SWEEP_MAX_POINTS)

static const char *const all_profiles[] = {"mmio-legacy", "mmio-v3", "pci"};
/* "all" with the micro-guest on qemu: the profiles named for QEMU's devices */
static const char *qemu_micro_profile(const char *name)
{
	return !strcmp(name, "pci") ? "qemu-pci" : "qemu-mmio";
}

#define QEMU_DEFAULT_DURATION 5 /* s, when a profile counts transactions */

struct prof {
	struct bench_config cfg;
	char path[PATH_MAX];
	const struct runner *runner;
	json_t *reps; /* array of repetition records */
	json_t *first_trace_info;
	char trace_note[256];
	int failed;
	char label[PROFILE_NAME_MAX + 48]; /* "pci", or "pci q2v2" at a sweep point */
	char file[PROFILE_NAME_MAX + 48];  /* results file base: "pci", "pci-q2v2" */
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
		char f[PATH_MAX];
		pathf(f, sizeof(f), "%s/%s", dir, de->d_name);
		/* a FIFO or a directory named x.conf is not a profile */
		if (l > 5 && !strcmp(de->d_name + l - 5, ".conf") && is_file(f, 0)) {
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
	if (o->duration > 0 && !qemu && !strcmp(c->vmm, "qemu")) {
		fprintf(stderr,
			"irqpath-bench: %s: -d/--duration does not apply to the micro-guest on "
			"qemu: irqpath-qemu-micro runs -n/--transactions\n",
			name);
		return -1;
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

struct bench;
static int find_qemu_tools(struct bench *b, const char *dir);

/*
 * --baseline-transactions B: every repetition also runs B transactions, and
 * per transaction becomes (count(N) - count(B)) / (N - B). Only runs that
 * count transactions have a baseline.
 */
static int check_baseline(long baseline, const struct prof *profs, size_t np)
{
	for (size_t i = 0; baseline > 0 && i < np; i++) {
		const struct bench_config *c = &profs[i].cfg;
		if (!c->transactions || profs[i].runner == &runner_qemu_linux) {
			fprintf(stderr,
				"irqpath-bench: %s: --baseline-transactions needs a run of a "
				"number of transactions (-n), not of a duration\n",
				c->name);
			return -1;
		}
		if ((unsigned long)baseline >= c->transactions) {
			fprintf(stderr,
				"irqpath-bench: %s: --baseline-transactions %ld must be below "
				"the %lu transactions of a repetition\n",
				c->name, baseline, c->transactions);
			return -1;
		}
	}
	return 0;
}

static int tool_path(const char *given, const char *dir, const char *rel, int exec, char *buf,
		     size_t len)
{
	int n = given ? snprintf(buf, len, "%s", given) : snprintf(buf, len, "%s/%s", dir, rel);
	if (n < 0 || (size_t)n >= len)
		return -1; /* a path too long is no tool */
	return is_file(buf, exec) ? 0 : -1;
}

/* Everything one invocation works with, phase after phase. */
struct bench {
	struct opts o;
	struct prof profs[MAX_RUNS];
	size_t np;
	char vmm[PATH_MAX], trace[PATH_MAX], guest[PATH_MAX];
	char qemu[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX], qemu_micro[PATH_MAX];
	struct runner_tools tools;
	char commit[64], run_id[160], created[32], rundir[PATH_MAX], work[PATH_MAX];
	int made_rundir;
	struct rundir rd;
	struct progress pg;
	json_t *host_trace, *host_vmm; /* the first of each: facts about the host */
};

/*
 * 1b. each profile once per sweep point (--queues/--vcpus), point after
 * point; the runner must run several queues or vCPUs, and the micro-guest
 * needs a queue pair per vCPU.
 */
static int expand_sweep(struct bench *b)
{
	static struct prof base[MAX_PROFILES];
	size_t nbase = b->np;
	memcpy(base, b->profs, nbase * sizeof(*base));
	b->np = 0;
	for (size_t k = 0; k < b->o.sweep.n; k++) {
		const struct sweep_point *pt = &b->o.sweep.p[k];
		for (size_t i = 0; i < nbase; i++) {
			struct prof *p = &b->profs[b->np++];
			*p = base[i];
			p->cfg.queues = pt->queues;
			p->cfg.vcpus = pt->vcpus;
			char name[32];
			sweep_point_name(pt, name, sizeof(name));
			snprintf(p->label, sizeof(p->label), "%.*s%s%s", PROFILE_NAME_MAX,
				 base[i].cfg.name, name[0] ? " " : "", name);
			sweep_file_base(base[i].cfg.name, pt, p->file, sizeof(p->file));
			if (!sweep_point_is_default(pt) && !runner_sweeps(p->runner)) {
				fprintf(stderr,
					"irqpath-bench: %s: the %s runner runs one queue pair on "
					"one vCPU: --queues/--vcpus other than 1 do not apply\n",
					p->cfg.name, p->runner->name);
				return -1;
			}
			if (runner_sweeps(p->runner) == RUNNER_SWEEP_QUEUE_PER_VCPU &&
			    pt->vcpus > pt->queues) {
				fprintf(
				    stderr,
				    "irqpath-bench: %s: %u vCPUs on %u queue pairs: the "
				    "micro-guest runs one queue pair per vCPU (--queues must be "
				    ">= --vcpus)\n",
				    p->cfg.name, pt->vcpus, pt->queues);
				return -1;
			}
		}
	}
	return 0;
}

/* 1. every profile must parse before anything runs or is written */
static int load_profiles(struct bench *b)
{
	char cfgbuf[PATH_MAX];
	const char *cfgdir = find_config_dir(b->o.config_dir, cfgbuf, sizeof(cfgbuf));
	if (!strcmp(b->o.profile, "all")) {
		/* QEMU has no virtio-mmio v3 device: "all" there is the other two */
		int on_qemu = b->o.vmm_kind && !strcmp(b->o.vmm_kind, "qemu");
		int micro = on_qemu && !b->o.guest_kind; /* the micro-guest on QEMU's devices */
		if (on_qemu)
			fprintf(stderr,
				"irqpath-bench: all on qemu: %s (QEMU has no virtio-mmio "
				"version 3 device)\n",
				micro ? "qemu-mmio and qemu-pci" : "mmio-legacy and pci");
		for (size_t i = 0; i < 3; i++)
			if (!(on_qemu && !strcmp(all_profiles[i], "mmio-v3")) &&
			    load_profile(cfgdir,
					 micro ? qemu_micro_profile(all_profiles[i])
					       : all_profiles[i],
					 &b->o, &b->profs[b->np++]))
				return -1;
	} else {
		char list[256];
		snprintf(list, sizeof(list), "%s", b->o.profile);
		for (char *save, *t = strtok_r(list, ",", &save); t;
		     t = strtok_r(NULL, ",", &save)) {
			if (b->np == MAX_PROFILES) {
				fprintf(stderr, "irqpath-bench: at most %d profiles\n",
					MAX_PROFILES);
				return -1;
			}
			if (load_profile(cfgdir, t, &b->o, &b->profs[b->np++]))
				return -1;
		}
	}
	return expand_sweep(b) ? -1 : check_baseline(b->o.baseline, b->profs, b->np);
}

/* 2. the tools, for the runners these profiles use */
static int find_tools(struct bench *b)
{
	int need_micro = 0, need_qemu = 0;
	for (size_t i = 0; i < b->np; i++) {
		if (b->profs[i].runner == &runner_qemu_linux)
			need_qemu = 1;
		else
			need_micro = 1;
	}
	char dir[PATH_MAX];
	exe_dir(dir, sizeof(dir));
	if (need_micro && tool_path(b->o.vmm, dir, "irqpath-vmm", 1, b->vmm, sizeof(b->vmm))) {
		fprintf(stderr, "irqpath-bench: %s: not found or not executable (run make)\n",
			b->vmm);
		return -1;
	}
	/* the build tree's build/guest/, else an installed share/irqpath/guest/ */
	if (need_micro &&
	    tool_path(b->o.guest, dir, "../guest/microguest.elf", 0, b->guest, sizeof(b->guest)) &&
	    (b->o.guest || tool_path(NULL, dir, "../share/irqpath/guest/microguest.elf", 0,
				     b->guest, sizeof(b->guest)))) {
		fprintf(stderr, "irqpath-bench: %s: micro-guest not found (run make)\n", b->guest);
		return -1;
	}
	if (need_qemu && find_qemu_tools(b, dir))
		return -1;
	for (size_t i = 0; i < b->np && !b->qemu_micro[0]; i++)
		if (b->profs[i].runner == &runner_qemu_micro &&
		    tool_path(NULL, dir, "irqpath-qemu-micro", 1, b->qemu_micro,
			      sizeof(b->qemu_micro))) {
			fprintf(stderr,
				"irqpath-bench: %s: not found or not executable (run make)\n",
				b->qemu_micro);
			return -1;
		}
	int have_trace =
	    need_micro && !b->o.no_trace &&
	    !tool_path(b->o.trace, dir, "irqpath-trace", 1, b->trace, sizeof(b->trace));
	if (need_micro && !b->o.no_trace && !have_trace)
		fprintf(stderr, "irqpath-bench: warning: %s not found: host counts will be null\n",
			b->trace);
	struct runner_tools t = {need_micro ? b->vmm : NULL,
				 have_trace ? b->trace : NULL,
				 need_micro ? b->guest : NULL,
				 need_qemu ? b->qemu : NULL,
				 need_qemu ? b->kernel : NULL,
				 need_qemu ? b->initrd : NULL,
				 b->qemu_micro[0] ? b->qemu_micro : NULL};
	b->tools = t;
	return 0;
}
static int find_qemu_tools(struct bench *b, const char *dir)
{
	if (tool_path(b->o.qemu, dir, "irqpath-qemu", 1, b->qemu, sizeof(b->qemu))) {
		fprintf(stderr, "irqpath-bench: %s: not found or not executable (run make)\n",
			b->qemu);
		return -1;
	}
	/* the build tree's BUILD/guest-linux (irqpath-qemu's own default), else
	 * what make install shipped in share/irqpath/guest-linux */
	static const char *const where[] = {"../guest-linux", "../share/irqpath/guest-linux"};
	for (size_t i = 0; i < sizeof(where) / sizeof(*where); i++) {
		char k[PATH_MAX], r[PATH_MAX];
		snprintf(k, sizeof(k), "%s/vmlinuz", where[i]);
		snprintf(r, sizeof(r), "%s/initramfs.cpio.gz", where[i]);
		if (!tool_path(NULL, dir, k, 0, b->kernel, sizeof(b->kernel)) &&
		    !tool_path(NULL, dir, r, 0, b->initrd, sizeof(b->initrd)))
			return 0;
	}
	fprintf(stderr,
		"irqpath-bench: the Linux guest is not built: neither %s/%s/{vmlinuz,"
		"initramfs.cpio.gz} nor %s/%s/... exist; in the source tree run\n"
		"  make guest-linux        (then make install ships it)\n"
		"or make bench GUEST=linux, which builds it\n",
		dir, where[0], dir, where[1]);
	return -1;
}

/*
 * 2b. what every run needs and a user cannot fix between repetitions: stop
 * at once, naming it, rather than run the warm-up and each repetition into
 * the same error. 0 or -1.
 */
static int preflight(const struct bench *b)
{
	if (b->tools.vmm && access("/dev/kvm", R_OK | W_OK)) {
		fprintf(stderr, "irqpath-bench: /dev/kvm: %s: irqpath-vmm needs it (run as root)\n",
			strerror(errno));
		return -1;
	}
	int traced = 0;
	for (size_t i = 0; i < b->np; i++)
		traced |= b->tools.trace && strcmp(b->profs[i].cfg.trace_backend, "none");
	if (traced && geteuid() != 0) {
		fprintf(stderr, "irqpath-bench: irqpath-trace needs root (BPF, tracefs): run as "
				"root, or with --no-trace for no host counts\n");
		return -1;
	}
	return 0;
}

/* 3. the run directory and a private work directory; EXIT_* or 0 */
static int make_run_dir(struct bench *b)
{
	git_commit(b->commit, sizeof(b->commit));
	time_t now = time(NULL);
	strftime(b->created, sizeof(b->created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (b->o.run_id) {
		snprintf(b->run_id, sizeof(b->run_id), "%s", b->o.run_id);
	} else {
		char ts[32];
		strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", gmtime(&now));
		snprintf(b->run_id, sizeof(b->run_id), "%s-%s", ts,
			 b->commit[0] ? b->commit : "nogit");
	}
	if (mkdir(b->o.out, 0755) && errno != EEXIST) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", b->o.out, strerror(errno));
		return EXIT_RUNTIME;
	}
	int rc = rundir_create(&b->rd, b->o.out, b->run_id, b->o.run_id != NULL);
	if (rc)
		return rc == RUNDIR_ERR_BUSY ? EXIT_USAGE : EXIT_RUNTIME;
	snprintf(b->run_id, sizeof(b->run_id), "%s", b->rd.id);
	snprintf(b->rundir, sizeof(b->rundir), "%s", b->rd.path);
	b->made_rundir = b->rd.made;
	for (size_t i = 0; i < b->np; i++) {
		char f[PATH_MAX + 80];
		pathf(f, sizeof(f), "%s/%s.json", b->rundir, b->profs[i].file);
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
	pathf(b->work, sizeof(b->work), "%s/irqpath-bench-XXXXXX",
	      tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(b->work)) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", b->work, strerror(errno));
		if (b->made_rundir)
			rmdir(b->rundir);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* 4a. warm-ups, untraced, before any measured repetition */
static void run_warmups(struct bench *b)
{
	for (size_t i = 0; i < b->np && !proc_stop_signal; i++) {
		struct prof *p = &b->profs[i];
		if (!p->cfg.warmup || !p->runner->warmup)
			continue;
		struct runner_job job = {&p->cfg, &b->tools,	 b->work, p->cfg.warmup,
					 0,	  progress_tick, &b->pg};
		struct runner_output out = {0};
		progress_begin(&b->pg, "%s warm-up (%lu transactions)", p->label, p->cfg.warmup);
		if (p->runner->run(&job, &out))
			progress_end(&b->pg, "failed: %s", out.error);
		else
			progress_end(&b->pg, "done");
		runner_output_free(&out);
	}
}

/* The baseline run of a repetition: its record, or NULL (ERR says why). */
static json_t *run_baseline(struct bench *b, struct prof *p, int index, char *err, size_t len)
{
	struct runner_job job = {&p->cfg, &b->tools,	 b->work, (unsigned long)b->o.baseline,
				 1,	  progress_tick, &b->pg};
	struct runner_output out = {0};
	progress_begin(&b->pg, "%s baseline %d (%ld transactions)", p->label, index, b->o.baseline);
	json_t *rec = NULL;
	if (p->runner->run(&job, &out)) {
		snprintf(err, len, "baseline run: %s", out.error);
		progress_end(&b->pg, "FAILED: %s", out.error);
	} else {
		rec = p->runner->record(index, &out);
		progress_end(&b->pg, "done");
	}
	runner_output_free(&out);
	return rec;
}

/* Keeps what the results need from a good repetition's output. */
static void keep_output(struct bench *b, struct prof *p, const struct runner_output *out)
{
	if (out->trace && !p->first_trace_info)
		p->first_trace_info = json_incref(out->trace);
	if (!out->trace && !p->trace_note[0])
		snprintf(p->trace_note, sizeof(p->trace_note), "%s", out->trace_note);
	if (out->trace && !b->host_trace)
		b->host_trace = json_incref(out->trace);
	if (!b->host_vmm && out->vmm)
		b->host_vmm = json_incref(out->vmm);
}

static void report_rep(struct bench *b, const json_t *rep, const struct runner_output *out)
{
	const char *note = json_string_value(json_object_get(rep, "note"));
	const json_t *m =
	    json_object_get(rep, json_object_get(rep, "marginal") ? "marginal" : "metrics");
	char exits[48] = "";
	double e = jnum(json_object_get(m, metric_key(M_EXITS)));
	if (!isnan(e))
		snprintf(exits, sizeof(exits), ", %.2f exits/txn", e);
	progress_end(&b->pg, "%.1f trans/s over %lld transactions%s%s%s%s",
		     jnum(json_object_get(m, metric_key(M_TRANS_PER_S))),
		     (long long)json_integer_value(json_object_get(rep, "transactions")), exits,
		     out->trace ? "" : " (",
		     out->trace ? ""
		     : note	? note
				: "no host counts",
		     out->trace ? "" : ")");
}

/* One repetition (after its baseline run, if any): 0, or -1 if interrupted */
static int run_repetition(struct bench *b, struct prof *p, unsigned r)
{
	char err[600] = "";
	json_t *base = NULL;
	if (b->o.baseline > 0 && !(base = run_baseline(b, p, (int)r + 1, err, sizeof(err)))) {
		if (proc_stop_signal)
			return -1;
		json_array_append_new(p->reps, merge_failed((int)r + 1, err));
		p->failed = 1;
		return 0;
	}
	struct runner_job job = {&p->cfg, &b->tools, b->work, 0, 1, progress_tick, &b->pg};
	struct runner_output out = {0};
	progress_begin(&b->pg, "%s repetition %u/%u", p->label, r + 1, p->cfg.repetitions);
	if (p->runner->run(&job, &out)) {
		int stop = out.interrupted;
		if (!stop) {
			progress_end(&b->pg, "FAILED: %s", out.error);
			json_array_append_new(p->reps, merge_failed((int)r + 1, out.error));
			p->failed = 1;
		}
		runner_output_free(&out);
		json_decref(base);
		return stop ? -1 : 0;
	}
	json_t *rep = p->runner->record((int)r + 1, &out);
	if (merge_check_host(rep, err, sizeof(err))) {
		json_decref(rep);
		rep = merge_failed((int)r + 1, err);
		p->failed = 1;
		progress_end(&b->pg, "FAILED: %s", err);
	} else if (base && merge_baseline(rep, base)) {
		json_decref(rep);
		rep = merge_failed((int)r + 1, "the baseline run did not complete fewer "
					       "transactions than the repetition");
		p->failed = 1;
		progress_end(&b->pg, "FAILED: baseline not below the run");
	} else {
		keep_output(b, p, &out);
		report_rep(b, rep, &out);
	}
	json_array_append_new(p->reps, rep);
	runner_output_free(&out);
	json_decref(base);
	return 0;
}

/* 4b. repetitions interleaved across profiles, so drift hits all alike */
static void run_all(struct bench *b)
{
	unsigned maxreps = 0;
	int steps = 0, per = b->o.baseline > 0 ? 2 : 1;
	for (size_t i = 0; i < b->np; i++) {
		b->profs[i].reps = json_array();
		if (b->profs[i].cfg.repetitions > maxreps)
			maxreps = b->profs[i].cfg.repetitions;
		steps += per * (int)b->profs[i].cfg.repetitions + (b->profs[i].cfg.warmup > 0);
	}
	progress_init(&b->pg, steps, b->o.quiet);
	run_warmups(b);
	for (unsigned r = 0; r < maxreps && !proc_stop_signal; r++)
		for (size_t i = 0; i < b->np && !proc_stop_signal; i++)
			if (r < b->profs[i].cfg.repetitions && run_repetition(b, &b->profs[i], r))
				return;
}

/* 5. one file per profile that has at least one good repetition; EXIT_* */
static int write_results(struct bench *b)
{
	json_t *host = hostinfo_json(b->host_trace, b->host_vmm);
	int wrote = 0, rc = 0;
	for (size_t i = 0; i < b->np; i++) {
		struct prof *p = &b->profs[i];
		size_t ok = 0, k;
		json_t *rep;
		rc |= p->failed;
		json_array_foreach(p->reps, k, rep) ok +=
		    !strcmp(json_string_value(json_object_get(rep, "status")), "ok");
		if (!ok) {
			fprintf(stderr,
				"irqpath-bench: %s: every repetition failed; no results file\n",
				p->label);
			continue;
		}
		struct results_meta m = {&p->cfg,
					 p->path,
					 p->runner->name,
					 p->runner == &runner_qemu_linux,
					 b->run_id,
					 b->commit,
					 b->created,
					 b->o.baseline,
					 p->first_trace_info,
					 p->trace_note};
		json_t *doc = results_document(&m, p->reps, host);
		char f[PATH_MAX + 80];
		pathf(f, sizeof(f), "%s/%s.json", b->rundir, p->file);
		if (atomic_write_json(f, doc)) {
			fprintf(stderr, "irqpath-bench: %s: %s\n", f, strerror(errno));
			rc = 1;
		} else {
			fprintf(stderr, "irqpath-bench: wrote %s\n", f);
			wrote++;
		}
		json_decref(doc);
	}
	json_decref(host);
	if (!wrote) {
		if (b->made_rundir)
			rmdir(b->rundir);
		return EXIT_RUNTIME;
	}
	printf("%s\n", b->rundir);
	return rc ? EXIT_RUNTIME : 0;
}

static void bench_free(struct bench *b)
{
	rundir_release(&b->rd);
	json_decref(b->host_trace);
	json_decref(b->host_vmm);
	for (size_t i = 0; i < b->np; i++) {
		json_decref(b->profs[i].reps);
		json_decref(b->profs[i].first_trace_info);
	}
}

int main(int argc, char **argv)
{
	static struct bench b;
	if (options_parse(argc, argv, &b.o))
		return EXIT_USAGE;
	proc_install_handlers();
	if (load_profiles(&b))
		return EXIT_USAGE;
	if (find_tools(&b) || preflight(&b))
		return EXIT_RUNTIME;
	int rc = make_run_dir(&b);
	if (rc)
		return rc;
	run_all(&b);
	rm_tree(b.work);
	if (proc_stop_signal) {
		progress_clear(&b.pg);
		fprintf(stderr,
			"irqpath-bench: interrupted (signal %d): VM and tracer stopped, "
			"no results written\n",
			(int)proc_stop_signal);
		if (b.made_rundir)
			rmdir(b.rundir); /* only if empty */
		bench_free(&b);
		return EXIT_INTERRUPTED;
	}
	rc = write_results(&b);
	bench_free(&b);
	return rc;
}
