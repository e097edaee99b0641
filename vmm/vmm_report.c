// SPDX-License-Identifier: MIT
/* Results of a run: irqpath-vmm/1 JSON and the human summary. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "guest_results.h"
#include "irqpath/atomic_json.h"
#include "vmm.h"

struct latency {
	double p50, p90, p99, mean;
	uint64_t n;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Percentiles of the guest's per-transaction TSC deltas, in microseconds. */
static struct latency guest_latency(struct vmm *m)
{
	struct latency l = {0};
	unsigned long khz = kvm_tsc_khz(&m->vm);
	if (!m->mb)
		return l;
	uint64_t n = m->mb->latency_count;
	if (n > GABI_LATENCY_MAX)
		n = GABI_LATENCY_MAX;
	const uint32_t *ring = gm_ptr(&m->vm.mem, GABI_LATENCY_GPA, n * 4);
	if (!n || !khz || !ring)
		return l;
	uint32_t *v = malloc(n * 4);
	if (!v)
		return l;
	memcpy(v, ring, n * 4);
	qsort(v, n, 4, cmp_u32);
	double us = 1000.0 / (double)khz, sum = 0;
	for (uint64_t i = 0; i < n; i++)
		sum += v[i];
	l.n = n;
	l.mean = sum / (double)n * us;
	l.p50 = v[(n - 1) * 50 / 100] * us;
	l.p90 = v[(n - 1) * 90 / 100] * us;
	l.p99 = v[(n - 1) * 99 / 100] * us;
	free(v);
	return l;
}

/* The mailbox as it is now, read once. */
static struct gabi_mailbox snapshot(const struct vmm *m)
{
	struct gabi_mailbox mb;
	guest_snapshot(&mb, m->mb);
	return mb;
}

/* The per-vCPU blocks as they are now, read once (NULL for a Linux guest). */
static struct gabi_vcpu *vcpu_snapshot(const struct vmm *m)
{
	unsigned n = m->opt.vcpus;
	const volatile uint8_t *src =
	    m->mb ? gm_ptr(&m->vm.mem, GABI_VCPU_GPA, (size_t)n * GABI_VCPU_STRIDE) : NULL;
	struct gabi_vcpu *vc = src ? calloc(n, sizeof(*vc)) : NULL;
	if (!vc)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *d = (uint8_t *)&vc[i];
		for (size_t b = 0; b < sizeof(*vc); b++)
			d[b] = src[i * GABI_VCPU_STRIDE + b];
	}
	return vc;
}

static json_t *guest_json(struct vmm *m, const struct gabi_mailbox *mb)
{
	const char *names[GABI_MAX_QUEUES];
	unsigned nq =
	    m->dev->ops->num_queues < GABI_MAX_QUEUES ? m->dev->ops->num_queues : GABI_MAX_QUEUES;
	for (unsigned q = 0; q < nq; q++)
		names[q] = virtio_dev_queue_name(m->dev, q);
	json_t *g = guest_results_json(mb, names, nq);
	struct gabi_vcpu *vc = vcpu_snapshot(m);
	if (g && vc)
		json_object_set_new(g, "per_vcpu", guest_per_vcpu_json(vc, m->opt.vcpus));
	free(vc);
	return g;
}

/* Frames each pair's queues carried: tx requests taken, rx responses delivered. */
static uint64_t sum_buffers(const struct vmm *m, unsigned parity)
{
	uint64_t n = 0;
	for (unsigned p = 0; p < m->opt.queues; p++)
		n += m->dev->q[2 * p + parity].buffers;
	return n;
}

unsigned vmm_guest_check(struct vmm *m, json_t *problems)
{
	if (!m->mb)
		return 0;
	struct gabi_mailbox mb = snapshot(m);
	struct guest_seen seen = {m->opt.transactions, sum_buffers(m, VIRTIO_NET_TXQ),
				  sum_buffers(m, VIRTIO_NET_RXQ), m->t_end - m->t_start};
	unsigned bad = guest_counts_check(&mb, &seen, problems);
	struct gabi_vcpu *vc = vcpu_snapshot(m);
	if (!vc)
		return bad;
	uint64_t tx[VIRTIO_MAX_QUEUES], rx[VIRTIO_MAX_QUEUES];
	for (unsigned p = 0; p < m->opt.queues; p++) {
		tx[p] = m->dev->q[2 * p + VIRTIO_NET_TXQ].buffers;
		rx[p] = m->dev->q[2 * p + VIRTIO_NET_RXQ].buffers;
	}
	struct guest_pairs_seen ps = {tx, rx, m->opt.queues};
	bad += guest_vcpu_check(&mb, vc, m->opt.vcpus, &ps, problems);
	free(vc);
	return bad;
}

/* vmm.per_vcpu: each vCPU thread's own exits. */
static json_t *per_vcpu_exits(const struct vmm *m)
{
	json_t *o = json_object();
	for (int i = 0; i < m->vm.nvcpus; i++) {
		const struct vmm_exit_counts *e = &m->vcpu_exits[i];
		char k[16];
		snprintf(k, sizeof(k), "%d", i);
		json_object_set_new(o, k,
				    json_pack("{s:I,s:I,s:I,s:I}", "userspace_exits",
					      (json_int_t)e->total, "mmio", (json_int_t)e->mmio,
					      "io", (json_int_t)e->io, "hlt", (json_int_t)e->hlt));
	}
	return o;
}

static json_t *vmm_json(struct vmm *m)
{
	struct virtio_dev *d = m->dev;
	const struct vmm_exit_counts *e = &m->exits;
	json_t *o = json_pack(
	    "{s:I,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:I,s:I,s:I,s:I,s:b,s:o}", "userspace_exits",
	    (json_int_t)e->total, "exits", "mmio", (json_int_t)e->mmio, "io", (json_int_t)e->io,
	    "hlt", (json_int_t)e->hlt, "shutdown", (json_int_t)e->shutdown, "internal_error",
	    (json_int_t)e->internal, "other", (json_int_t)e->other, "config_interrupts",
	    (json_int_t)d->config_interrupts, "frames_reflected",
	    (json_int_t)virtio_net_backend(m->net)->frames_in, "device_errors",
	    (json_int_t)d->errors, "rx_dropped", (json_int_t)virtio_net_rx_dropped(m->net),
	    "needs_reset", (d->status & VIRTIO_STATUS_NEEDS_RESET) != 0, "last_error",
	    d->errors ? json_string(d->last_error) : json_null());
	json_t *qs = json_object();
	for (unsigned q = 0; q < d->ops->num_queues; q++)
		json_object_set_new(qs, virtio_dev_queue_name(d, q),
				    json_pack("{s:I,s:I,s:I}", "notifies",
					      (json_int_t)d->q[q].notifies, "interrupts",
					      (json_int_t)d->q[q].interrupts, "buffers",
					      (json_int_t)d->q[q].buffers));
	json_object_set_new(o, "queues", qs);
	json_object_set_new(o, "unclaimed",
			    json_pack("{s:I,s:I}", "mmio", (json_int_t)e->mmio_unclaimed, "io",
				      (json_int_t)e->io_unclaimed));
	uint64_t lreq, lskip;
	vmm_layout_counts(&lreq, &lskip);
	json_object_set_new(o, "layout",
			    json_pack("{s:I,s:I,s:I}", "driver_ok_requests", (json_int_t)lreq,
				      "writes", (json_int_t)m->layout_writes, "skipped",
				      (json_int_t)lskip));
	json_object_set_new(o, "serial_bytes", json_integer((json_int_t)e->serial_bytes));
	json_object_set_new(o, "console",
			    json_pack("{s:I,s:I,s:I}", "written",
				      (json_int_t)m->console_out.written, "dropped",
				      (json_int_t)m->console_out.dropped, "budget",
				      (json_int_t)m->opt.console_budget));
	json_object_set_new(o, "frames_out",
			    json_integer((json_int_t)virtio_net_backend(m->net)->frames_out));
	json_object_set_new(o, "per_vcpu", per_vcpu_exits(m));
	if (m->opt.queues > 1) {
		const struct net_ctrl *c = virtio_net_ctrl(m->net);
		json_object_set_new(o, "ctrl",
				    json_pack("{s:i,s:I,s:I}", "queue_pairs_set", c->curr_pairs,
					      "acked", (json_int_t)c->ok, "refused",
					      (json_int_t)c->err));
	}
	m->opt.profile->report(m, o); /* the register file's counters */
	return o;
}

int vmm_write_json(struct vmm *m, const char *path, const char *status)
{
	/* One reading of the mailbox for the whole file; a Linux guest has none. */
	struct gabi_mailbox mbs;
	const struct gabi_mailbox *mb = NULL;
	if (m->mb) {
		mbs = snapshot(m);
		mb = &mbs;
	}
	uint64_t done = mb ? mb->done : 0;
	double elapsed = m->t_end - m->t_start;
	struct latency l = guest_latency(m);
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("irqpath-vmm/1"));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "profile", json_string(vmm_profile_name(m->opt.profile)));
	json_object_set_new(root, "backend", json_string(m->opt.backend));
	/* LAPIC, IOAPIC and PIC all emulated by KVM (KVM_CREATE_IRQCHIP). */
	json_object_set_new(root, "irqchip", json_string("in-kernel"));
	json_object_set_new(root, "notify", json_string(m->opt.notify_exit ? "exit" : "ioeventfd"));
	json_object_set_new(root, "hostile", json_string(vmm_hostile_name(m->opt.hostile)));
	json_object_set_new(root, "vcpus", json_integer(m->opt.vcpus));
	json_object_set_new(root, "queue_pairs", json_integer(m->opt.queues));
	json_object_set_new(root, "msi_vectors_requested",
			    m->opt.msi_vectors_given ? json_integer(m->opt.msi_vectors)
						     : json_null());
	json_object_set_new(root, "workload",
			    json_pack("{s:i,s:i,s:I,s:f}", "req", m->opt.req, "resp", m->opt.resp,
				      "transactions", (json_int_t)m->opt.transactions, "duration_s",
				      m->opt.duration_s));
	json_object_set_new(
	    root, "result",
	    json_pack("{s:s,s:I,s:f,s:f,s:I,s:{s:f,s:f,s:f,s:f,s:I}}", "status", status,
		      "transactions", (json_int_t)done, "elapsed_s", elapsed, "trans_per_s",
		      elapsed > 0 ? (double)done / elapsed : 0.0, "tsc_khz",
		      (json_int_t)kvm_tsc_khz(&m->vm), "latency_us", "p50", l.p50, "p90", l.p90,
		      "p99", l.p99, "mean", l.mean, "samples", (json_int_t)l.n));
	json_object_set_new(root, "guest", mb ? guest_json(m, mb) : json_null());
	json_t *problems = json_array();
	unsigned bad = vmm_guest_check(m, problems);
	json_object_set_new(json_object_get(root, "result"), "guest_counts",
			    json_pack("{s:b,s:I,s:o}", "plausible", !bad, "problems",
				      (json_int_t)bad, "examples", problems));
	if (m->opt.hostile && m->mb)
		/* What the guest saw right after misprogramming the device. */
		json_object_set_new(root, "hostile_result",
				    json_pack("{s:s,s:s,s:i,s:b}", "scenario",
					      vmm_hostile_name(m->opt.hostile), "recorded",
					      GTEXT(mb->error), "device_status", mb->error_code,
					      "needs_reset_seen",
					      (mb->error_code & VIRTIO_STATUS_NEEDS_RESET) != 0));
	pthread_mutex_lock(&m->dev->lock);
	json_object_set_new(root, "vmm", vmm_json(m));
	pthread_mutex_unlock(&m->dev->lock);
	vmm_linux_report(m, root); /* a Linux guest's agent report and verdict */
	int rc = irqpath_write_json(path, root, JSON_INDENT(2) | JSON_SORT_KEYS, NULL);
	json_decref(root);
	if (rc)
		fprintf(stderr, "irqpath-vmm: cannot write %s: %s\n", path, strerror(errno));
	return rc;
}

void vmm_print_summary(struct vmm *m, FILE *f)
{
	const struct gabi_mailbox *mb = m->mb;
	double elapsed = m->t_end - m->t_start;
	if (!mb) {
		fprintf(f,
			"irqpath-vmm: %s, Linux guest, %.3f s, %llu userspace exits, %llu device "
			"errors\n",
			vmm_profile_name(m->opt.profile), elapsed,
			(unsigned long long)m->exits.total, (unsigned long long)m->dev->errors);
		return;
	}
	unsigned bad = vmm_guest_check(m, NULL);
	if (bad)
		fprintf(f,
			"irqpath-vmm: %u guest-reported count(s) cannot be true; see the results' "
			"result.guest_counts\n",
			bad);
	double n = mb->done ? (double)mb->done : 1;
	struct latency l = guest_latency(m);
	fprintf(f, "irqpath-vmm: %s, %s backend, %llu transactions in %.3f s (%.1f trans/s)\n",
		vmm_profile_name(m->opt.profile), m->opt.backend, (unsigned long long)mb->done,
		elapsed, elapsed > 0 ? (double)mb->done / elapsed : 0.0);
	fprintf(f, "  guest latency: p50 %.1f us, p90 %.1f us, p99 %.1f us\n", l.p50, l.p90, l.p99);
	fprintf(f, "  per transaction: %.2f userspace exits (%.2f MMIO, %.2f PIO)\n",
		(double)m->exits.total / n, (double)m->exits.mmio / n, (double)m->exits.io / n);
	fprintf(f,
		"  guest: %llu status reads (%llu returned 0), %llu acks, %llu spurious; "
		"notifies rx %llu tx %llu; interrupts rx %llu tx %llu config %llu\n",
		(unsigned long long)mb->status_reads, (unsigned long long)mb->status_zero,
		(unsigned long long)mb->acks, (unsigned long long)mb->spurious,
		(unsigned long long)mb->q[0].notifies, (unsigned long long)mb->q[1].notifies,
		(unsigned long long)mb->q[0].interrupts, (unsigned long long)mb->q[1].interrupts,
		(unsigned long long)mb->config_interrupts);
	fprintf(
	    f, "  device: notifies rx %llu tx %llu, interrupts rx %llu tx %llu, errors %llu%s\n",
	    (unsigned long long)m->dev->q[0].notifies, (unsigned long long)m->dev->q[1].notifies,
	    (unsigned long long)m->dev->q[0].interrupts,
	    (unsigned long long)m->dev->q[1].interrupts, (unsigned long long)m->dev->errors,
	    (m->dev->status & VIRTIO_STATUS_NEEDS_RESET) ? " (DEVICE_NEEDS_RESET)" : "");
}
