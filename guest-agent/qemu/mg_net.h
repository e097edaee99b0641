/* SPDX-License-Identifier: MIT */
/*
 * The RR peer for QEMU's virtio-net: a private network namespace holding a
 * tap device, with irqpath-reflect answering on the tap's host side. QEMU
 * is started inside the namespace (setns) and opens the tap by name.
 */
#ifndef IRQPATH_MG_NET_H
#define IRQPATH_MG_NET_H

#include <sys/types.h>

struct mg_net {
	char netns[32]; /* irqpath-mg<pid> */
	char tap[16];	/* mgtap<pid> */
	int created;	/* the namespace exists: remove it */
	int netns_fd;	/* open on /run/netns/<netns>, -1 if none */
	pid_t reflect_pid;
	int reflect_out; /* its stdout: the number of frames it answered */
};

void mg_net_init(struct mg_net *n);
/* Creates the namespace and tap, starts reflect_bin on it; 0 or -1 (message printed). */
int mg_net_up(struct mg_net *n, const char *reflect_bin, unsigned resp);
/* Stops the reflector (returns the frames it answered, or -1) and removes
 * the namespace, the tap with it. Safe to call at any stage, and twice. */
long long mg_net_down(struct mg_net *n);

#endif
