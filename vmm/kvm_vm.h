/* SPDX-License-Identifier: MIT */
/*
 * The KVM side of irqpath-vmm: a VM with the full in-kernel irqchip
 * (LAPIC + IOAPIC + PIC), guest RAM from gpa 0, vCPUs with x2APIC in
 * CPUID, and the eventfd plumbing (irqfd, resamplefd, ioeventfd, MSI
 * routes) that keeps the interrupt path in the kernel.
 */
#ifndef IRQPATH_VMM_KVM_VM_H
#define IRQPATH_VMM_KVM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include "cpuid_table.h"
#include "guest_mem.h"

#define KVM_MAX_VCPUS 64
#define KVM_IOAPIC_PINS 24
#define KVM_MSI_GSI_BASE 24 /* GSIs from here carry MSI routes */
#define KVM_MSI_ROUTES 64

struct kvm_vcpu {
	int fd;
	int id;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	int tid; /* the thread's kernel TID, once it runs */
};

struct kvm_vm {
	int kvm_fd, vm_fd;
	struct guest_mem mem;
	size_t run_size;
	int nvcpus;
	struct kvm_vcpu vcpu[KVM_MAX_VCPUS];
	pthread_mutex_t route_lock;
	struct kvm_irq_routing_msi msi[KVM_MSI_ROUTES];
	bool msi_used[KVM_MSI_ROUTES];
	struct cpuid_summary cpuid; /* what vCPU 0's CPUID table offers */
	bool pit;		    /* KVM_CREATE_PIT2 done */
};

/* Error classes so main() can map them to exit codes. */
enum kvm_err { KVM_OK = 0, KVM_ERR_UNAVAILABLE = -3, KVM_ERR_FAILED = -1 };

int kvm_vm_create(struct kvm_vm *vm, uint64_t ram_bytes, char *err, size_t errlen);
int kvm_vcpu_create(struct kvm_vm *vm, int id, char *err, size_t errlen);
void kvm_vm_destroy(struct kvm_vm *vm);

/* The in-kernel i8254 PIT (ISA IRQ 0 on GSI 0, speaker port 0x61 in KVM). */
int kvm_create_pit(struct kvm_vm *vm, char *err, size_t errlen);
/* Sets an ISA/IOAPIC line from user space (KVM_IRQ_LINE). */
int kvm_irq_line(struct kvm_vm *vm, unsigned irq, bool level);
/* irqfd on gsi; resample_fd >= 0 makes it a level line with resample. */
int kvm_irqfd(struct kvm_vm *vm, unsigned gsi, int fd, int resample_fd);
/* ioeventfd on an MMIO (or PIO) address; datamatch < 0 matches any value. */
int kvm_ioeventfd(struct kvm_vm *vm, uint64_t addr, unsigned len, int fd, long long datamatch,
		  bool pio);
/* Route GSI KVM_MSI_GSI_BASE + idx to an MSI address/data; keeps the pins. */
int kvm_set_msi_route(struct kvm_vm *vm, unsigned idx, uint64_t addr, uint32_t data);
/* TSC frequency the guest sees, in kHz (0 if unknown). */
unsigned long kvm_tsc_khz(struct kvm_vm *vm);
/* Prints registers of a vCPU to stderr (after a fatal exit). */
void kvm_vcpu_dump(struct kvm_vcpu *v, const char *why);

#endif
