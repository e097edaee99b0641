/* SPDX-License-Identifier: MIT */
#include "vcpu_attr.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vcpu_from_comm(const char *comm)
{
	char *end;
	const char *num = NULL;
	if (!strncmp(comm, "vcpu", 4))
		num = comm + 4;
	else if (!strncmp(comm, "CPU ", 4))
		num = comm + 4;
	if (!num || *num < '0' || *num > '9')
		return -1;
	long v = strtol(num, &end, 10);
	if (v > 0xffff)
		return -1;
	/* irqpath-vmm: "vcpu<i>" exactly; QEMU: "CPU <i>/KVM" */
	if (comm[0] == 'v' ? *end != 0 && *end != '\n' : strncmp(end, "/KVM", 4))
		return -1;
	return (int)v;
}

int attr_thread_vcpu(const struct tracer *t, const struct layout *l, uint32_t pid, uint32_t tid)
{
	int v = layout_tid_vcpu(l, pid, tid);
	if (v == LAYOUT_NOT_VCPU)
		return -1; /* the layout's list of vCPU threads is the whole list */
	return v >= 0 ? v : tracer_vcpu_of(t, tid);
}

/* An APIC id as a vCPU; broadcast ids are nobody in particular. */
static int apic_vcpu(const struct layout *l, uint64_t id)
{
	if (id == 0xffffffffu)
		return ATTR_ALL;
	return layout_apic_vcpu(l, (uint32_t)id);
}

static int thread_attr(const struct irqt_key *k, const struct tracer *t, const struct layout *l,
		       int metric, struct attr *a)
{
	if (k->ctx != IRQT_CTX_THREAD)
		return 0;
	a->vcpu = attr_thread_vcpu(t, l, k->pid, k->tid);
	a->tid = a->vcpu < 0 ? k->tid : 0;
	a->metric = metric;
	return 1;
}

int attr_key(const struct irqt_key *k, const struct tracer *t, const struct layout *l,
	     struct attr out[2])
{
	memset(out, 0, 2 * sizeof *out);
	switch (k->event) {
	case IRQT_EV_MSI:
	case IRQT_EV_APIC_ACCEPT:
	case IRQT_EV_EOI: /* extra: the destination / accepting / EOIing APIC id */
		out[0].vcpu = apic_vcpu(l, k->extra);
		out[0].metric = ATTR_TAKEN;
		return 1;
	case IRQT_EV_APIC_IPI: {
		int n = thread_attr(k, t, l, ATTR_IPI_SENT, &out[0]);
		unsigned sh = IRQT_ICR_SHORTHAND(k->extra);
		struct attr *r = &out[n];
		r->metric = ATTR_IPI_RECEIVED;
		if (sh == 1) { /* self */
			r->vcpu = n ? out[0].vcpu : ATTR_UNKNOWN;
			r->tid = n ? out[0].tid : 0;
		} else if (sh)
			r->vcpu = ATTR_ALL;
		else if (IRQT_ICR_LOGICAL(k->extra))
			r->vcpu = ATTR_UNKNOWN;
		else
			r->vcpu = apic_vcpu(l, k->detail);
		return n + 1;
	}
	default:
		return thread_attr(k, t, l, ATTR_THREAD, &out[0]);
	}
}

/* Learns tid's vCPU from its name; 1 when it names one. */
static int learn_one(struct tracer *t, uint32_t pid, uint32_t tid)
{
	char path[64], comm[64];
	snprintf(path, sizeof path, "/proc/%u/task/%u/comm", pid, tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int v = fgets(comm, sizeof comm, f) ? vcpu_from_comm(comm) : -1;
	fclose(f);
	if (v >= 0)
		tracer_set_vcpu(t, tid, (uint32_t)v);
	return v >= 0;
}

void vcpu_learn_tasks(struct tracer *t, const struct layout *l, uint32_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%u/task", pid);
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		uint32_t tid = (uint32_t)strtoul(e->d_name, NULL, 10);
		if (tid && attr_thread_vcpu(t, l, pid, tid) < 0)
			learn_one(t, pid, tid);
	}
	closedir(d);
}

void vcpu_learn_comm(struct tracer *t, const struct layout *l, const struct counts *c)
{
	uint32_t tried[256];
	size_t ntried = 0;
	counts_for_each(c, e)
	{
		const struct irqt_key *k = &e->key;
		if (k->ctx != IRQT_CTX_THREAD || !k->tid ||
		    attr_thread_vcpu(t, l, k->pid, k->tid) >= 0)
			continue;
		size_t i;
		for (i = 0; i < ntried && tried[i] != k->tid; i++)
			;
		if (i < ntried) /* one look-up per thread and call */
			continue;
		if (ntried < sizeof tried / sizeof *tried)
			tried[ntried++] = k->tid;
		learn_one(t, k->pid, k->tid);
	}
}
