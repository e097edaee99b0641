/* SPDX-License-Identifier: MIT */
/*
 * tracefs backend: a private ftrace instance with the kvm events enabled,
 * read with libtracefs/libtraceevent and folded into the same counters the
 * BPF programs keep. The instance is removed on close.
 *
 * Ownership follows the BPF rule. Threads map to their process through
 * /proc (cached; the top-level saved_tgids with record-tgid as fallback for
 * threads that already exited). irqfd injections that run in a kworker are
 * tied to their VM through the workqueue events: workqueue_queue_work for
 * irqfd_inject fires in the VMM thread that wrote the eventfd, and
 * workqueue_execute_start/end bracket the kworker's run of that work item.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs/tracefs.h>
#include <unistd.h>

#include "tracefs_hist.h"
#include "tracefs_reaper.h"
#include "tracefs_reader.h"
#include "tracer.h"

enum tf_kind {
	TF_NONE,
	TF_USERSPACE_EXIT,
	TF_MMIO,
	TF_PIO,
	TF_MSR,
	TF_MSI,
	TF_IOAPIC_SET_IRQ,
	TF_SET_IRQ,
	TF_ACK_IRQ,
	TF_EOI,
	TF_APIC_ACCEPT,
	TF_APIC_IPI,
	TF_EXIT,
	TF_ENTRY,
	TF_EMULATE_INSN,
	TF_WQ_QUEUE,
	TF_WQ_START,
	TF_WQ_END,
};

#define TF_MAX_IDS 4096
#define TF_TIDS 8192	  /* power of two */
#define TF_FIELD_CACHE 64 /* power of two */

struct tf_map {
	uint64_t k[TF_TIDS], v[TF_TIDS];
	uint8_t used[TF_TIDS];
};

struct tf_priv {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct tf_reader *reader;
	char tracefs[256];
	uint8_t kind[TF_MAX_IDS];
	struct counts counts;
	struct tf_map tgid;    /* tid -> tgid */
	struct tf_map work;    /* irqfd work pointer -> VM pid */
	struct tf_map kworker; /* kworker tid -> VM pid it is injecting for */
	struct tf_map exit_ts; /* tid -> its open kvm_exit's timestamp (0: none) */
	struct tf_map exit_rs; /* tid -> that exit's isa << 32 | reason */
	uint64_t inject_addr;
	int hist;	     /* counting in kernel histograms (hist triggers) */
	uint8_t hist_on[32]; /* per hist_specs entry: its trigger is attached */
	unsigned polls;
	int restore_record_tgid;
	struct reaper reaper;
	char *saved_tgids;
	int oom;
	/* (event, field name literal) -> field: saves a search by name per
	 * field of every event */
	struct {
		const struct tep_event *ev;
		const char *name;
		struct tep_format_field *f;
	} fields[TF_FIELD_CACHE];
};

static uint64_t *map_slot(struct tf_map *m, uint64_t key, int create)
{
	uint64_t i = (key * 0x9e3779b97f4a7c15ull) >> 51; /* 13 bits */
	for (int n = 0; n < TF_TIDS; n++, i = (i + 1) & (TF_TIDS - 1)) {
		if (!m->used[i]) {
			if (!create)
				return NULL;
			m->used[i] = 1;
			m->k[i] = key;
			m->v[i] = 0;
			return &m->v[i];
		}
		if (m->k[i] == key)
			return &m->v[i];
	}
	return NULL;
}

static void map_del(struct tf_map *m, uint64_t key)
{
	uint64_t *v = map_slot(m, key, 0);
	if (v)
		*v = 0; /* 0 means "none" for every map here */
}

static uint64_t tgid_from_saved(struct tf_priv *p, uint32_t tid)
{
	free(p->saved_tgids);
	p->saved_tgids = tracefs_instance_file_read(NULL, "saved_tgids", NULL);
	if (!p->saved_tgids)
		return 0;
	char *s = p->saved_tgids;
	unsigned a, b;
	int n;
	while (sscanf(s, "%u %u%n", &a, &b, &n) == 2) {
		if (a == tid)
			return b;
		s += n;
	}
	return 0;
}

static uint32_t tgid_of(struct tf_priv *p, uint32_t tid)
{
	uint64_t *v = map_slot(&p->tgid, tid, 1);
	if (v && *v)
		return (uint32_t)*v;
	char path[64], line[128];
	uint64_t tgid = 0;
	snprintf(path, sizeof path, "/proc/%u/status", tid);
	FILE *f = fopen(path, "r");
	if (f) {
		unsigned t;
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Tgid: %u", &t) == 1) {
				tgid = t;
				break;
			}
		fclose(f);
	}
	if (!tgid)
		tgid = tgid_from_saved(p, tid);
	if (!tgid)
		tgid = tid; /* gone and not recorded: count it under itself */
	if (v)
		*v = tgid;
	return (uint32_t)tgid;
}

static struct tf_priv *field_owner; /* the backend whose cache field() uses */

static unsigned long long field(struct tep_event *ev, struct tep_record *r, const char *name,
				int is_signed)
{
	struct tf_priv *p = field_owner;
	unsigned h =
	    (unsigned)(((uintptr_t)ev >> 4) ^ ((uintptr_t)name >> 1)) & (TF_FIELD_CACHE - 1);
	struct tep_format_field *f;
	if (p->fields[h].ev == ev && p->fields[h].name == name)
		f = p->fields[h].f;
	else {
		f = tep_find_field(ev, name);
		p->fields[h].ev = ev;
		p->fields[h].name = name;
		p->fields[h].f = f;
	}
	unsigned long long v = 0;
	if (!f || tep_read_number_field(f, r->data, &v))
		return 0;
	if (is_signed && f->size == 4)
		return (unsigned long long)(long long)(int32_t)v;
	return v;
}

static void bump(struct tf_priv *p, struct irqt_key *k, uint16_t ev, uint8_t sub, uint64_t detail,
		 uint64_t extra)
{
	k->event = ev;
	k->sub = sub;
	k->detail = detail;
	k->extra = extra;
	if (counts_add(&p->counts, k, 1))
		p->oom = 1;
}

static uint64_t log2_u64(uint64_t v)
{
	uint64_t r = 0;
	while (v > 1) {
		v >>= 1;
		r++;
	}
	return r;
}

/* kvm_exit opens the thread's exit (timestamp, isa, reason) ... */
static void on_exit_event(struct tracer *t, struct tf_priv *p, struct tep_event *ev,
			  struct tep_record *r, struct irqt_key *k)
{
	uint32_t tid = k->tid;
	uint64_t isa = field(ev, r, "isa", 0), reason = (uint32_t)field(ev, r, "exit_reason", 0);
	uint64_t *ts = map_slot(&p->exit_ts, tid, 1), *rs = map_slot(&p->exit_rs, tid, 1);
	tracer_set_vcpu(t, tid, (uint32_t)field(ev, r, "vcpu_id", 0));
	bump(p, k, IRQT_EV_EXIT, (uint8_t)isa, reason, 0);
	if (ts && rs) {
		*ts = r->ts;
		*rs = isa << 32 | reason;
	}
}

/* ... and kvm_entry closes it: one latency count for that reason, as the
 * BPF program does. */
static void on_entry_event(struct tracer *t, struct tf_priv *p, struct tep_event *ev,
			   struct tep_record *r, struct irqt_key *k)
{
	uint32_t tid = k->tid;
	uint64_t *ts = map_slot(&p->exit_ts, tid, 0), *rs = map_slot(&p->exit_rs, tid, 0);
	tracer_set_vcpu(t, tid, (uint32_t)field(ev, r, "vcpu_id", 0));
	if (!ts || !*ts || !rs)
		return;
	uint64_t d = r->ts - *ts;
	*ts = 0;
	bump(p, k, IRQT_EV_EXIT_LAT_LOG2, (uint8_t)(*rs >> 32), log2_u64(d), (uint32_t)*rs);
}

/* Workqueue events tie a kworker's irqfd injection to its VM. */
static void on_workqueue(struct tf_priv *p, enum tf_kind kind, struct tep_event *ev,
			 struct tep_record *r, uint32_t tid)
{
	uint64_t *slot;
	if (kind == TF_WQ_QUEUE) {
		if ((slot = map_slot(&p->work, field(ev, r, "work", 0), 1)))
			*slot = tgid_of(p, tid);
	} else if (kind == TF_WQ_START) {
		/* this kworker now injects for the VM that queued the work */
		uint64_t *vm = map_slot(&p->work, field(ev, r, "work", 0), 0);
		if (vm && *vm && (slot = map_slot(&p->kworker, tid, 1)) != NULL)
			*slot = *vm;
	} else
		map_del(&p->kworker, tid);
}

static int on_record(struct tep_event *ev, struct tep_record *r, int cpu, void *ctx)
{
	struct tracer *t = ctx;
	struct tf_priv *p = t->priv;
	(void)cpu;
	if (ev->id < 0 || ev->id >= TF_MAX_IDS)
		return 0;
	enum tf_kind kind = p->kind[ev->id];
	uint32_t tid = (uint32_t)tep_data_pid(p->tep, r);

	if (kind == TF_NONE)
		return 0;
	if (kind == TF_WQ_QUEUE || kind == TF_WQ_START || kind == TF_WQ_END) {
		on_workqueue(p, kind, ev, r, tid);
		return 0;
	}

	struct irqt_key k = {.tid = tid, .ctx = IRQT_CTX_THREAD};
	uint64_t *owner = map_slot(&p->kworker, tid, 0);
	if (owner && *owner) {
		k.pid = (uint32_t)*owner;
		k.tid = 0;
		k.ctx = IRQT_CTX_KWORKER;
	} else
		k.pid = tgid_of(p, tid);
	if (t->pid && k.pid != (uint32_t)t->pid)
		return 0;

	switch (kind) {
	case TF_USERSPACE_EXIT: {
		long long err = (long long)field(ev, r, "errno", 1);
		bump(p, &k, IRQT_EV_USERSPACE_EXIT, 0,
		     err < 0 ? 0x10000 + (uint64_t)(-err) : field(ev, r, "reason", 0), 0);
		break;
	}
	case TF_MMIO: {
		uint64_t gpa = field(ev, r, "gpa", 0), type = field(ev, r, "type", 0), extra = 0;
		if (type == 0) /* the unsatisfied half of a read (filtered in kernel) */
			break;
		if (type == 2) {
			extra = field(ev, r, "val", 0);
			if (extra > IRQT_VALUE_LIMIT)
				extra = IRQT_VALUE_LIMIT;
		}
		bump(p, &k, IRQT_EV_MMIO, (uint8_t)type, gpa, extra);
		break;
	}
	case TF_PIO:
		bump(p, &k, IRQT_EV_PIO, field(ev, r, "rw", 0) ? 1 : 0, field(ev, r, "port", 0), 0);
		break;
	case TF_MSR:
		bump(p, &k, IRQT_EV_MSR, field(ev, r, "write", 0) ? 1 : 0, field(ev, r, "ecx", 0),
		     0);
		break;
	case TF_MSI: {
		uint64_t a = field(ev, r, "address", 0);
		bump(p, &k, IRQT_EV_MSI, 0, field(ev, r, "data", 0) & 0xff, IRQT_MSI_DEST(a));
		break;
	}
	case TF_IOAPIC_SET_IRQ:
		bump(p, &k, IRQT_EV_IOAPIC_SET_IRQ, field(ev, r, "coalesced", 0) ? 1 : 0,
		     (uint32_t)field(ev, r, "pin", 1), field(ev, r, "e", 0) & 0xff);
		break;
	case TF_SET_IRQ:
		bump(p, &k, IRQT_EV_SET_IRQ, field(ev, r, "level", 1) ? 1 : 0,
		     field(ev, r, "gsi", 0), 0);
		break;
	case TF_ACK_IRQ:
		bump(p, &k, IRQT_EV_ACK_IRQ, (uint8_t)field(ev, r, "irqchip", 0),
		     field(ev, r, "pin", 0), 0);
		break;
	case TF_EOI:
		tracer_set_vcpu(t, tid, (uint32_t)field(ev, r, "apicid", 0));
		bump(p, &k, IRQT_EV_EOI, 0, (uint32_t)field(ev, r, "vector", 1),
		     field(ev, r, "apicid", 0));
		break;
	case TF_APIC_ACCEPT:
		bump(p, &k, IRQT_EV_APIC_ACCEPT, 0, field(ev, r, "vec", 0),
		     field(ev, r, "apicid", 0));
		break;
	case TF_APIC_IPI:
		bump(p, &k, IRQT_EV_APIC_IPI, 0, field(ev, r, "dest_id", 0),
		     field(ev, r, "icr_low", 0));
		break;
	case TF_EXIT:
		on_exit_event(t, p, ev, r, &k);
		break;
	case TF_ENTRY:
		on_entry_event(t, p, ev, r, &k);
		break;
	case TF_EMULATE_INSN:
		bump(p, &k, IRQT_EV_EMULATE_INSN, 0, field(ev, r, "failed", 0) ? 1 : 0, 0);
		break;
	default:
		break;
	}
	return 0;
}

static uint64_t read_lost(struct tf_priv *p)
{
	uint64_t lost = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	for (long c = 0; c < ncpu; c++) {
		char name[64];
		snprintf(name, sizeof name, "per_cpu/cpu%ld/stats", c);
		char *s = tracefs_instance_file_read(p->inst, name, NULL);
		if (!s)
			continue;
		unsigned long long v;
		char *q;
		if ((q = strstr(s, "overrun:")) && sscanf(q, "overrun: %llu", &v) == 1)
			lost += v;
		if ((q = strstr(s, "dropped events:")) &&
		    sscanf(q, "dropped events: %llu", &v) == 1)
			lost += v;
		free(s);
	}
	return lost;
}

static int add_hist(struct tracer *t, struct counts *out, uint64_t *dropped);

static int tf_poll(struct tracer *t)
{
	struct tf_priv *p = t->priv;
	if (tf_reader_drain(p->reader, on_record, t) < 0)
		return -1;
	/* hist triggers count by thread id: about every second, look the
	 * threads up while they are alive (an exited thread is found only in
	 * saved_tgids) */
	if (p->hist && ++p->polls % 10 == 0) {
		struct counts scratch;
		counts_init(&scratch);
		int rc = add_hist(t, &scratch, NULL);
		counts_free(&scratch);
		if (rc)
			return -1;
	}
	return p->oom ? -1 : 0;
}

/* Exits whose thread has not re-entered the guest (yet): state, not a
 * cumulative count, added to each read. */
static int add_open_exits(struct tf_priv *p, struct counts *out)
{
	for (int i = 0; i < TF_TIDS; i++) {
		if (!p->exit_ts.used[i] || !p->exit_ts.v[i])
			continue;
		uint32_t tid = (uint32_t)p->exit_ts.k[i];
		uint64_t *rs = map_slot(&p->exit_rs, tid, 0);
		if (!rs)
			continue;
		struct irqt_key k = {.pid = tgid_of(p, tid),
				     .tid = tid,
				     .event = IRQT_EV_EXIT_OPEN,
				     .sub = (uint8_t)(*rs >> 32),
				     .detail = (uint32_t)*rs};
		if (counts_add(out, &k, 1))
			return -1;
	}
	return 0;
}

static uint32_t hist_tgid(void *ctx, uint32_t tid)
{
	struct tracer *t = ctx;
	return tgid_of(t->priv, tid);
}

static void hist_vcpu(void *ctx, uint32_t tid, uint32_t vcpu)
{
	tracer_set_vcpu(ctx, tid, vcpu);
}

/* The kernel histograms' counts (cumulative since attach), each event's
 * `hist` file read once; entries the kernel dropped (table full) are added
 * to *dropped_out (lost events; NULL: not counted). 0 ok. */
static int add_hist(struct tracer *t, struct counts *out, uint64_t *dropped_out)
{
	struct tf_priv *p = t->priv;
	struct hist_fns fn = {.tgid = hist_tgid, .vcpu = hist_vcpu, .ctx = t};
	uint64_t dropped = 0;
	for (size_t i = 0; i < hist_nspecs; i++) {
		const char *ev = hist_specs[i].event;
		if (!p->hist_on[i] ||
		    (i && p->hist_on[i - 1] && !strcmp(ev, hist_specs[i - 1].event)))
			continue; /* one read per event with triggers */
		char *text = tracefs_event_file_read(p->inst, "kvm", ev, "hist", NULL);
		int rc = text ? hist_fold(out, ev, text, &fn, (uint32_t)t->pid, &dropped) : -1;
		free(text);
		if (rc)
			return -1;
	}
	if (dropped_out)
		*dropped_out += dropped;
	return 0;
}

static int tf_read(struct tracer *t, struct counts *out)
{
	struct tf_priv *p = t->priv;
	if (tf_poll(t))
		return -1;
	t->lost = read_lost(p);
	if (counts_copy(out, &p->counts) || add_open_exits(p, out))
		return -1;
	return p->hist ? add_hist(t, out, &t->lost) : 0;
}

static void tf_close(struct tracer *t)
{
	struct tf_priv *p = t->priv;
	if (!p)
		return;
	tf_reader_close(p->reader);
	if (p->inst) {
		tracefs_event_disable(p->inst, NULL, NULL);
		tracefs_instance_destroy(p->inst);
		tracefs_instance_free(p->inst);
	}
	if (p->restore_record_tgid)
		tracefs_option_disable(NULL, TRACEFS_OPTION_RECORD_TGID);
	reaper_stop(&p->reaper);
	if (p->tep)
		tep_free(p->tep);
	counts_free(&p->counts);
	free(p->saved_tgids);
	free(p);
	t->priv = NULL;
}

static int set_kind(struct tf_priv *p, const char *sys, const char *name, enum tf_kind kind)
{
	struct tep_event *ev = tep_find_event_by_name(p->tep, sys, name);
	if (!ev || ev->id < 0 || ev->id >= TF_MAX_IDS)
		return -1;
	p->kind[ev->id] = (uint8_t)kind;
	return 0;
}

/* What of event ev reaches the ring buffer: with hist triggers only its
 * kworker events (the rest is counted in kernel); and one kvm_mmio per
 * access: a read that goes to user space fires it twice, unsatisfied
 * (type 0) then read, and the filter drops the first. 0 ok. */
static int stream_filter(struct tracer *t, struct tf_priv *p, const char *ev, char *err,
			 size_t errlen)
{
	char filter[256] = "", trig[256];
	int hist = p->hist && hist_has_event(ev);
	for (size_t i = 0; hist && i < hist_nspecs && i < sizeof p->hist_on; i++) {
		if (strcmp(hist_specs[i].event, ev) ||
		    (!strcmp(ev, "kvm_emulate_insn") && !t->emulate_insn))
			continue;
		hist_trigger_text(&hist_specs[i], trig, sizeof trig);
		if (tracefs_event_file_append(p->inst, "kvm", ev, "trigger", trig) < 0) {
			snprintf(err, errlen, "cannot add the trigger '%s' to kvm:%s: %s", trig, ev,
				 strerror(errno));
			return -1;
		}
		p->hist_on[i] = 1;
	}
	if (!strcmp(ev, "kvm_mmio"))
		snprintf(filter, sizeof filter, "type != 0%s",
			 hist ? " && comm ~ \"kworker*\"" : "");
	else if (hist)
		snprintf(filter, sizeof filter, "comm ~ \"kworker*\"");
	if (filter[0] && tracefs_event_file_write(p->inst, "kvm", ev, "filter", filter) < 0) {
		snprintf(err, errlen, "cannot set the filter of kvm:%s: %s", ev, strerror(errno));
		return -1;
	}
	return 0;
}

/* The kvm events, in the order of tracer_events; absent ones are noted as
 * missing. 0 ok. */
static int enable_kvm_events(struct tracer *t, struct tf_priv *p, char *err, size_t errlen)
{
	static const enum tf_kind kinds[] = {
	    TF_USERSPACE_EXIT, TF_MMIO,	   TF_PIO,     TF_MSR,	       TF_MSI,
	    TF_IOAPIC_SET_IRQ, TF_SET_IRQ, TF_ACK_IRQ, TF_EOI,	       TF_APIC_ACCEPT,
	    TF_APIC_IPI,       TF_EXIT,	   TF_ENTRY,   TF_EMULATE_INSN};
	_Static_assert(sizeof kinds / sizeof *kinds == 14, "one kind per tracer_events entry");
	for (size_t i = 0; i < tracer_nevents; i++) {
		const char *ev = tracer_events[i].name;
		if (tracer_events[i].opt_in && !t->emulate_insn)
			continue;
		if (!tracer_event_exists(p->tracefs, ev) || set_kind(p, "kvm", ev, kinds[i])) {
			tracer_note_missing(t, ev);
			continue;
		}
		if (stream_filter(t, p, ev, err, errlen))
			return -1;
		if (tracefs_event_enable(p->inst, "kvm", ev)) {
			snprintf(err, errlen, "cannot enable kvm:%s in the tracefs instance: %s",
				 ev, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The workqueue events that tie a kworker's irqfd injection to its VM,
 * filtered in kernel on irqfd_inject (none without kallsyms). 0 ok. */
static int enable_workqueue_events(struct tf_priv *p, char *err, size_t errlen)
{
	p->inject_addr = tracer_kallsyms("irqfd_inject");
	if (p->inject_addr && !set_kind(p, "workqueue", "workqueue_queue_work", TF_WQ_QUEUE) &&
	    !set_kind(p, "workqueue", "workqueue_execute_start", TF_WQ_START) &&
	    !set_kind(p, "workqueue", "workqueue_execute_end", TF_WQ_END)) {
		char filter[64];
		snprintf(filter, sizeof filter, "function == 0x%llx",
			 (unsigned long long)p->inject_addr);
		const char *wq[] = {"workqueue_queue_work", "workqueue_execute_start",
				    "workqueue_execute_end"};
		for (int i = 0; i < 3; i++)
			if (tracefs_event_file_write(p->inst, "workqueue", wq[i], "filter",
						     filter) < 0 ||
			    tracefs_event_enable(p->inst, "workqueue", wq[i])) {
				snprintf(err, errlen, "cannot enable workqueue:%s: %s", wq[i],
					 strerror(errno));
				return -1;
			}
	}
	return 0;
}

int tracer_open_tracefs(struct tracer *t, char *err, size_t errlen)
{
	if (!tracer_have_caps(0)) {
		snprintf(err, errlen, "not allowed to use tracefs: run as root (CAP_SYS_ADMIN)");
		return -1;
	}
	const char *dir = tracer_tracefs_dir(err, errlen);
	if (!dir)
		return -1;
	struct tf_priv *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(p->tracefs, sizeof p->tracefs, "%s", dir);
	t->priv = p;
	field_owner = p;
	counts_init(&p->counts);
	tracefs_set_tracing_dir(p->tracefs);

	p->reaper.fd = -1;
	reaper_collect_stale(p->tracefs);
	char name[64], inst_dir[400];
	snprintf(name, sizeof name, "irqpath-trace-%d", (int)getpid());
	p->inst = tracefs_instance_create(name);
	if (!p->inst) {
		snprintf(err, errlen, "cannot create tracefs instance %s/instances/%s: %s",
			 p->tracefs, name, strerror(errno));
		goto fail;
	}
	snprintf(inst_dir, sizeof inst_dir, "%s/instances/%s", p->tracefs, name);
	if (reaper_start(&p->reaper, inst_dir, p->tracefs)) {
		snprintf(err, errlen, "cannot start the helper that removes %s on a crash: %s",
			 inst_dir, strerror(errno));
		goto fail;
	}
	const char *systems[] = {"kvm", "workqueue", NULL};
	p->tep = tracefs_local_events_system(p->tracefs, systems);
	if (!p->tep) {
		snprintf(err, errlen, "cannot parse event formats under %s/events/kvm", p->tracefs);
		goto fail;
	}
	/* KiB per CPU; the buffer takes every VM's events (the pid filter is
	 * applied when reading), kvm_emulate_insn one per guest instruction */
	tracefs_instance_set_buffer_size(p->inst, t->emulate_insn ? 32768 : 8192, -1);
	/* 64 KiB sub-buffers where the kernel lets us choose (6.8+): one read
	 * of trace_pipe_raw then moves ~1000 events instead of ~80 */
	tracefs_instance_file_write(p->inst, "buffer_subbuf_size_kb", "64");
	/* hist triggers where the kernel has them (IRQPATH_TRACEFS_HIST=0:
	 * stream everything) */
	const char *h = getenv("IRQPATH_TRACEFS_HIST");
	p->hist = tracefs_event_file_exists(p->inst, "kvm", "kvm_mmio", "hist") &&
		  !(h && !strcmp(h, "0"));
	if (enable_kvm_events(t, p, err, errlen) || enable_workqueue_events(p, err, errlen))
		goto fail;
	if (!tracefs_option_is_enabled(NULL, TRACEFS_OPTION_RECORD_TGID) &&
	    !tracefs_option_enable(NULL, TRACEFS_OPTION_RECORD_TGID)) {
		p->restore_record_tgid = 1;
		reaper_note_record_tgid(&p->reaper);
	}
	if (!(p->reader = tf_reader_open(p->inst, p->tep, err, errlen)))
		goto fail;
	if (tracefs_trace_on(p->inst)) {
		snprintf(err, errlen, "cannot turn tracing on in the instance: %s",
			 strerror(errno));
		goto fail;
	}
	if (p->hist)
		fprintf(stderr, "irqpath-trace: tracefs: counting in kernel histograms (hist "
				"triggers); kvm_exit/kvm_entry and kworker events stream\n");
	t->backend = "tracefs";
	t->poll = tf_poll;
	/* drained every 100 ms (8 MiB per CPU holds seconds of a busy VM's
	 * events); every 25 ms with kvm_emulate_insn, one event per
	 * instruction */
	t->poll_ms = t->emulate_insn ? 25 : 100;
	t->read = tf_read;
	t->close = tf_close;
	return 0;
fail:
	tf_close(t);
	return -1;
}
