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
#define LAYOUT_MAX_DOORBELLS 16
#define LAYOUT_MAX_VECTORS 64
#define LAYOUT_NAME 32

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
		char queue[LAYOUT_NAME];
	} vectors[LAYOUT_MAX_VECTORS];
	int nvectors;
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
/* 1 when writes to gpa name their queue by value: the QueueNotify register,
 * or a doorbell address several queues share. */
int layout_notify_by_value(const struct layout *l, uint64_t gpa);
/* Queue written to such a gpa with value idx (doorbell order, else rx/tx/qN). */
const char *layout_value_queue(const struct layout *l, uint64_t gpa, unsigned idx, char *buf,
			       size_t len);
/* Queue name for a queue index. */
const char *layout_queue_index_name(unsigned idx, char *buf, size_t len);

#endif
