/* SPDX-License-Identifier: MIT */
/*
 * One repetition of a Linux guest under QEMU (GUEST=linux VMM=qemu):
 *   irqpath-qemu --profile P --duration S --req R --resp R --json L ...
 * irqpath-qemu makes a netns with a tap, boots QEMU inside it and returns
 * the guest's irqpath-rr figures as irqpath-linux/1.
 *
 * Host counts: under TCG there are none (KVM is not involved). Under KVM
 * the tracer is not run either: irqpath-trace filters on the pid of the
 * command it starts (its tgid, collectors/README.md "the -p rule"), and
 * QEMU is irqpath-qemu's grandchild, so every QEMU event would be dropped
 * and the record would claim zeros. Host counts are null with a note.
 *
 * Stopping: irqpath-qemu and QEMU share our child's process group; a stop
 * signal sends the group SIGTERM, irqpath-qemu removes its netns and exits,
 * and we wait a longer grace than the micro-guest needs before SIGKILL. A
 * netns left by a SIGKILLed irqpath-qemu is removed here.
 */
#include "linuxrec.h"
#include "merge.h"
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

static const char runner_qemu_kvm_note[] =
    "KVM run, host counts not taken: irqpath-trace follows only the pid it starts and QEMU "
    "is a grandchild of irqpath-qemu (see bench/README.md)";

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

/* The irqpath-qemu lines of the log (its own complaints), last one kept. */
static void log_tail(const char *path, char *out, size_t len)
{
	out[0] = '\0';
	char *text = read_file_text(path, NULL);
	if (!text)
		return;
	char *last = NULL, *any = NULL;
	for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (*p == '\n' || *p == '\0')
			continue;
		any = p;
		if (!strncmp(p, "irqpath-qemu:", 13))
			last = p;
	}
	char *pick = last ? last : any;
	if (pick) {
		pick[strcspn(pick, "\n")] = '\0';
		snprintf(out, len, "%s", pick);
	}
	free(text);
}

static int run_qemu(const struct runner_job *job, struct runner_output *out)
{
	const struct bench_config *c = job->cfg;
	const struct runner_tools *t = job->tools;
	if (!t->qemu) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu not found (run make)");
		return -1;
	}
	char ljson[4096], console[4096], log[4096];
	snprintf(ljson, sizeof(ljson), "%s/linux.json", job->workdir);
	snprintf(console, sizeof(console), "%s/console.log", job->workdir);
	snprintf(log, sizeof(log), "%s/run.log", job->workdir);
	unlink(ljson);

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
	    "--timeout", tmo,	      "--console",     console,	     NULL};

	pid_t pid = proc_spawn((char *const *)argv, log);
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "cannot start %s", t->qemu);
		return -1;
	}
	int timed_out = 0;
	proc_set_grace(QEMU_GRACE_S);
	int st = proc_wait(pid, limit + 30.0, job->tick, job->tick_arg, &timed_out);
	proc_set_grace(0);
	remove_stale_netns(pid);
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		return -1;
	}
	char tail[400], err[512];
	log_tail(log, tail, sizeof(tail));
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
	/* the record is built now, so a malformed document fails the repetition */
	json_t *rec = linux_repetition(0, out->linux_doc, runner_qemu_kvm_note, err, sizeof(err));
	if (!rec) {
		snprintf(out->error, sizeof(out->error), "irqpath-qemu: %.480s", err);
		return -1;
	}
	json_decref(rec);
	const char *accel = json_string_value(json_object_get(out->linux_doc, "accel"));
	snprintf(out->trace_note, sizeof(out->trace_note), "%s",
		 accel && !strcmp(accel, "kvm") ? runner_qemu_kvm_note : LINUX_NOTE_TCG);
	return 0;
}

static json_t *record_qemu(int index, const struct runner_output *out)
{
	char err[256];
	json_t *rec =
	    linux_repetition(index, out->linux_doc, runner_qemu_kvm_note, err, sizeof(err));
	return rec ? rec : merge_failed(index, err);
}

const struct runner runner_qemu_linux = {"qemu", run_qemu, record_qemu, 0};
