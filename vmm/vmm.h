/* SPDX-License-Identifier: MIT */
/* irqpath-vmm: the machine, its device and the threads that run it. */
#ifndef IRQPATH_VMM_VMM_H
#define IRQPATH_VMM_VMM_H

#include <signal.h>
#include <stdio.h>
#include "irqpath/guest_abi.h"
#include "guest_console.h"
#include "guest_text.h"
#include "kvm_vm.h"
#include "uart16550.h"
#include "virtio_net.h"
#include "vmm_options.h"
#include "vmm_transport.h"

typedef void (*bus_access_fn)(void *opaque, uint64_t off, bool is_write, uint8_t *data,
			      unsigned len);

struct bus_region {
	uint64_t base, size;
	bus_access_fn access;
	void *opaque;
	const char *name;
};

#define VMM_MAX_REGIONS 4

enum vmm_stop {
	STOP_NONE = 0,
	STOP_GUEST_EXIT,
	STOP_TIMEOUT,
	STOP_SIGNAL,
	STOP_FATAL,
	STOP_DURATION, /* --duration ran out (Linux guests) */
};

struct vmm_exit_counts {
	uint64_t total, io, mmio, hlt, shutdown, internal, other;
	uint64_t mmio_unclaimed, io_unclaimed, serial_bytes;
};

struct vmm {
	struct vmm_options opt;
	struct kvm_vm vm;
	struct gabi_mailbox *mb;
	struct virtio_net *net;
	struct virtio_dev *dev;
	void *tstate; /* the register file of opt.profile, owned by its wiring file */

	struct bus_region mmio_regions[VMM_MAX_REGIONS];
	unsigned n_mmio_regions;
	struct bus_region pio_regions[VMM_MAX_REGIONS];
	unsigned n_pio_regions;

	/* eventfds */
	int notify_fd[VIRTIO_MAX_QUEUES];
	int pin_fd, resample_fd;
	int msi_fd[MSI_MAX_VECTORS];
	unsigned n_msi_fds;
	int stop_fd;
	uint64_t pin_triggers, msi_triggers[MSI_MAX_VECTORS];

	pthread_t io_thread;
	bool io_running;
	FILE *console;
	struct gtext_stream console_out; /* what the guest printed, escaped, bounded */
	struct uart16550 uart;		 /* COM1, ISA IRQ 4 */
	struct guest_console gcon;	 /* a Linux guest's console lines */
	const char *end_reason;		 /* how a Linux guest's run ended */
	uint64_t layout_writes;
	bool layout_failed;

	volatile sig_atomic_t stop;
	uint32_t guest_exit_status;
	struct vmm_exit_counts exits;			  /* all vCPUs (summed when they stop) */
	struct vmm_exit_counts vcpu_exits[KVM_MAX_VCPUS]; /* each vCPU thread's own */
	pthread_mutex_t serial_lock;			  /* COM1 is shared by the vCPUs */
	pthread_barrier_t vcpu_start;			  /* every TID known before KVM_RUN */
	pthread_mutex_t exit_lock;
	pthread_cond_t exit_cv;
	int vcpus_exited; /* vCPU threads out of their loop */
	double t_start, t_end;
};

/* vmm_devices.c: the device, its transport (opt.profile) and the eventfds. */
int vmm_setup_device(struct vmm *m, char *err, size_t errlen);
void vmm_teardown_device(struct vmm *m);
/* Helpers for the transports' set-up: */
int vmm_new_eventfd(int *fd, char *err, size_t errlen);
/* One irqfd per MSI vector, on GSI KVM_MSI_GSI_BASE + idx. */
int vmm_setup_msi_fds(struct vmm *m, unsigned n, char *err, size_t errlen);
/* The level pin as an irqfd on GSI pin; with resample, KVM lowers it on EOI. */
int vmm_setup_pin(struct vmm *m, unsigned pin, bool resample, char *err, size_t errlen);
void vmm_add_region(struct vmm *m, bool pio, struct bus_region r);

/*
 * vmm_layout.c: irqpath-layout/1 for tracers. At DRIVER_OK the device calls
 * vmm_layout_request (lock held, vCPU thread): the file is written by a
 * writer thread, coalesced, only when its content changed, at most
 * VMM_LAYOUT_MAX_REWRITES times a run. vmm_write_layout writes it at exit
 * (after stopping the writer); vmm_layout_stop ends the writer.
 */
#define VMM_LAYOUT_MAX_REWRITES 16
void vmm_layout_request(void *vmm);
int vmm_write_layout(struct vmm *m);
void vmm_layout_stop(struct vmm *m);
/* For the results: DRIVER_OK requests, and rewrites left out (same content, or over the cap). */
void vmm_layout_counts(uint64_t *requests, uint64_t *skipped);

/* vmm_run.c */
int vmm_start_io_thread(struct vmm *m, char *err, size_t errlen);
void vmm_stop_io_thread(struct vmm *m);
/*
 * Runs every vCPU on its own thread ("vcpu<i>") until the guest exits, a
 * timeout, a signal or a fault; any of them stops all.
 */
enum vmm_stop vmm_run_vcpus(struct vmm *m);
/* Ends the run: sets why (if none yet) and kicks every vCPU out of KVM_RUN. */
void vmm_stop_all(struct vmm *m, enum vmm_stop why);
/* Joins the vCPU threads: after vmm_stop_io_thread (the I/O thread kicks them). */
void vmm_join_vcpus(struct vmm *m);
void vmm_install_signals(struct vmm *m);

/* vmm_linux.c: load a bzImage (--kernel) with the Linux boot protocol. */
int vmm_load_linux(struct vmm *m, char *err, size_t errlen);
/* vmm_linux.c: a Linux guest's verdict (exit code, status) and its results. */
const char *vmm_linux_status(struct vmm *m, enum vmm_stop why, int *code);
void vmm_linux_report(struct vmm *m, json_t *root);
/* vmm_run.c: COM1 on the vCPU thread's port exits. */
void vmm_serial_init(struct vmm *m);

/* vmm_report.c */
int vmm_write_json(struct vmm *m, const char *path, const char *status);
/* How many guest-reported counts cannot be true (guest_results.h); problems may be NULL. */
unsigned vmm_guest_check(struct vmm *m, json_t *problems);
void vmm_print_summary(struct vmm *m, FILE *f);

double vmm_now(void);

#endif
