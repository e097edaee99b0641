/* SPDX-License-Identifier: MIT */
/* What the net driver needs from a virtio transport (mmio or pci). */
#ifndef MICROGUEST_TRANSPORT_H
#define MICROGUEST_TRANSPORT_H

#include "virtq.h"

#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_CTRL_VQ (1ull << 17)
#define VIRTIO_NET_F_MQ (1ull << 22)

struct transport {
	const char *name;
	/* Finds the device; 0 on success, else a reason in *why. */
	int (*probe)(const char **why);
	u8 (*get_status)(void);
	void (*set_status)(u8 s);
	u64 (*get_features)(void);
	void (*set_features)(u64 f);
	/* Programs queue q->index and computes its doorbell. */
	int (*setup_queue)(struct gvq *q);
	/* Interrupt setup for all queues (legacy pin, MSI or MSI-X). */
	int (*setup_irqs)(struct gvq *qs, unsigned n);
	u8 (*config_read8)(unsigned off);
};

extern const struct transport mmio_transport;
extern const struct transport pci_transport;

/* The queues, shared with interrupt handlers. */
extern struct gvq vqs[GABI_MAX_QUEUES];
/* Runs the vq callbacks for queue q in interrupt context. */
void net_vq_callback(unsigned q);
/*
 * An interrupt named queue q: if it has used buffers, run its callback
 * here when this vCPU owns it, else wake the owner with an IPI. True when
 * q had work.
 */
bool net_queue_event(unsigned q);
/* MSI entries in use and the vCPU each targets (the plan of guest_abi.h). */
unsigned msi_dest(unsigned entry, unsigned entries);
/* ctrl.c: VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET on the control queue; 0 on ack. */
int net_ctrl_set_pairs(unsigned pairs);
void net_config_changed(void);

#endif
