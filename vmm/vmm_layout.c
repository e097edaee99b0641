// SPDX-License-Identifier: MIT
/*
 * The layout file (irqpath-layout/1) a tracer decodes host events with:
 * the register window and its register names, and per queue the doorbell
 * and the interrupt as the guest programmed it (MSI entry, vector,
 * destination APIC ID; or the IOAPIC pin and its vector). Written when the
 * driver sets DRIVER_OK and again at exit. "doorbells", "vectors" and
 * "gsis" are the same plan flattened, for readers of the first version.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "irqpath/atomic_json.h"
#include "vmm.h"

static int ioapic_vector(const struct vmm *m, unsigned pin)
{
	struct kvm_irqchip chip = {.chip_id = KVM_IRQCHIP_IOAPIC};
	if (ioctl(m->vm.vm_fd, KVM_GET_IRQCHIP, &chip))
		return -1;
	return (int)(chip.chip.ioapic.redirtbl[pin].bits & 0xff);
}

/* The MSI entry carrying queue q (or VMM_CONFIG), null until the guest programmed it. */
static json_t *msi_json(const struct vmm *m, int q)
{
	const struct vmm_transport *t = m->opt.profile;
	int idx = t->msi_index(m, q);
	struct msi_vector v;
	if (idx < 0 || !t->msi(m, (unsigned)idx, &v))
		return json_null();
	return json_pack("{s:i,s:i,s:i,s:i,s:I,s:I,s:b}", "index", idx, "gsi",
			 KVM_MSI_GSI_BASE + idx, "vector", v.data & 0xff, "dest_apic_id",
			 msi_dest_apic_id(v.addr), "address", (json_int_t)v.addr, "data",
			 (json_int_t)v.data, "masked", v.masked);
}

static json_t *pin_json(const struct vmm *m)
{
	int pin = m->opt.profile->level_pin;
	return pin < 0
		   ? json_null()
		   : json_pack("{s:i,s:i}", "pin", pin, "vector", ioapic_vector(m, (unsigned)pin));
}

/* The pair a queue belongs to (null for ctrl) and the vCPU that owns it. */
static bool is_ctrl(const struct vmm *m, unsigned q)
{
	return m->opt.queues > 1 && q == 2 * m->opt.queues;
}

static json_t *queue_json(const struct vmm *m, unsigned q)
{
	struct vmm_doorbell db;
	m->opt.profile->doorbell(m, q, &db);
	return json_pack(
	    "{s:s,s:i,s:{s:I,s:i,s:o},s:o,s:o,s:o,s:i}", "queue", virtio_dev_queue_name(m->dev, q),
	    "index", q, "notify", "gpa", (json_int_t)db.gpa, "len", db.len, "datamatch",
	    db.datamatch < 0 ? json_null() : json_integer(db.datamatch), "msi", msi_json(m, (int)q),
	    "ioapic", pin_json(m), "pair", is_ctrl(m, q) ? json_null() : json_integer(q / 2),
	    "owner_vcpu", gabi_queue_owner(q, m->opt.queues, m->opt.vcpus));
}

/* Everything MSI entry idx carries: "config" first if it does, then its queues. */
static json_t *entry_queues(const struct vmm *m, unsigned idx)
{
	json_t *a = json_array();
	if (m->opt.profile->msi_index(m, VMM_CONFIG) == (int)idx)
		json_array_append_new(a, json_string("config"));
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++)
		if (m->opt.profile->msi_index(m, (int)q) == (int)idx)
			json_array_append_new(a, json_string(virtio_dev_queue_name(m->dev, q)));
	return a;
}

/* Name of MSI entry idx: what it carries joined by "+" ("config+rx0+tx0"), else "unused". */
static void entry_name(json_t *queues, char *buf, size_t len)
{
	size_t used = 0, i;
	json_t *q;
	buf[0] = 0;
	json_array_foreach(queues, i, q)
	{
		int n =
		    snprintf(buf + used, len - used, "%s%s", i ? "+" : "", json_string_value(q));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "unused");
}

/* The flat lists of version 1 readers, from the same plan. */
static void add_flat_lists(const struct vmm *m, json_t *root, json_t *queues)
{
	json_t *bells = json_array(), *vecs = json_array(), *gsis = json_array(), *q;
	size_t i;
	json_array_foreach(queues, i, q)
	{
		json_t *n = json_object_get(q, "notify");
		json_array_append_new(bells,
				      json_pack("{s:O,s:O}", "gpa", json_object_get(n, "gpa"),
						"queue", json_object_get(q, "queue")));
	}
	int pin = m->opt.profile->level_pin;
	if (pin >= 0) {
		json_array_append_new(vecs, json_pack("{s:i,s:s}", "vector",
						      ioapic_vector(m, (unsigned)pin), "queue",
						      "legacy"));
		json_array_append_new(gsis, json_pack("{s:i,s:s}", "gsi", pin, "queue", "legacy"));
	}
	for (unsigned idx = 0; pin < 0 && idx < m->n_msi_fds; idx++) {
		struct msi_vector v;
		if (!m->opt.profile->msi(m, idx, &v))
			continue;
		json_t *carried = entry_queues(m, idx);
		char name[512];
		entry_name(carried, name, sizeof(name));
		json_array_append_new(vecs,
				      json_pack("{s:i,s:i,s:s,s:o,s:i}", "vector", v.data & 0xff,
						"index", idx, "queue", name, "queues", carried,
						"dest_apic_id", msi_dest_apic_id(v.addr)));
		json_array_append_new(
		    gsis, json_pack("{s:i,s:s}", "gsi", KVM_MSI_GSI_BASE + idx, "queue", name));
	}
	json_object_set_new(root, "doorbells", bells);
	json_object_set_new(root, "vectors", vecs);
	json_object_set_new(root, "gsis", gsis);
}

/* vCPUs (index = APIC ID, and the thread that runs it), pairs and the IPI vector. */
static void add_smp(const struct vmm *m, json_t *root)
{
	json_t *vcpus = json_array();
	for (int i = 0; i < m->vm.nvcpus; i++)
		json_array_append_new(
		    vcpus,
		    json_pack("{s:i,s:i,s:o}", "index", i, "apic_id", i, "tid",
			      m->vm.vcpu[i].tid ? json_integer(m->vm.vcpu[i].tid) : json_null()));
	json_object_set_new(root, "vcpus", vcpus);
	json_object_set_new(root, "queue_pairs", json_integer(m->opt.queues));
	/* the micro-guest forwards other pairs' work from the one pin by IPI */
	bool ipis = m->mb && m->opt.profile->level_pin >= 0 && m->opt.vcpus > 1;
	json_object_set_new(root, "ipi_vector", ipis ? json_integer(GABI_VEC_IPI) : json_null());
}

static json_t *layout_json(const struct vmm *m)
{
	const struct vmm_transport *t = m->opt.profile;
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("irqpath-layout/1"));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "profile", json_string(t->name));
	json_object_set_new(root, "window",
			    json_pack("{s:I,s:I}", "gpa", (json_int_t)t->window_gpa, "size",
				      (json_int_t)t->window_size));
	json_t *regs = json_array();
	t->layout_registers(m, regs);
	json_object_set_new(root, "registers", regs);
	json_object_set_new(root, "ioapic_pin",
			    t->level_pin >= 0 ? json_integer(t->level_pin) : json_null());
	json_t *queues = json_array();
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++)
		json_array_append_new(queues, queue_json(m, q));
	json_object_set_new(root, "queues", queues);
	json_object_set_new(root, "config", json_pack("{s:o}", "msi", msi_json(m, VMM_CONFIG)));
	add_flat_lists(m, root, queues);
	add_smp(m, root);
	return root;
}

/* Writes j to the layout file; on failure the run fails (a tracer would decode nothing). */
static int write_file(struct vmm *m, json_t *j)
{
	int rc = irqpath_write_json(m->opt.layout, j, JSON_INDENT(2) | JSON_SORT_KEYS, NULL);
	if (rc) {
		fprintf(stderr, "irqpath-vmm: cannot write layout %s: %s\n", m->opt.layout,
			strerror(errno));
		m->layout_failed = true;
	}
	m->layout_writes++;
	return rc;
}

/*
 * The DRIVER_OK writer: the file is written (with fsync) away from the
 * vCPU thread and the device lock, so a guest toggling DRIVER_OK costs the
 * host at most VMM_LAYOUT_MAX_REWRITES writes, not one per toggle.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, pending, stop;
	uint64_t requests, skipped;
	unsigned rewrites;
	char *last; /* the last content written */
} w = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* One rewrite: the layout as the device is now, if it changed. */
static void rewrite(struct vmm *m)
{
	pthread_mutex_lock(&m->dev->lock);
	json_t *j = layout_json(m);
	pthread_mutex_unlock(&m->dev->lock);
	char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	if (text && w.last && !strcmp(text, w.last)) {
		w.skipped++; /* the same routes again: nothing new for a tracer */
		free(text);
	} else if (w.rewrites >= VMM_LAYOUT_MAX_REWRITES) {
		w.skipped++; /* the file at exit will still say how it ended */
		free(text);
	} else {
		w.rewrites++;
		if (!write_file(m, j)) {
			free(w.last);
			w.last = text;
		} else {
			free(text);
		}
	}
	json_decref(j);
}

static void *writer_main(void *arg)
{
	struct vmm *m = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the vCPU thread */
	pthread_mutex_lock(&w.mu);
	for (;;) {
		while (!w.pending && !w.stop)
			pthread_cond_wait(&w.cv, &w.mu);
		if (w.stop)
			break;
		w.pending = false;
		pthread_mutex_unlock(&w.mu);
		rewrite(m);
		pthread_mutex_lock(&w.mu);
	}
	pthread_mutex_unlock(&w.mu);
	return NULL;
}

void vmm_layout_request(void *vmm)
{
	struct vmm *m = vmm;
	if (!m->opt.layout)
		return;
	pthread_mutex_lock(&w.mu);
	w.requests++;
	if (!w.started && !w.stop) {
		w.started = !pthread_create(&w.thread, NULL, writer_main, m);
		if (!w.started)
			fprintf(stderr, "irqpath-vmm: cannot start the layout writer; the layout "
					"is written at exit only\n");
	}
	w.pending = true;
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.mu);
}

void vmm_layout_stop(struct vmm *m)
{
	(void)m;
	pthread_mutex_lock(&w.mu);
	w.stop = true;
	bool join = w.started;
	w.started = false;
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.mu);
	if (join)
		pthread_join(w.thread, NULL);
	free(w.last);
	w.last = NULL;
}

void vmm_layout_counts(uint64_t *requests, uint64_t *skipped)
{
	pthread_mutex_lock(&w.mu);
	*requests = w.requests;
	*skipped = w.skipped;
	pthread_mutex_unlock(&w.mu);
}

/* At exit: the writer is stopped first, then the final layout is written. */
int vmm_write_layout(struct vmm *m)
{
	if (!m->opt.layout)
		return 0;
	vmm_layout_stop(m);
	json_t *j = layout_json(m);
	int rc = write_file(m, j);
	json_decref(j);
	return rc;
}
