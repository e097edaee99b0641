/* SPDX-License-Identifier: MIT */
/*
 * One repetition of a Linux guest under QEMU (GUEST=linux VMM=qemu):
 *   irqpath-qemu --profile P --duration S --req R --resp R --json L ...
 * irqpath-qemu makes a netns with a tap, boots QEMU inside it and returns
 * the guest's irqpath-rr figures as irqpath-linux/1.
 *
 * Host counts: under TCG there are none (KVM is not involved). Under KVM
 * they come from irqpath-trace on QEMU's own pid: irqpath-qemu writes it to
 * --pid-file as QEMU starts (`ip netns exec` execs QEMU in place, so it is
 * QEMU's pid, a grandchild of ours), and qemu_trace.c attaches
 * `irqpath-trace record -p PID` while the guest boots. The snapshot counts
 * only if the run was KVM and its pid is the document's qemu_pid (a QEMU
 * restarted after a KVM fall-back or an early-boot hang is another process);
 * otherwise host counts are null with a note, never zero.
 *
 * Stopping: irqpath-qemu and QEMU share our child's process group; a stop
 * signal sends the group SIGTERM, irqpath-qemu removes its netns and exits,
 * and we wait a longer grace than the micro-guest needs before SIGKILL. A
 * netns left by a SIGKILLed irqpath-qemu is removed here.
 */
#include "linuxrec.h"
#include "merge.h"
#include "qemu_trace.h"
#include "runner.h"
#include "../common/jsonio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define QEMU_GRACE_S 20.0 /* irqpath-qemu stops QEMU and the server, removes the netns */
#define QEMU_BOOT_S 60	  /* our limit on top of the workload: TCG boots take 6-10 s */

#define QEMU_PID_S 30.0	 /* irqpath-qemu start to QEMU's pid file (netns, server) */
#define QEMU_TAIL_S 15.0 /* the tracer's snapshot after QEMU exited */

/* The netns irqpath-qemu names after its pid, if a SIGKILL left it. */
static void remove_stale_netns(pid_t pid)
{
	char p[64];
	snprintf(p, sizeof(p), "/run/netns/irqpath-q%d", (int)pid);
	if (access(p, F_OK))
		return;
	/* what `ip netns del` does: the tap inside goes with the namespace */
	umount2(p, MNT_DETACH);
	if (unlink(p) && errno != ENOENT)
		fprintf(stderr, "irqpath-bench: cannot remove %s: %s\n", p, strerror(errno));
	else
		fprintf(stderr, "irqpath-bench: removed netns irqpath-q%d that irqpath-qemu left\n",
			(int)pid);
}

/*
 * Keeps the tracer's snapshot of QEMU's pid when it can count: a KVM run
 * whose QEMU is the process traced. Otherwise the note says why not.
 */
static void take_trace(struct runner_output *out, pid_t traced, const char *tjson, const char *terr)
{
	const json_t *ld = out->linux_doc;
	const char *accel = json_string_value(json_object_get(ld, "accel"));
	json_int_t qpid = json_integer_value(json_object_get(ld, "qemu_pid"));
	char err[256];
	json_t *tr = traced ? jsonio_load(tjson, "irqpath-trace", err, sizeof(err)) : NULL;
	if (!tr)
		snprintf(out->trace_note, sizeof(out->trace_note),
			 "KVM run, host counts not taken: %.200s", traced ? err : terr);
	else if (!accel || strcmp(accel, "kvm"))
		json_decref(tr), tr = NULL; /* TCG: KVM saw nothing of this guest */
	else if ((json_int_t)traced != qpid) {
		snprintf(out->trace_note, sizeof(out->trace_note),
			 "KVM run, host counts not taken: the tracer followed QEMU pid %d, "
			 "the workload ran in a restarted QEMU (pid %lld)",
			 (int)traced, (long long)qpid);
		json_decref(tr), tr = NULL;
	}
	out->trace = tr;
}

static int run_qemu(const struct runner_job *job, struct runner_output *out)
{
	const struct bench_config *c = job->cfg;
	const struct runner_tools *t = job->tools;
	if (!t->qemu) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu not found (run make)");
		return -1;
	}
	char ljson[4096], console[4096], log[4096], pidf[4096], tjson[4096], tlog[4096];
	snprintf(ljson, sizeof(ljson), "%s/linux.json", job->workdir);
	snprintf(console, sizeof(console), "%s/console.log", job->workdir);
	snprintf(log, sizeof(log), "%s/run.log", job->workdir);
	snprintf(pidf, sizeof(pidf), "%s/qemu.pid", job->workdir);
	snprintf(tjson, sizeof(tjson), "%s/trace.json", job->workdir);
	snprintf(tlog, sizeof(tlog), "%s/trace.log", job->workdir);
	unlink(ljson);
	unlink(pidf);
	unlink(tjson);

	char dur[32], req[16], resp[16], tmo[16];
	snprintf(dur, sizeof(dur), "%u", c->duration_s);
	snprintf(req, sizeof(req), "%u", c->req);
	snprintf(resp, sizeof(resp), "%u", c->resp);
	/* the profile's timeout, but never less than the workload plus a TCG boot */
	unsigned limit =
	    c->timeout_s > c->duration_s + QEMU_BOOT_S ? c->timeout_s : c->duration_s + QEMU_BOOT_S;
	snprintf(tmo, sizeof(tmo), "%u", limit);
	const char *argv[] = {
	    t->qemu,	 "--profile", c->transport,    "--duration", dur,
	    "--req",	 req,	      "--resp",	       resp,	     "--json",
	    ljson,	 "--kernel",  t->linux_kernel, "--initrd",   t->linux_initrd,
	    "--timeout", tmo,	      "--console",     console,	     "--pid-file",
	    pidf,	 NULL};

	pid_t pid = proc_spawn((char *const *)argv, log);
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "cannot start %s", t->qemu);
		return -1;
	}
	int timed_out = 0, st = -1;
	struct qemu_trace tr = {0, 0, -1};
	char terr[300] = "no tracer";
	if (t->trace && strcmp(c->trace_backend, "none"))
		qemu_trace_attach(&tr, t->trace, pidf, NULL, tjson, tlog, pid, QEMU_PID_S, &st,
				  terr, sizeof(terr));
	proc_set_grace(QEMU_GRACE_S);
	if (st == -1)
		st = proc_wait(pid, limit + 30.0, job->tick, job->tick_arg, &timed_out);
	proc_set_grace(0);
	qemu_trace_finish(&tr, QEMU_TAIL_S);
	remove_stale_netns(pid);
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		return -1;
	}
	char tail[400], err[512];
	proc_log_line(log, "irqpath-qemu:", tail, sizeof(tail));
	if (timed_out) {
		snprintf(out->error, sizeof(out->error), "no result after %u s; stopped (%.300s)",
			 limit + 30, tail);
		return -1;
	}
	out->linux_doc = jsonio_load(ljson, "irqpath-linux", err, sizeof(err));
	if (!out->linux_doc) {
		snprintf(out->error, sizeof(out->error),
			 "irqpath-qemu exited with status %d, no results: %.400s", st,
			 tail[0] ? tail : err);
		return -1;
	}
	if (st != 0) {
		snprintf(out->error, sizeof(out->error),
			 "irqpath-qemu exited with status %d: %.400s", st, tail);
		return -1;
	}
	take_trace(out, tr.qemu_pid, tjson, terr);
	/* the record is built now, so a malformed document fails the repetition */
	json_t *rec = linux_repetition_traced(0, out->linux_doc, out->trace, out->trace_note, err,
					      sizeof(err));
	if (!rec) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu: %.480s", err);
		return -1;
	}
	json_decref(rec);
	const char *accel = json_string_value(json_object_get(out->linux_doc, "accel"));
	if (!accel || strcmp(accel, "kvm"))
		snprintf(out->trace_note, sizeof(out->trace_note), "%s", LINUX_NOTE_TCG);
	return 0;
}

static json_t *record_qemu(int index, const struct runner_output *out)
{
	char err[256];
	json_t *rec = linux_repetition_traced(index, out->linux_doc, out->trace, out->trace_note,
					      err, sizeof(err));
	return rec ? rec : merge_failed(index, err);
}

const struct runner runner_qemu_linux = {"qemu", run_qemu, record_qemu, 0};
