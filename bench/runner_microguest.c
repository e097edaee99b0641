/* SPDX-License-Identifier: MIT */
/*
 * One repetition on the micro-guest: irqpath-vmm under irqpath-trace,
 *   irqpath-trace record --layout L -o T -- irqpath-vmm ... --json V --layout L
 * so the tracer filters on exactly this VM and stops when it exits.
 */
#include "merge.h"
#include "runner.h"
#include "../common/jsonio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void runner_output_free(struct runner_output *out)
{
	json_decref(out->vmm);
	json_decref(out->trace);
	json_decref(out->linux_doc);
	json_decref(out->qemu_micro);
	out->vmm = out->trace = out->linux_doc = out->qemu_micro = NULL;
}

/* Paths of one run's files in the work directory. */
struct mg_files {
	char vjson[4096], tjson[4096], layout[4096], console[4096], log[4096];
	char txn[32], dur[32], req[16], resp[16], tmo[16], queues[16], vcpus[16];
};

/*
 * irqpath-trace record ... -- irqpath-vmm ... (or the VMM alone) into ARGV;
 * returns whether the tracer is used.
 */
static int build_argv(const struct runner_job *job, struct mg_files *m, const char **argv)
{
	const struct bench_config *c = job->cfg;
	snprintf(m->vjson, sizeof(m->vjson), "%s/vmm.json", job->workdir);
	snprintf(m->tjson, sizeof(m->tjson), "%s/trace.json", job->workdir);
	snprintf(m->layout, sizeof(m->layout), "%s/layout.json", job->workdir);
	snprintf(m->console, sizeof(m->console), "%s/console.log", job->workdir);
	snprintf(m->log, sizeof(m->log), "%s/run.log", job->workdir);
	unlink(m->vjson);
	unlink(m->tjson);
	unlink(m->layout);
	unsigned long n = job->transactions ? job->transactions : c->transactions;
	snprintf(m->txn, sizeof(m->txn), "%lu", n);
	snprintf(m->dur, sizeof(m->dur), "%u", c->duration_s);
	snprintf(m->req, sizeof(m->req), "%u", c->req);
	snprintf(m->resp, sizeof(m->resp), "%u", c->resp);
	snprintf(m->tmo, sizeof(m->tmo), "%u", c->timeout_s);
	int traced = job->traced && job->tools->trace && strcmp(c->trace_backend, "none");
	int a = 0;
	if (traced) {
		argv[a++] = job->tools->trace;
		argv[a++] = "record";
		if (strcmp(c->trace_backend, "auto")) {
			argv[a++] = "--backend";
			argv[a++] = c->trace_backend;
		}
		argv[a++] = "--layout";
		argv[a++] = m->layout;
		argv[a++] = "-o";
		argv[a++] = m->tjson;
		argv[a++] = "--";
	}
	const char *vmm_args[] = {job->tools->vmm,
				  "--profile",
				  c->transport,
				  "--guest",
				  job->tools->guest,
				  n ? "--transactions" : "--duration",
				  n ? m->txn : m->dur,
				  "--req",
				  m->req,
				  "--resp",
				  m->resp,
				  "--backend",
				  c->backend,
				  "--notify",
				  c->notify,
				  "--json",
				  m->vjson,
				  "--layout",
				  m->layout,
				  "--console",
				  m->console,
				  "--timeout",
				  m->tmo,
				  "-q"};
	for (size_t i = 0; i < sizeof(vmm_args) / sizeof(vmm_args[0]); i++)
		argv[a++] = vmm_args[i];
	/* a sweep point; the default point keeps the VMM's command line as it was */
	if (c->queues != 1 || c->vcpus != 1) {
		snprintf(m->queues, sizeof(m->queues), "%u", c->queues);
		snprintf(m->vcpus, sizeof(m->vcpus), "%u", c->vcpus);
		argv[a++] = "--queues";
		argv[a++] = m->queues;
		argv[a++] = "--vcpus";
		argv[a++] = m->vcpus;
	}
	argv[a] = NULL;
	return traced;
}

/*
 * Did the VMM run the point it was asked for? An irqpath-vmm that reports no
 * "vcpus"/"queue_pairs" ran one of each (before --vcpus/--queues existed).
 */
static int check_point(const struct bench_config *c, const json_t *vmm, char *err, size_t len)
{
	const json_t *v = json_object_get(vmm, "vcpus"), *q = json_object_get(vmm, "queue_pairs");
	json_int_t nv = v ? json_integer_value(v) : 1, nq = q ? json_integer_value(q) : 1;
	if (nv == (json_int_t)c->vcpus && nq == (json_int_t)c->queues)
		return 0;
	snprintf(err, len,
		 "asked irqpath-vmm for %u queue pairs on %u vCPUs, it reports %lld on %lld%s",
		 c->queues, c->vcpus, (long long)nq, (long long)nv,
		 v || q ? "" : " (it does not report vcpus/queue_pairs: no --queues support)");
	return -1;
}

static int run_microguest(const struct runner_job *job, struct runner_output *out)
{
	const struct bench_config *c = job->cfg;
	struct mg_files mf;
	const char *argv[48];
	int traced = build_argv(job, &mf, argv);
	const char *vjson = mf.vjson, *tjson = mf.tjson, *log = mf.log;

	pid_t pid = proc_spawn((char *const *)argv, log);
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "cannot start %s", argv[0]);
		return -1;
	}
	int timed_out = 0;
	/* our own limit: the VMM's timeout plus time to boot and write files */
	int st = proc_wait(pid, c->timeout_s + 30.0, job->tick, job->tick_arg, &timed_out);
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		return -1;
	}
	char tail[400], err[512];
	proc_log_line(log, "irqpath-vmm", tail, sizeof(tail));
	if (timed_out) {
		snprintf(out->error, sizeof(out->error), "no result after %u s; killed (%.400s)",
			 c->timeout_s + 30, tail);
		return -1;
	}
	out->vmm = jsonio_load(vjson, "irqpath-vmm", err, sizeof(err));
	if (!out->vmm) {
		snprintf(
		    out->error, sizeof(out->error), "%s exited with status %d, no results: %.400s",
		    traced ? "irqpath-trace/irqpath-vmm" : "irqpath-vmm", st, tail[0] ? tail : err);
		return -1;
	}
	const char *status =
	    json_string_value(json_object_get(json_object_get(out->vmm, "result"), "status"));
	if (!status || strcmp(status, "ok")) {
		snprintf(out->error, sizeof(out->error),
			 "irqpath-vmm reported status %.20s: %.400s", status ? status : "(none)",
			 tail);
		return -1;
	}
	if (check_point(c, out->vmm, out->error, sizeof(out->error)))
		return -1;
	/*
	 * Files can be complete while the process still failed (a tracer
	 * SIGKILLed after writing its output): only a clean exit is a good run.
	 */
	if (st != 0) {
		snprintf(out->error, sizeof(out->error),
			 "%s exited with status %d%s after writing its results: %.400s",
			 traced ? "irqpath-trace" : "irqpath-vmm", st,
			 st > 128 ? " (killed by a signal)" : "", tail);
		return -1;
	}
	if (!job->traced)
		return 0;
	if (!traced) {
		snprintf(out->trace_note, sizeof(out->trace_note), "%s",
			 job->tools->trace ? "tracer disabled by the profile ([trace] backend=none)"
					   : "irqpath-trace not found");
		return 0;
	}
	out->trace = jsonio_load(tjson, "irqpath-trace", err, sizeof(err));
	if (!out->trace) {
		/*
		 * The tracer was there and was asked for: without its counts the
		 * repetition is not what the profile asked for, so it fails (null
		 * host counts are only for a tracer that is absent or disabled).
		 */
		proc_log_line(log, "irqpath-trace", tail, sizeof(tail));
		snprintf(out->error, sizeof(out->error), "irqpath-trace failed (status %d): %.400s",
			 st, tail[0] ? tail : err);
		return -1;
	}
	return 0;
}

static json_t *record_microguest(int index, const struct runner_output *out)
{
	json_t *rec = merge_repetition(index, out->vmm, out->trace, out->trace_note);
	/* irqpath-vmm always runs the micro-guest under KVM */
	json_object_set_new(rec, "accel", json_string("kvm"));
	json_object_set_new(rec, "kvm_counters", json_true());
	json_object_set_new(rec, "note", json_null());
	return rec;
}

static const struct runner microguest = {"microguest", run_microguest, record_microguest, 1};

int runner_sweeps(const struct runner *r)
{
	return r == &microguest ? RUNNER_SWEEP_QUEUE_PER_VCPU : 0;
}

const struct runner *runner_for(const struct bench_config *cfg)
{
	if (!strcmp(cfg->guest, "microguest") && !strcmp(cfg->vmm, "irqpath-vmm"))
		return &microguest;
	if (!strcmp(cfg->guest, "linux") && !strcmp(cfg->vmm, "qemu"))
		return &runner_qemu_linux;
	if (!strcmp(cfg->guest, "linux") && !strcmp(cfg->vmm, "irqpath-vmm"))
		return &runner_vmm_linux;
	if (!strcmp(cfg->guest, "microguest") && !strcmp(cfg->vmm, "qemu"))
		return &runner_qemu_micro;
	return NULL;
}
