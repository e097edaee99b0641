// SPDX-License-Identifier: MIT
/*
 * Builds the profile's device: virtio-net on the chosen backend, the
 * transport's register file (opt.profile->setup), and the eventfds that
 * keep doorbells and interrupts inside KVM: an ioeventfd per doorbell, an
 * irqfd per MSI vector whose route follows what the guest programs, an
 * irqfd (with resample for a level interrupt) on the transport's pin.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "vmm.h"

static const uint8_t guest_mac[6] = {0x02, 0x69, 0x72, 0x71, 0x00, 0x01};

static void signal_fd(int fd, uint64_t *count)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) == sizeof(one))
		(*count)++;
}

/* ---- the irq_sink every register file raises interrupts through ---- */

static void sink_raise_pin(void *opaque)
{
	struct vmm *m = opaque;
	signal_fd(m->pin_fd, &m->pin_triggers);
}

/* The guest programmed MSI entry idx: route its GSI to that address/data. */
static int sink_msi_program(void *opaque, unsigned idx, uint64_t addr, uint32_t data)
{
	struct vmm *m = opaque;
	if (idx >= m->n_msi_fds)
		return -1;
	return kvm_set_msi_route(&m->vm, idx, addr, data);
}

static void sink_msi_fire(void *opaque, unsigned idx)
{
	struct vmm *m = opaque;
	if (idx < m->n_msi_fds)
		signal_fd(m->msi_fd[idx], &m->msi_triggers[idx]);
}

/* ---- helpers for the transports' set-up ---- */

int vmm_new_eventfd(int *fd, char *err, size_t errlen)
{
	*fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (*fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vmm_setup_msi_fds(struct vmm *m, unsigned n, char *err, size_t errlen)
{
	m->n_msi_fds = n;
	for (unsigned i = 0; i < n; i++) {
		if (vmm_new_eventfd(&m->msi_fd[i], err, errlen))
			return -1;
		if (kvm_irqfd(&m->vm, KVM_MSI_GSI_BASE + i, m->msi_fd[i], -1)) {
			snprintf(err, errlen, "KVM_IRQFD for MSI vector %u: %s", i,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

int vmm_setup_pin(struct vmm *m, unsigned pin, bool resample, char *err, size_t errlen)
{
	if (vmm_new_eventfd(&m->pin_fd, err, errlen) ||
	    (resample && vmm_new_eventfd(&m->resample_fd, err, errlen)))
		return -1;
	if (kvm_irqfd(&m->vm, pin, m->pin_fd, resample ? m->resample_fd : -1)) {
		snprintf(err, errlen, "KVM_IRQFD%s on GSI %u: %s", resample ? " with resample" : "",
			 pin, strerror(errno));
		return -1;
	}
	return 0;
}

void vmm_add_region(struct vmm *m, bool pio, struct bus_region r)
{
	if (pio && m->n_pio_regions < VMM_MAX_REGIONS)
		m->pio_regions[m->n_pio_regions++] = r;
	else if (!pio && m->n_mmio_regions < VMM_MAX_REGIONS)
		m->mmio_regions[m->n_mmio_regions++] = r;
}

/* Doorbells as ioeventfds: a guest notify never exits to user space. */
static int setup_doorbells(struct vmm *m, char *err, size_t errlen)
{
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++) {
		struct vmm_doorbell db;
		m->opt.profile->doorbell(m, q, &db);
		if (vmm_new_eventfd(&m->notify_fd[q], err, errlen))
			return -1;
		if (kvm_ioeventfd(&m->vm, db.gpa, db.len, m->notify_fd[q], db.datamatch, false)) {
			snprintf(err, errlen, "KVM_IOEVENTFD at %#llx: %s",
				 (unsigned long long)db.gpa, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int create_net(struct vmm *m, char *err, size_t errlen)
{
	struct net_backend *be;
	if (!strcmp(m->opt.backend, "tap"))
		be = net_tap_create(m->opt.tap, m->opt.queues, err, errlen);
	else
		be = net_reflect_create(m->opt.resp);
	if (!be)
		return -1;
	m->net = virtio_net_create(&m->vm.mem, be, guest_mac, m->opt.queues);
	if (!m->net) {
		be->destroy(be);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->dev = virtio_net_dev(m->net);
	return 0;
}

int vmm_setup_device(struct vmm *m, char *err, size_t errlen)
{
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		m->notify_fd[q] = -1;
	m->pin_fd = m->resample_fd = -1;
	if (vmm_new_eventfd(&m->stop_fd, err, errlen) || create_net(m, err, errlen))
		return -1;
	struct irq_sink sink = {sink_raise_pin, sink_msi_program, sink_msi_fire, m};
	if (m->opt.profile->setup(m, &sink, err, errlen))
		return -1;
	/* Every transport: the layout is rewritten when the driver sets DRIVER_OK. */
	m->dev->on_driver_ok = vmm_layout_request;
	m->dev->on_driver_ok_opaque = m;
	return m->opt.notify_exit ? 0 : setup_doorbells(m, err, errlen);
}

void vmm_teardown_device(struct vmm *m)
{
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if (m->notify_fd[q] >= 0)
			close(m->notify_fd[q]);
	for (unsigned i = 0; i < m->n_msi_fds; i++)
		close(m->msi_fd[i]);
	if (m->pin_fd >= 0)
		close(m->pin_fd);
	if (m->resample_fd >= 0)
		close(m->resample_fd);
	if (m->stop_fd >= 0)
		close(m->stop_fd);
	vmm_layout_stop(m);
	m->opt.profile->teardown(m);
	virtio_net_destroy(m->net);
	m->net = NULL;
}
