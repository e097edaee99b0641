// SPDX-License-Identifier: MIT
/*
 * One repetition of a Linux guest on irqpath-vmm (GUEST=linux, vmm
 * irqpath-vmm; on hosts where KVM runs Linux: VMX/SVM, e.g. inside the
 * emulated SVM host, HOST=svm-tcg):
 *
 *   ip netns add irqpath-v<pid>-<n>; a tap irqv0 10.201.0.1/30 in it;
 *   irqpath-rr -s -B 10.201.0.1 (the TCP_RR server) in it;
 *   ip netns exec NS irqpath-vmm --profile P --kernel vmlinuz
 *       --initrd vmm-initramfs.cpio.gz --backend tap --tap irqv0
 *       --append "irqpath.server=10.201.0.1 irqpath.settle=S ..." --json V --layout L
 *   irqpath-trace record -p <vmm pid> --layout L -o T   (see below)
 *
 * The tracer covers the workload, not the 20-odd seconds of boot: the
 * guest's driver hook prints IRQPATH-SETTLE and waits S seconds; the
 * tracer is attached by pid then. As soon as the agent's IRQPATH-RESULT
 * line starts on the console (irqpath-vmm flushes its console file there;
 * we look every 20 ms) the tracer is stopped (SIGINT: it writes its
 * snapshot), so the window ends before most of the report's own ~1.5 KB of
 * serial exits. A tracer not attached by the time the guest brings eth0 up
 * fails the repetition.
 *
 * Stopping: the VMM, the tracer and the server each run in their own
 * process group; on a stop signal, a timeout or any failure all three get
 * SIGTERM (SIGKILL after a grace) and the netns is deleted.
 */
#include "merge.h"
#include "runner.h"
#include "vmmlinuxrec.h"
#include "../common/jsonio.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VL_HOST_ADDR "10.201.0.1"
#define VL_TAP "irqv0"
#define VL_PORT "7801"
#define VL_MEM_MIB "256"
#define VL_SETTLE_S 10	/* BPF attach: ~2 s in L1, 6 s on a loaded host */
#define VL_BOOT_S 180	/* an L2 boot under TCG takes ~25 s; slack for a loaded host */
#define VL_GRACE_S 5.0	/* SIGTERM -> SIGKILL */
#define VL_TRACE_S 30.0 /* for the tracer to write its snapshot */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = {0, ms * 1000 * 1000};
	nanosleep(&ts, NULL);
}

static void nap(void)
{
	nap_ms(100);
}

/* A short command (ip ...): 0 if it exited 0. */
static int run_cmd(char *const argv[], const char *log)
{
	pid_t pid = proc_spawn(argv, log);
	if (pid < 0)
		return -1;
	return proc_wait(pid, 30.0, NULL, NULL, NULL) == 0 ? 0 : -1;
}

/* Stops a process group we started and reaps its leader. */
static void stop_group(pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	kill(-pid, sig);
	double t0 = now_s();
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		if (now_s() - t0 > VL_GRACE_S) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
			break;
		}
		nap();
	}
	kill(-pid, SIGKILL); /* anything the leader left behind */
}

static int file_has(const char *path, const char *needle)
{
	char *text = read_file_text(path, NULL);
	int found = text && strstr(text, needle);
	free(text);
	return found;
}

struct vl_paths {
	char dir[PATH_MAX / 2], kernel[PATH_MAX], initrd[PATH_MAX], rr[PATH_MAX];
	char vjson[PATH_MAX], tjson[PATH_MAX], layout[PATH_MAX], console[PATH_MAX];
	char log[PATH_MAX], tlog[PATH_MAX], slog[PATH_MAX], port[PATH_MAX], ns[64];
};

static int find_paths(const struct runner_job *job, struct vl_paths *p, char *err, size_t len)
{
	char vmm[PATH_MAX];
	snprintf(vmm, sizeof(vmm), "%s", job->tools->vmm);
	snprintf(p->dir, sizeof(p->dir), "%.2000s", dirname(vmm));
	/* the build tree: BUILD/bin next to BUILD/guest-linux (make guest-linux-vmm) */
	snprintf(p->kernel, sizeof(p->kernel), "%s/../guest-linux/vmlinuz", p->dir);
	snprintf(p->initrd, sizeof(p->initrd), "%s/../guest-linux/vmm-initramfs.cpio.gz", p->dir);
	snprintf(p->rr, sizeof(p->rr), "%s/irqpath-rr", p->dir);
	const char *need[] = {p->kernel, p->initrd, p->rr};
	for (int i = 0; i < 3; i++)
		if (access(need[i], R_OK)) {
			snprintf(err, len, "%s is missing: run make guest-linux-vmm (and make)",
				 need[i]);
			return -1;
		}
	const char *w = job->workdir;
	snprintf(p->vjson, sizeof(p->vjson), "%s/vmm.json", w);
	snprintf(p->tjson, sizeof(p->tjson), "%s/trace.json", w);
	snprintf(p->layout, sizeof(p->layout), "%s/layout.json", w);
	snprintf(p->console, sizeof(p->console), "%s/console.log", w);
	snprintf(p->log, sizeof(p->log), "%s/run.log", w);
	snprintf(p->tlog, sizeof(p->tlog), "%s/trace.log", w);
	snprintf(p->slog, sizeof(p->slog), "%s/server.log", w);
	snprintf(p->port, sizeof(p->port), "%s/server.port", w);
	static unsigned seq;
	snprintf(p->ns, sizeof(p->ns), "irqpath-v%d-%u", (int)getpid(), seq++);
	/* the work directory is shared by the repetitions: nothing of the last one
	 * may be mistaken for this one's (the console cues above all) */
	const char *stale[] = {p->vjson, p->tjson, p->layout, p->port, p->console, p->tlog};
	for (unsigned i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
		unlink(stale[i]);
	return 0;
}

/* A tap needs the tun module; a minimal host (the svm-tcg L1) may not have
 * loaded it. Tries modprobe, then the svm-tcg image's own module tree
 * (BUILD/svm-tcg/modroot, mkimage.sh), whose kernel is the L1's. */
static int need_tun(const struct vl_paths *p, char *err, size_t len)
{
	if (!access("/dev/net/tun", F_OK))
		return 0;
	char modroot[PATH_MAX];
	snprintf(modroot, sizeof(modroot), "%s/../svm-tcg/modroot", p->dir);
	char *const modprobe[] = {"modprobe", "tun", NULL};
	char *const modprobe_l1[] = {"modprobe", "-d", modroot, "tun", NULL};
	if (run_cmd(modprobe, p->slog) && run_cmd(modprobe_l1, p->slog)) {
		snprintf(err, len,
			 "no /dev/net/tun and the tun module does not load (modprobe tun; "
			 "modprobe -d %.200s tun): a tap backend needs it",
			 modroot);
		return -1;
	}
	return 0;
}

static int netns_up(const struct vl_paths *p)
{
	char *const add[] = {"ip", "netns", "add", (char *)p->ns, NULL};
	char *const lo[] = {"ip", "-n", (char *)p->ns, "link", "set", "lo", "up", NULL};
	char *const tap[] = {"ip",  "-n",   (char *)p->ns, "tuntap", "add",
			     "dev", VL_TAP, "mode",	   "tap",    NULL};
	char *const addr[] = {"ip",  "-n",   (char *)p->ns, "addr", "add", VL_HOST_ADDR "/30",
			      "dev", VL_TAP, NULL};
	char *const up[] = {"ip", "-n", (char *)p->ns, "link", "set", VL_TAP, "up", NULL};
	return run_cmd(add, p->slog) || run_cmd(lo, p->slog) || run_cmd(tap, p->slog) ||
	       run_cmd(addr, p->slog) || run_cmd(up, p->slog);
}

static void netns_down(const struct vl_paths *p)
{
	char *const del[] = {"ip", "netns", "del", (char *)p->ns, NULL};
	char log[PATH_MAX + 8];
	snprintf(log, sizeof(log), "%s.del", p->slog);
	run_cmd(del, log);
}

/* The irqpath-rr server in the netns; ready once it wrote its port file. */
static pid_t start_server(const struct vl_paths *p)
{
	char *const argv[] = {
	    "ip",	  "netns", "exec",  (char *)p->ns, (char *)p->rr,   "-s", "-B",
	    VL_HOST_ADDR, "-p",	   VL_PORT, "-P",	   (char *)p->port, NULL};
	pid_t pid = proc_spawn(argv, p->slog);
	for (double t0 = now_s(); pid > 0 && now_s() - t0 < 10.0; nap())
		if (!access(p->port, R_OK))
			return pid;
	stop_group(pid, SIGTERM);
	return -1;
}

static pid_t start_vmm(const struct runner_job *job, const struct vl_paths *p, unsigned limit)
{
	const struct bench_config *c = job->cfg;
	/* per profile: who drives the device (guest-agent/linux-driver/README.md);
	 * addrdata's sharing is the driver's choice: one message for all queues */
	const char *driver = !strcmp(c->transport, "mmio-legacy") ? " irqpath.driver_args=stock=1"
			     : !strcmp(c->transport, "pci")	  ? " irqpath.driver=off"
			     : !strcmp(c->transport, "mmio-addrdata-shared")
				 ? " irqpath.driver_args=msi_vectors=2"
				 : "";
	char append[512], tmo[16];
	snprintf(append, sizeof(append),
		 "irqpath.server=%s irqpath.port=%s irqpath.duration=%u irqpath.req=%u "
		 "irqpath.resp=%u irqpath.settle=%d%s",
		 VL_HOST_ADDR, VL_PORT, c->duration_s, c->req, c->resp,
		 job->traced ? VL_SETTLE_S : 0, driver);
	snprintf(tmo, sizeof(tmo), "%u", limit);
	char *const argv[] = {"ip",
			      "netns",
			      "exec",
			      (char *)p->ns,
			      (char *)job->tools->vmm,
			      "--profile",
			      (char *)c->transport,
			      "--kernel",
			      (char *)p->kernel,
			      "--initrd",
			      (char *)p->initrd,
			      "--mem",
			      VL_MEM_MIB,
			      "--backend",
			      "tap",
			      "--tap",
			      VL_TAP,
			      "--notify",
			      (char *)c->notify,
			      "--append",
			      append,
			      "--json",
			      (char *)p->vjson,
			      "--layout",
			      (char *)p->layout,
			      "--console",
			      (char *)p->console,
			      "--timeout",
			      tmo,
			      "-q",
			      NULL};
	return proc_spawn(argv, p->log);
}

static pid_t start_tracer(const struct runner_job *job, const struct vl_paths *p, pid_t vmm)
{
	const struct bench_config *c = job->cfg;
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)vmm);
	const char *argv[16];
	int a = 0;
	argv[a++] = job->tools->trace;
	argv[a++] = "record";
	if (strcmp(c->trace_backend, "auto")) {
		argv[a++] = "--backend";
		argv[a++] = c->trace_backend;
	}
	argv[a++] = "-p";
	argv[a++] = pid;
	argv[a++] = "--layout";
	argv[a++] = p->layout;
	argv[a++] = "-o";
	argv[a++] = p->tjson;
	argv[a] = NULL;
	return proc_spawn((char *const *)argv, p->tlog);
}

struct vl_run {
	pid_t vmm, tracer;
	int vmm_status, tracer_status, timed_out, late_tracer, tracer_reaped;
};

/* Reaps the tracer (it exits once told or once the VMM is gone). */
static void reap_tracer(struct vl_run *r)
{
	int status;
	double t1 = now_s();
	r->tracer_status = -1;
	while (now_s() - t1 < VL_TRACE_S) {
		if (waitpid(r->tracer, &status, WNOHANG) == r->tracer) {
			r->tracer_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			break;
		}
		nap_ms(20);
	}
	if (r->tracer_status == -1)
		stop_group(r->tracer, SIGTERM);
	kill(-r->tracer, SIGKILL);
	r->tracer_reaped = 1;
}

/* The workload is over: the tracer takes its snapshot. (Not freezing the VM
 * meanwhile: a stopped VMM makes the guest's clock jump, and the kernel's
 * complaints about that would land in the middle of the report line.) */
static void end_window(struct vl_run *r)
{
	kill(r->tracer, SIGINT);
	reap_tracer(r);
}

/* Waits for the VMM, starting and stopping the tracer on the console's cues. */
static void supervise(const struct runner_job *job, const struct vl_paths *p, int traced,
		      unsigned limit, struct vl_run *r)
{
	double t0 = now_s();
	int status;
	for (;;) {
		pid_t w = waitpid(r->vmm, &status, WNOHANG);
		if (w == r->vmm) {
			r->vmm_status =
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (proc_stop_signal || now_s() - t0 > limit + 30.0) {
			r->timed_out = !proc_stop_signal;
			stop_group(r->vmm, SIGTERM);
			r->vmm_status = -1;
			break;
		}
		int tracing = r->tracer > 0 && !r->tracer_reaped;
		if (traced && !r->tracer && file_has(p->console, "IRQPATH-SETTLE:"))
			r->tracer = start_tracer(job, p, r->vmm);
		if (traced && !r->late_tracer && file_has(p->console, "IRQPATH-INIT: eth0") &&
		    !(r->tracer > 0 && file_has(p->tlog, "attached")))
			r->late_tracer = 1;
		if (tracing && file_has(p->console, "IRQPATH-RESULT"))
			end_window(r);
		if (job->tick)
			job->tick(job->tick_arg, now_s() - t0);
		nap_ms(tracing ? 20 : 100);
	}
	if (r->tracer > 0 && !r->tracer_reaped)
		reap_tracer(r); /* the VMM ended without a report */
}

static int collect(const struct runner_job *job, const struct vl_paths *p, int traced,
		   const struct vl_run *r, struct runner_output *out)
{
	char tail[400], err[512];
	proc_log_line(p->log, "irqpath-vmm", tail, sizeof(tail));
	if (r->timed_out) {
		snprintf(out->error, sizeof(out->error), "no result in time; stopped (%.400s)",
			 tail);
		return -1;
	}
	out->vmm = jsonio_load(p->vjson, "irqpath-vmm", err, sizeof(err));
	if (!out->vmm) {
		snprintf(out->error, sizeof(out->error),
			 "irqpath-vmm exited with status %d, no results: %.400s", r->vmm_status,
			 tail[0] ? tail : err);
		return -1;
	}
	json_t *rec = vmm_linux_repetition(0, out->vmm, NULL, NULL, err, sizeof(err));
	if (!rec) {
		snprintf(out->error, sizeof(out->error), "%.500s", err);
		return -1;
	}
	json_decref(rec);
	if (!job->traced)
		return 0;
	if (!traced) {
		snprintf(out->trace_note, sizeof(out->trace_note), "%s",
			 job->tools->trace ? "tracer disabled by the profile ([trace] backend=none)"
					   : "irqpath-trace not found");
		return 0;
	}
	if (r->late_tracer) {
		proc_log_line(p->tlog, "irqpath-trace", tail, sizeof(tail));
		snprintf(out->error, sizeof(out->error),
			 "irqpath-trace was not attached when the guest's workload began (%.300s)",
			 tail[0] ? tail : "no tracer output");
		return -1;
	}
	out->trace = jsonio_load(p->tjson, "irqpath-trace", err, sizeof(err));
	if (!out->trace) {
		proc_log_line(p->tlog, "irqpath-trace", tail, sizeof(tail));
		snprintf(out->error, sizeof(out->error), "irqpath-trace failed (status %d): %.400s",
			 r->tracer_status, tail[0] ? tail : err);
		return -1;
	}
	snprintf(out->trace_note, sizeof(out->trace_note),
		 "host counts over the TCP_RR client run (irqpath.settle=%ds, tracer by pid)",
		 VL_SETTLE_S);
	return 0;
}

static int run_vmm_linux(const struct runner_job *job, struct runner_output *out)
{
	const struct bench_config *c = job->cfg;
	struct vl_paths p;
	if (find_paths(job, &p, out->error, sizeof(out->error)))
		return -1;
	int traced = job->traced && job->tools->trace && strcmp(c->trace_backend, "none");
	unsigned limit =
	    c->timeout_s > c->duration_s + VL_BOOT_S ? c->timeout_s : c->duration_s + VL_BOOT_S;
	if (need_tun(&p, out->error, sizeof(out->error)))
		return -1;
	if (netns_up(&p)) {
		proc_log_line(p.slog, "", out->error, sizeof(out->error));
		netns_down(&p);
		char why[400];
		snprintf(why, sizeof(why), "%.390s", out->error);
		snprintf(out->error, sizeof(out->error),
			 "cannot set up netns %s with a tap: %.300s", p.ns, why);
		return -1;
	}
	pid_t server = start_server(&p);
	struct vl_run r = {0};
	int rc = -1;
	if (server < 0) {
		proc_log_line(p.slog, "", out->error, sizeof(out->error));
		char why[400];
		snprintf(why, sizeof(why), "%.390s", out->error);
		snprintf(out->error, sizeof(out->error),
			 "the irqpath-rr server did not start: %.300s", why);
		goto done;
	}
	r.vmm = start_vmm(job, &p, limit);
	if (r.vmm < 0) {
		snprintf(out->error, sizeof(out->error), "cannot start %s", job->tools->vmm);
		goto done;
	}
	supervise(job, &p, traced, limit, &r);
	if (proc_stop_signal) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
		goto done;
	}
	rc = collect(job, &p, traced, &r, out);
done:
	stop_group(server, SIGTERM);
	netns_down(&p);
	return rc;
}

static json_t *record_vmm_linux(int index, const struct runner_output *out)
{
	char err[512];
	json_t *rec =
	    vmm_linux_repetition(index, out->vmm, out->trace, out->trace_note, err, sizeof(err));
	return rec ? rec : merge_failed(index, err);
}

const struct runner runner_vmm_linux = {"irqpath-vmm-linux", run_vmm_linux, record_vmm_linux, 0};
