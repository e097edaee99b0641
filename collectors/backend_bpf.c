/* SPDX-License-Identifier: MIT */
/* BPF backend: loads bpf/irqpath_trace.bpf.c through its skeleton, attaches
 * the tracepoints that exist, reads the per-CPU counters. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irqpath_trace.skel.h"
#include "tracer.h"

struct bpf_priv {
	struct irqpath_trace *skel;
	struct bpf_link *links[32];
	struct bpf_program *progs[32];
	int nlinks;
	int ncpus;
	int stats_fd; /* holds BPF run-time statistics on while open */
};

static int bpf_poll(struct tracer *t)
{
	(void)t;
	return 0;
}

/* Exits whose thread has not re-entered the guest (yet), from exit_ts:
 * state, not a cumulative count. */
static int read_open_exits(struct bpf_priv *p, struct counts *out)
{
	int fd = bpf_map__fd(p->skel->maps.exit_ts);
	uint32_t tid, next;
	struct irqt_open_exit x;
	int first = 1;

	while (bpf_map_get_next_key(fd, first ? NULL : &tid, &next) == 0) {
		first = 0;
		tid = next;
		if (bpf_map_lookup_elem(fd, &tid, &x))
			continue; /* re-entered meanwhile */
		struct irqt_key k = {.pid = x.pid,
				     .tid = tid,
				     .event = IRQT_EV_EXIT_OPEN,
				     .sub = (uint8_t)x.isa,
				     .detail = x.reason};
		if (counts_add(out, &k, 1))
			return -1;
	}
	return 0;
}

static int bpf_read(struct tracer *t, struct counts *out)
{
	struct bpf_priv *p = t->priv;
	int fd = bpf_map__fd(p->skel->maps.counts);
	uint64_t *vals = calloc((size_t)p->ncpus, sizeof *vals);
	struct irqt_key key, next;
	int rc = 0, first = 1;

	if (!vals)
		return -1;
	counts_clear(out);
	while (bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		first = 0;
		key = next;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue; /* deleted meanwhile */
		uint64_t sum = 0;
		for (int c = 0; c < p->ncpus; c++)
			sum += vals[c];
		if (counts_add(out, &key, sum)) {
			rc = -1;
			break;
		}
	}
	/* lost: updates that did not fit in the map */
	uint32_t zero = 0;
	t->lost = 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.drops), &zero, vals))
		for (int c = 0; c < p->ncpus; c++)
			t->lost += vals[c];
	free(vals);

	if (p->stats_fd >= 0) {
		t->bpf_run_cnt = t->bpf_run_ns = 0;
		for (int i = 0; i < p->nlinks; i++) {
			struct bpf_prog_info info;
			uint32_t len = sizeof info;
			memset(&info, 0, sizeof info);
			if (!bpf_obj_get_info_by_fd(bpf_program__fd(p->progs[i]), &info, &len)) {
				t->bpf_run_cnt += info.run_cnt;
				t->bpf_run_ns += info.run_time_ns;
			}
		}
	}

	if (!rc)
		rc = read_open_exits(p, out);

	uint32_t tid, ntid, vcpu;
	int vfd = bpf_map__fd(p->skel->maps.tid_vcpu);
	first = 1;
	while (bpf_map_get_next_key(vfd, first ? NULL : &tid, &ntid) == 0) {
		first = 0;
		tid = ntid;
		if (!bpf_map_lookup_elem(vfd, &tid, &vcpu))
			tracer_set_vcpu(t, tid, vcpu);
	}
	return rc;
}

static void bpf_close(struct tracer *t)
{
	struct bpf_priv *p = t->priv;
	if (!p)
		return;
	for (int i = 0; i < p->nlinks; i++)
		bpf_link__destroy(p->links[i]);
	irqpath_trace__destroy(p->skel);
	if (p->stats_fd >= 0)
		close(p->stats_fd);
	free(p);
	t->priv = NULL;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !getenv("IRQPATH_TRACE_DEBUG")))
		return 0;
	if (!getenv("IRQPATH_TRACE_DEBUG"))
		return 0; /* errors are reported by us with a clearer message */
	return vfprintf(stderr, fmt, ap);
}

int tracer_open_bpf(struct tracer *t, char *err, size_t errlen)
{
	const char *btf = getenv("IRQPATH_BTF");
	if (!btf)
		btf = "/sys/kernel/btf/vmlinux";
	if (access(btf, R_OK)) {
		snprintf(err, errlen,
			 "no kernel BTF at %s: the BPF backend needs CONFIG_DEBUG_INFO_BTF (use "
			 "--backend tracefs)",
			 btf);
		return -1;
	}
	if (!tracer_have_caps(1)) {
		snprintf(err, errlen,
			 "not allowed to load BPF: run as root or with CAP_BPF and CAP_PERFMON (or "
			 "use --backend "
			 "tracefs as root)");
		return -1;
	}
	const char *tracefs = tracer_tracefs_dir(err, errlen);
	if (!tracefs)
		return -1;
	libbpf_set_print(quiet_print);

	struct bpf_priv *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->ncpus = libbpf_num_possible_cpus();
	p->stats_fd = -1;
	if (t->bpf_stats) {
		p->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (p->stats_fd < 0)
			fprintf(stderr,
				"irqpath-trace: cannot enable BPF run-time statistics: %s\n",
				strerror(-p->stats_fd));
	}
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = getenv("IRQPATH_BTF"));
	p->skel = irqpath_trace__open_opts(&oo);
	if (!p->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		free(p);
		return -1;
	}
	p->skel->rodata->target_pid = (uint32_t)t->pid;
	p->skel->rodata->irqfd_inject_addr = tracer_kallsyms("irqfd_inject");

	/* Programs are named tp_<event without kvm_>: load only those whose
	 * tracepoint exists here. */
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, p->skel->obj)
	{
		const char *sec = bpf_program__section_name(prog);
		const char *ev = strrchr(sec, '/');
		ev = ev ? ev + 1 : sec;
		if (!strcmp(ev, "kvm_emulate_insn") && !t->emulate_insn) {
			bpf_program__set_autoload(prog, false); /* never unless asked */
			continue;
		}
		if (!tracer_event_exists(tracefs, ev)) {
			bpf_program__set_autoload(prog, false);
			tracer_note_missing(t, ev);
		}
	}
	int rc = irqpath_trace__load(p->skel);
	if (rc) {
		if (rc == -EPERM || rc == -EACCES)
			snprintf(
			    err, errlen,
			    "loading BPF programs was refused (%s): run as root or with CAP_BPF",
			    strerror(-rc));
		else
			snprintf(err, errlen,
				 "loading BPF programs failed: %s (set IRQPATH_TRACE_DEBUG=1 for "
				 "the verifier log)",
				 strerror(-rc));
		irqpath_trace__destroy(p->skel);
		free(p);
		return -1;
	}
	bpf_object__for_each_program(prog, p->skel->obj)
	{
		if (!bpf_program__autoload(prog))
			continue;
		struct bpf_link *l = bpf_program__attach(prog);
		if (!l) {
			snprintf(err, errlen, "attaching %s failed: %s",
				 bpf_program__section_name(prog), strerror(errno));
			t->priv = p;
			bpf_close(t);
			return -1;
		}
		p->progs[p->nlinks] = prog;
		p->links[p->nlinks++] = l;
	}
	t->backend = "bpf";
	t->priv = p;
	t->poll = bpf_poll;
	t->poll_ms = 100;
	t->read = bpf_read;
	t->close = bpf_close;
	return 0;
}
