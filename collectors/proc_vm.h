/* SPDX-License-Identifier: MIT */
/* Whether a process holds a KVM VM: a file descriptor on anon_inode:kvm-vm
 * in /proc/PID/fd (what KVM_CREATE_VM returns). */
#ifndef IRQPATH_PROC_VM_H
#define IRQPATH_PROC_VM_H

#include <stddef.h>

enum proc_vm {
	PROC_VM_YES,
	PROC_VM_NO,	 /* the process exists and holds no VM */
	PROC_VM_GONE,	 /* no such process (or a zombie) */
	PROC_VM_UNKNOWN, /* its fds cannot be read (permissions) */
};

enum proc_vm proc_vm_state(int pid);
/* The process's name (/proc/PID/comm), "?" when unknown. */
const char *proc_comm(int pid, char *buf, size_t len);

#endif
