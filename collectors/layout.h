/* SPDX-License-Identifier: MIT */
/* The device layout used to decode host events: which gpa is which virtio
 * register or doorbell, which MSI vector belongs to which queue, which
 * IOAPIC pin is the legacy line. From --device, --layout or the guest's
 * /proc/interrupts text. */
#ifndef IRQPATH_LAYOUT_H
#define IRQPATH_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define LAYOUT_MAX_REGS 64
#define LAYOUT_MAX_DOORBELLS 160 /* up to 64 queue pairs and the control queue */
#define LAYOUT_MAX_QUEUES 160
#define LAYOUT_MAX_VECTORS 64
#define LAYOUT_MAX_VCPUS 64
#define LAYOUT_NAME 32
#define LAYOUT_JOINED 512 /* a shared vector's name: its queues joined by '+' */

struct layout {
	int have;
	char profile[LAYOUT_NAME];
	int pid; /* from a layout file, 0 if unknown */
	uint64_t window_gpa, window_size;
	struct {
		uint32_t offset;
		char name[LAYOUT_NAME];
	} regs[LAYOUT_MAX_REGS];
	int nregs;
	struct {
		uint64_t gpa;
		char queue[LAYOUT_NAME];
	} doorbells[LAYOUT_MAX_DOORBELLS];
	int ndoorbells;
	uint64_t queue_notify_gpa; /* register whose written value is the queue index; 0 none */
	int ioapic_pin;		   /* -1 none */
	struct {
		uint32_t vector;
		char queue[LAYOUT_JOINED]; /* "rx0", or "config+rx0+tx0" when shared */
		int nqueues;		   /* names joined in queue */
		int dest_apic_id;	   /* -1 unknown */
	} vectors[LAYOUT_MAX_VECTORS];
	int nvectors;
	/* the queue plan: per queue its interrupt and the vCPU owning its pair */
	struct {
		char name[LAYOUT_NAME];
		int vector;	/* guest vector carrying it, -1 none */
		int msi;	/* 1: that vector is an MSI entry (else the IOAPIC pin) */
		int owner_vcpu; /* -1 unknown */
	} queues[LAYOUT_MAX_QUEUES];
	int nqueues;
	struct {
		int index, apic_id;
		uint32_t tid; /* 0 unknown */
	} vcpus[LAYOUT_MAX_VCPUS];
	int nvcpus;
	int ipi_vector; /* -1 none */
};

void layout_init(struct layout *l);
/* "mmio-legacy@0xADDR", "mmio-v3@0xADDR", "pci@0xBAR". 0 ok, -1 bad spec (err filled). */
int layout_from_device(struct layout *l, const char *spec, char *err, size_t errlen);
/* irqpath-layout/1 JSON. 0 ok, -1 error (err filled). */
int layout_from_file(struct layout *l, const char *path, char *err, size_t errlen);
/*
 * The same, for the process the tracer traces: a file whose "pid" is not
 * pid (when pid > 0) describes another VM, e.g. one left by an earlier run,
 * and decoding with it would name the wrong registers. Then l is left as it
 * was and LAYOUT_OTHER_PID is returned (err says which pids).
 */
#define LAYOUT_OTHER_PID (-2)
int layout_from_file_for(struct layout *l, const char *path, int pid, char *err, size_t errlen);
/* Adds vector -> queue names by matching the guest's /proc/interrupts text
 * (per-IRQ totals) against the host's per-vector MSI counts. */
int layout_vectors_from_interrupts(struct layout *l, const char *path,
				   const uint64_t *msi_by_vector, char *err, size_t errlen);

/* NULL when the gpa is outside the window. */
const char *layout_register(const struct layout *l, uint64_t gpa, char *buf, size_t len);
const char *layout_doorbell(const struct layout *l, uint64_t gpa);
const char *layout_vector_queue(const struct layout *l, uint32_t vector);
/* How many names layout_vector_queue joins (0: vector unknown). */
int layout_vector_nqueues(const struct layout *l, uint32_t vector);
/* vCPU index of a thread the layout lists, -1 if none (pid: the VM the
 * thread belongs to; a layout of another pid says nothing), or
 * LAYOUT_NOT_VCPU: the layout lists its VM's vCPU threads and this is none
 * of them (a thread's own kvm_eoi may name a vCPU it injected for). */
#define LAYOUT_NOT_VCPU (-2)
int layout_tid_vcpu(const struct layout *l, uint32_t pid, uint32_t tid);
/* vCPU index of an APIC id (the layout's vcpus, else index == APIC id). */
int layout_apic_vcpu(const struct layout *l, uint32_t apic_id);
/* 1 when writes to gpa name their queue by value: the QueueNotify register,
 * or a doorbell address several queues share. */
int layout_notify_by_value(const struct layout *l, uint64_t gpa);
/* Queue written to such a gpa with value idx (doorbell order, else rx/tx/qN). */
const char *layout_value_queue(const struct layout *l, uint64_t gpa, unsigned idx, char *buf,
			       size_t len);
/* Queue name for a queue index. */
const char *layout_queue_index_name(unsigned idx, char *buf, size_t len);

#endif
