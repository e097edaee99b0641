/* SPDX-License-Identifier: MIT */
/*
 * One repetition of the micro-guest on QEMU's own virtio devices under KVM
 * (profiles qemu-mmio and qemu-pci, or any micro-guest profile with
 * --vmm-kind qemu):
 *
 *   irqpath-qemu-micro --machine microvm|q35 --hold --pid-file P --layout L --json R ...
 *   irqpath-trace record -p $(cat P) --layout L -o T     (once P exists)
 *   kill -USR1 <runner>                                  (once the tracer says "attached")
 *
 * The tracer filters on QEMU's own pid (QEMU is the runner's direct child,
 * held paused until released), so the host counts are QEMU's and never
 * lost to a process tree. The runner is the bench's tracked child group (a
 * stop signal reaches it; it stops QEMU and removes its netns); the tracer
 * has a group of its own, so the runner's end does not cut its snapshot
 * short, and it is stopped here when the bench is.
 *
 * microvm runs with --irqchip on: QEMU's default split irqchip loses a level
 * interrupt about one run in twelve on this kind of host
 * (guest-agent/qemu/README.md); the record says which irqchip ran.
 */
#include "qemu_trace.h"
#include "qemumicrorec.h"
#include "runner.h"
#include "../common/jsonio.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QM_START_S 30.0 /* runner start to QEMU's pid file (netns, QEMU paused) */
#define QM_TAIL_S 15.0	/* tracer's snapshot after QEMU exited */
#define QM_BOOT_S 60	/* SeaBIOS on q35 takes 3-12 s on a loaded host */

struct qm_files {
	char json[4096], tjson[4096], layout[4096], pidf[4096], console[4096];
	char log[4096], tlog[4096];
};

static void qm_paths(const struct runner_job *job, struct qm_files *f)
{
	const char *w = job->workdir;
	snprintf(f->json, sizeof(f->json), "%s/qemu-micro.json", w);
	snprintf(f->tjson, sizeof(f->tjson), "%s/trace.json", w);
	snprintf(f->layout, sizeof(f->layout), "%s/layout.json", w);
	snprintf(f->pidf, sizeof(f->pidf), "%s/qemu.pid", w);
	snprintf(f->console, sizeof(f->console), "%s/console.log", w);
	snprintf(f->log, sizeof(f->log), "%s/run.log", w);
	snprintf(f->tlog, sizeof(f->tlog), "%s/trace.log", w);
	const char *all[] = {f->json, f->tjson, f->layout, f->pidf, f->tlog};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		unlink(all[i]);
}

static int microvm(const struct bench_config *c)
{
	return strcmp(c->transport, "pci") != 0;
}

/* Starts the runner held; its pid, or -1 (error set). */
static pid_t start_runner(const struct runner_job *job, const struct qm_files *f, int traced,
			  char *err, size_t len)
{
	const struct bench_config *c = job->cfg;
	char txn[32], req[16], resp[16], tmo[16];
	snprintf(txn, sizeof(txn), "%lu", job->transactions ? job->transactions : c->transactions);
	snprintf(req, sizeof(req), "%u", c->req);
	snprintf(resp, sizeof(resp), "%u", c->resp);
	snprintf(tmo, sizeof(tmo), "%u", c->timeout_s + QM_BOOT_S);
	const char *argv[40] = {job->tools->qemu_micro,
				"--machine",
				microvm(c) ? "microvm" : "q35",
				"--transactions",
				txn,
				"--req",
				req,
				"--resp",
				resp,
				"--json",
				f->json,
				"--layout",
				f->layout,
				"--pid-file",
				f->pidf,
				"--console",
				f->console,
				"--timeout",
				tmo,
				"-q"};
	int a = 20;
	if (job->tools->guest) {
		argv[a++] = "--guest";
		argv[a++] = job->tools->guest;
	}
	if (microvm(c)) {
		argv[a++] = "--irqchip";
		argv[a++] = "on";
	}
	if (traced)
		argv[a++] = "--hold";
	argv[a] = NULL;
	pid_t pid = proc_spawn((char *const *)argv, f->log);
	if (pid < 0)
		snprintf(err, len, "cannot start %s", argv[0]);
	return pid;
}

/* The runner's outcome into OUT: 0 ok, -1 failed (error set). */
static int collect(const struct qm_files *f, int st, int traced, int tracer_st,
		   struct runner_output *out)
{
	char tail[400], err[512];
	proc_log_line(f->log, "irqpath-qemu-micro", tail, sizeof(tail));
	out->qemu_micro = jsonio_load(f->json, "irqpath-qemu-micro", err, sizeof(err));
	const char *status = json_string_value(json_object_get(out->qemu_micro, "status"));
	if (!out->qemu_micro || st != 0 || !status || strcmp(status, "ok")) {
		const char *why = json_string_value(json_object_get(out->qemu_micro, "error"));
		snprintf(out->error, sizeof(out->error),
			 "irqpath-qemu-micro exited with status %d: %.400s", st,
			 why	   ? why
			 : tail[0] ? tail
				   : err);
		return -1;
	}
	if (!traced)
		return 0;
	out->trace = jsonio_load(f->tjson, "irqpath-trace", err, sizeof(err));
	if (!out->trace) {
		proc_log_line(f->tlog, "irqpath-trace", tail, sizeof(tail));
		snprintf(out->error, sizeof(out->error), "irqpath-trace failed (status %d): %.400s",
			 tracer_st, tail[0] ? tail : err);
		return -1;
	}
	return 0;
}

static int run_qemu_micro(const struct runner_job *job, struct runner_output *out)
{
	const struct runner_tools *t = job->tools;
	if (!t->qemu_micro) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu-micro not found (run make)");
		return -1;
	}
	int traced = job->traced && t->trace && strcmp(job->cfg->trace_backend, "none");
	struct qm_files f;
	qm_paths(job, &f);
	pid_t runner = start_runner(job, &f, traced, out->error, sizeof(out->error));
	if (runner < 0)
		return -1;
	int st = -1, timed_out = 0, att = 0;
	struct qemu_trace tr = {0, 0, -1};
	if (traced) {
		att = qemu_trace_attach(&tr, t->trace, f.pidf, f.layout, f.tjson, f.tlog, runner,
					QM_START_S, &st, out->error, sizeof(out->error));
		if (att == 1 && !proc_stop_signal)
			kill(runner, SIGUSR1); /* release the held guest */
		else if (att < 0 && st == -1)
			kill(-runner, SIGTERM); /* held forever otherwise; it cleans up */
	}
	if (st == -1) {
		double limit = job->cfg->timeout_s + QM_BOOT_S + 30.0;
		st = proc_wait(runner, limit, job->tick, job->tick_arg, &timed_out);
	}
	/* the tracer ends when QEMU exits: time to write its snapshot */
	int tst = qemu_trace_finish(&tr, QM_TAIL_S);
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		return -1;
	}
	if (att < 0)
		return -1;
	if (timed_out) {
		snprintf(out->error, sizeof(out->error), "no result after %u s; stopped",
			 job->cfg->timeout_s + QM_BOOT_S + 30);
		return -1;
	}
	if (!traced && job->traced)
		snprintf(out->trace_note, sizeof(out->trace_note), "%s",
			 t->trace ? "tracer disabled by the profile ([trace] backend=none)"
				  : "irqpath-trace not found");
	return collect(&f, st, traced, tst, out);
}

const struct runner runner_qemu_micro = {"qemu-micro", run_qemu_micro, qemu_micro_record, 0};
