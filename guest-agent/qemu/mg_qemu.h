/* SPDX-License-Identifier: MIT */
/* QEMU for the micro-guest: its command line, and QMP's `cont`. */
#ifndef IRQPATH_MG_QEMU_H
#define IRQPATH_MG_QEMU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "irqpath/guest_abi.h"

enum mg_machine { MG_MICROVM, MG_Q35 };

struct mg_qemu_cfg {
	enum mg_machine machine;
	const char *qemu, *guest, *tap, *console, *qmp_sock, *ram_path;
	const char *irqchip; /* NULL: QEMU's default */
	unsigned long long transactions;
	unsigned req, resp, mem_mib;
};

#define MG_ARGV_MAX 64
/* Fills argv (pointers into store, which must outlive argv). */
void mg_qemu_argv(const struct mg_qemu_cfg *c, char *argv[MG_ARGV_MAX], char *store,
		  size_t store_len);
/* Connects to QMP at path (retrying until deadline_ms from now, or until the
 * qemu process exits) and negotiates capabilities. 0, or -1 with err set.
 * Leaves the connection open in *fd for mg_qmp_cont. */
int mg_qmp_open(const char *path, pid_t qemu, int deadline_ms, int *fd, char *err, size_t errlen);
int mg_qmp_cont(int fd, char *err, size_t errlen);
/* The vCPU's TSC rate as KVM told QEMU (QOM property tsc-frequency), or 0. */
unsigned long mg_qmp_tsc_khz(int fd, char *err, size_t errlen);
/* Checks the device window the guest reports against QEMU's own view
 * (microvm: `info mtree` has a virtio-mmio region there; q35: query-pci
 * lists it as a memory BAR of 1af4:1041). 0, or -1 with err set. */
int mg_qmp_window_check(int fd, enum mg_machine m, uint64_t window, char *err, size_t errlen);
/* The text of a human-monitor command (malloc'd), or NULL with err set. */
char *mg_qmp_hmp(int fd, const char *command, char *err, size_t errlen);
/* The first line of `qemu --version` into buf (empty on failure). */
void mg_qemu_version(const char *qemu, char *buf, size_t len);

#endif
