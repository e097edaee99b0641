// SPDX-License-Identifier: MIT
#include "mg_result.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "irqpath/virtio_reg_names.h"

static uint64_t u64_or0(const struct mg_line *l, const char *key)
{
	uint64_t v = 0;
	mg_get_u64(l, key, &v);
	return v;
}

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

const char *mg_trace_kind(enum mg_machine m)
{
	return m == MG_MICROVM ? "mmio-legacy" : "pci";
}

static json_t *qemu_json(const struct mg_outcome *o)
{
	json_t *argv = json_array();
	for (int i = 0; o->qemu_argv && o->qemu_argv[i]; i++)
		json_array_append_new(argv, json_string(o->qemu_argv[i]));
	int st = o->qemu_wait_status;
	return json_pack(
	    "{s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:o}", "binary", o->cfg->qemu, "version",
	    o->qemu_version, "pid", (json_int_t)o->qemu_pid, "argv", argv, "exit_status",
	    st >= 0 && WIFEXITED(st) ? json_integer(WEXITSTATUS(st)) : json_null(), "signal",
	    st >= 0 && WIFSIGNALED(st) ? json_integer(WTERMSIG(st)) : json_null(), "accel", "kvm",
	    "irqchip", o->cfg->irqchip ? o->cfg->irqchip : "default", "state_at_time_limit",
	    o->qemu_state ? json_string(o->qemu_state) : json_null());
}

/* The mailbox counts, in irqpath-vmm/1's "guest" shape. */
static json_t *guest_json(const struct mg_line *r)
{
	json_t *queues = json_object();
	static const char *const qn[] = {"rx", "tx"};
	static const char *const fields[] = {"notifies", "interrupts", "callbacks", "used"};
	char key[MG_KEY_MAX];
	for (int q = 0; q < 2; q++) {
		json_t *o = json_object();
		for (int f = 0; f < 4; f++) {
			snprintf(key, sizeof key, "%s.%s", qn[q], fields[f]);
			json_object_set_new(o, fields[f], jint(u64_or0(r, key)));
		}
		json_object_set_new(queues, qn[q], o);
	}
	json_t *vec = json_object();
	for (unsigned i = 0; i < r->nkeys; i++) {
		unsigned v;
		char tail;
		if (sscanf(r->key[i], "vec%u%c", &v, &tail) == 1 && v < 256) {
			snprintf(key, sizeof key, "%u", v);
			json_object_set_new(vec, key, jint(u64_or0(r, r->key[i])));
		}
	}
	const char *err = mg_get(r, "error");
	return json_pack(
	    "{s:s, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "state",
	    mg_get(r, "state") ? mg_get(r, "state") : "unknown", "error",
	    err && strcmp(err, "-") ? json_string(err) : json_null(), "error_code",
	    (json_int_t)u64_or0(r, "error_code"), "status_reads", jint(u64_or0(r, "status_reads")),
	    "status_zero", jint(u64_or0(r, "status_zero")), "acks", jint(u64_or0(r, "acks")),
	    "spurious", jint(u64_or0(r, "spurious")), "config_interrupts",
	    jint(u64_or0(r, "config_interrupts")), "msi_vectors", jint(u64_or0(r, "msi_vectors")),
	    "rx_ignored", jint(u64_or0(r, "rx_ignored")), "tsc_cycles",
	    jint(u64_or0(r, "tsc_cycles")), "queues", queues, "irqs_by_vector", vec);
}

/* A guest that never sent its result line (stuck, killed): its RAM mailbox as it was. */
static json_t *mailbox_json(const struct gabi_mailbox *mb)
{
	static const char *const states[] = {"boot", "running", "done", "failed"};
	json_t *vec = json_object(), *queues = json_object();
	char key[8];
	for (unsigned v = 0; v < 256; v++)
		if (mb->irqs_by_vector[v]) {
			snprintf(key, sizeof key, "%u", v);
			json_object_set_new(vec, key, jint(mb->irqs_by_vector[v]));
		}
	for (unsigned q = 0; q < 2; q++) /* the PVH boot runs one queue pair */
		json_object_set_new(
		    queues, q ? "tx" : "rx",
		    json_pack("{s:o, s:o, s:o, s:o}", "notifies", jint(mb->q[q].notifies),
			      "interrupts", jint(mb->q[q].interrupts), "callbacks",
			      jint(mb->q[q].callbacks), "used", jint(mb->q[q].used)));
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "source",
			 "guest RAM (no result line)", "state",
			 mb->state < 4 ? states[mb->state] : "unknown", "done", jint(mb->done),
			 "status_reads", jint(mb->status_reads), "status_zero",
			 jint(mb->status_zero), "acks", jint(mb->acks), "spurious",
			 jint(mb->spurious), "queues", queues, "irqs_by_vector", vec);
}

static json_t *device_json(const struct mg_outcome *o)
{
	const struct mg_line *r = &o->run;
	char spec[64];
	uint64_t window = u64_or0(r, "window");
	snprintf(spec, sizeof spec, "%s@0x%" PRIx64, mg_trace_kind(o->cfg->machine), window);
	return json_pack(
	    "{s:I, s:b, s:I, s:s, s:{s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "window",
	    (json_int_t)window, "window_confirmed_by_qemu", o->window_checked, "gsi",
	    (json_int_t)u64_or0(r, "gsi"), "trace_device", spec, "doorbells", "rx",
	    (json_int_t)u64_or0(r, "rx.doorbell"), "tx", (json_int_t)u64_or0(r, "tx.doorbell"),
	    "vectors", "legacy", (json_int_t)u64_or0(r, "vec_legacy"), "config",
	    (json_int_t)u64_or0(r, "vec_config"), "rx", (json_int_t)u64_or0(r, "rx.vector"), "tx",
	    (json_int_t)u64_or0(r, "tx.vector"));
}

json_t *mg_result_json(const struct mg_outcome *o)
{
	const struct mg_qemu_cfg *c = o->cfg;
	uint64_t done = o->have_result ? u64_or0(&o->result, "done") : 0;
	double elapsed = o->have_run && o->have_end ? o->t_end - o->t_run : 0;
	json_t *doc = json_pack(
	    "{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:o}, s:{s:I, s:I, s:I}}",
	    "schema", "irqpath-qemu-micro/1", "pid", (json_int_t)o->qemu_pid, "profile",
	    c->machine == MG_MICROVM ? "qemu-mmio" : "qemu-pci", "machine",
	    c->machine == MG_MICROVM ? "microvm" : "q35", "transport",
	    c->machine == MG_MICROVM ? "virtio-mmio version 2, one level IOAPIC line"
				     : "virtio-pci modern, MSI-X",
	    "status", o->error[0] ? "error" : "ok", "error",
	    o->error[0] ? json_string(o->error) : json_null(), "qemu", qemu_json(o), "peer", "kind",
	    "tap + irqpath-reflect", "netns", o->netns, "tap", o->tap, "answered",
	    o->reflect_answered >= 0 ? json_integer(o->reflect_answered) : json_null(), "workload",
	    "transactions", (json_int_t)c->transactions, "req", (json_int_t)c->req, "resp",
	    (json_int_t)c->resp);
	const struct mg_latency *l = &o->latency;
	json_object_set_new(
	    doc, "result",
	    json_pack("{s:I, s:f, s:f, s:f, s:o, s:o}", "transactions", (json_int_t)done,
		      "elapsed_s", elapsed, "trans_per_s",
		      elapsed > 0 ? (double)done / elapsed : 0.0, "boot_s",
		      o->have_run ? o->t_run - o->t_start : 0.0, "tsc_khz",
		      o->tsc_khz ? json_integer((json_int_t)o->tsc_khz) : json_null(), "latency_us",
		      o->have_latency
			  ? json_pack("{s:I, s:f, s:f, s:f, s:f}", "n", (json_int_t)l->n, "mean",
				      l->mean, "p50", l->p50, "p90", l->p90, "p99", l->p99)
			  : json_null()));
	json_object_set_new(doc, "device", o->have_run ? device_json(o) : json_null());
	json_object_set_new(doc, "guest",
			    o->have_result	  ? guest_json(&o->result)
			    : o->have_ram_mailbox ? mailbox_json(&o->ram_mailbox)
						  : json_null());
	return doc;
}

static void add_reg(json_t *regs, uint64_t off, const char *name)
{
	json_array_append_new(regs,
			      json_pack("{s:I, s:s}", "offset", (json_int_t)off, "name", name));
}

static json_t *queue_plan(const struct mg_line *r, int q, int pci)
{
	const char *n = q ? "tx" : "rx";
	char key[MG_KEY_MAX];
	snprintf(key, sizeof key, "%s.doorbell", n);
	json_t *notify = json_pack("{s:I, s:i, s:n}", "gpa", (json_int_t)u64_or0(r, key), "len",
				   pci ? 2 : 4, "datamatch");
	snprintf(key, sizeof key, "%s.vector", n);
	uint64_t vec = u64_or0(r, key), legacy = u64_or0(r, "vec_legacy");
	return json_pack(
	    "{s:s, s:i, s:o, s:o, s:o}", "queue", n, "index", q, "notify", notify, "msi",
	    pci && vec ? json_pack("{s:I}", "vector", (json_int_t)vec) : json_null(), "ioapic",
	    !pci && legacy ? json_pack("{s:I, s:I}", "vector", (json_int_t)legacy, "gsi",
				       (json_int_t)u64_or0(r, "gsi"))
			   : json_null());
}

json_t *mg_layout_json(const struct mg_outcome *o, char *err, size_t errlen)
{
	const struct mg_line *r = &o->run;
	int pci = o->cfg->machine == MG_Q35;
	uint64_t window = u64_or0(r, "window"), size = 0x200, gsi = u64_or0(r, "gsi");
	const char *t = mg_get(r, "transport");
	if (!window || !t || strcmp(t, pci ? "pci" : "mmio")) {
		snprintf(err, errlen, "the guest's run line names no %s window",
			 pci ? "virtio-pci" : "virtio-mmio");
		return NULL;
	}
	json_t *regs = json_array();
	if (!pci) {
		for (size_t i = 0; i < IRQPATH_MMIO_NREGS; i++)
			if (irqpath_mmio_regs[i].min_version <= 2 &&
			    irqpath_mmio_regs[i].max_version >= 2)
				add_reg(regs, irqpath_mmio_regs[i].offset,
					irqpath_mmio_regs[i].name);
	} else {
		/* Where the guest found each capability inside the BAR (QEMU's own choice). */
		const char *caps[][2] = {
		    {"isr", "isr"}, {"device", "device_config"}, {"notify", "notify"}};
		uint64_t common = u64_or0(r, "common");
		if (common < window) {
			snprintf(err, errlen, "common configuration below its BAR");
			json_decref(regs);
			return NULL;
		}
		for (size_t i = 0; i < IRQPATH_PCI_NCOMMON; i++)
			add_reg(regs, common - window + irqpath_pci_common[i].offset,
				irqpath_pci_common[i].name);
		for (size_t i = 0; i < 3; i++) {
			uint64_t a = u64_or0(r, caps[i][0]);
			if (a >= window) {
				add_reg(regs, a - window, caps[i][1]);
				if (a - window + 0x1000 > size)
					size = a - window + 0x1000;
			}
		}
	}
	uint64_t vcfg = u64_or0(r, "vec_config");
	return json_pack(
	    "{s:s, s:I, s:s, s:s, s:{s:I, s:I}, s:o, s:o, s:[o, o], s:{s:o}}", "schema",
	    "irqpath-layout/1", "pid", (json_int_t)o->qemu_pid, "profile",
	    mg_trace_kind(o->cfg->machine), "vmm", "qemu", "window", "gpa", (json_int_t)window,
	    "size", (json_int_t)size, "registers", regs, "ioapic_pin",
	    !pci && gsi < 24 ? json_integer((json_int_t)gsi) : json_null(), "queues",
	    queue_plan(r, 0, pci), queue_plan(r, 1, pci), "config", "msi",
	    pci && vcfg ? json_pack("{s:I}", "vector", (json_int_t)vcfg) : json_null());
}

int mg_check_mailbox(const struct mg_outcome *o, const struct gabi_mailbox *mb, char *err,
		     size_t errlen)
{
	const struct {
		const char *key;
		uint64_t ram;
	} same[] = {
	    {"done", mb->done},
	    {"status_reads", mb->status_reads},
	    {"status_zero", mb->status_zero},
	    {"acks", mb->acks},
	    {"rx.notifies", mb->q[0].notifies},
	    {"tx.notifies", mb->q[1].notifies},
	    {"rx.interrupts", mb->q[0].interrupts},
	    {"tx.interrupts", mb->q[1].interrupts},
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		uint64_t rep;
		if (mg_get_u64(&o->result, same[i].key, &rep) || rep != same[i].ram) {
			const char *v = mg_get(&o->result, same[i].key);
			snprintf(err, errlen,
				 "the guest's RAM mailbox says %s=%" PRIu64 ", its report line %s",
				 same[i].key, same[i].ram, v ? v : "nothing");
			return -1;
		}
	}
	if (mb->latency_count != mb->done) {
		snprintf(err, errlen,
			 "the guest recorded %" PRIu64 " latencies for %" PRIu64 " transactions",
			 (uint64_t)mb->latency_count, (uint64_t)mb->done);
		return -1;
	}
	return 0;
}

int mg_check_result(const struct mg_outcome *o, char *err, size_t errlen)
{
	const struct mg_line *r = &o->result;
	uint64_t status = 1, done = 0, requested = 0;
	const char *state = mg_get(r, "state"), *gerr = mg_get(r, "error");
	if (mg_get_u64(r, "status", &status) || mg_get_u64(r, "done", &done) ||
	    mg_get_u64(r, "requested", &requested) || !state) {
		snprintf(err, errlen, "the guest's result line lacks status/done/requested/state");
		return -1;
	}
	if (status != 0 || strcmp(state, "done")) {
		snprintf(err, errlen, "guest failed (state %s, status %" PRIu64 "): %s", state,
			 status, gerr ? gerr : "-");
		return -1;
	}
	if (done != requested || requested != o->cfg->transactions) {
		snprintf(err, errlen, "guest completed %" PRIu64 " of %" PRIu64 " transactions",
			 done, requested);
		return -1;
	}
	return 0;
}
