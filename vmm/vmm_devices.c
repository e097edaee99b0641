// SPDX-License-Identifier: MIT
/*
 * Builds the profile's device: virtio-net on the chosen backend, the
 * transport's register window on the MMIO bus, and the eventfds that keep
 * doorbells and interrupts inside KVM (ioeventfd, irqfd + resample, MSI
 * routes).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/atomic_json.h"
#include "transport_pci.h"
#include "vmm.h"

static const uint8_t guest_mac[6] = {0x02, 0x69, 0x72, 0x71, 0x00, 0x01};

static void signal_fd(int fd, uint64_t *count)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) == sizeof(one))
		(*count)++;
}

static void sink_raise_pin(void *opaque)
{
	struct vmm *m = opaque;
	signal_fd(m->pin_fd, &m->pin_triggers);
}

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

static void on_driver_ok(void *opaque)
{
	vmm_write_layout(opaque);
}

static void mmio_bus_access(void *opaque, uint64_t off, bool is_write, uint8_t *data, unsigned len)
{
	mmio_transport_access(opaque, off, is_write, data, len);
}

int vmm_new_eventfd(int *fd, char *err, size_t errlen)
{
	*fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (*fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* One irqfd per MSI vector, on GSI KVM_MSI_GSI_BASE + idx. */
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

static int setup_mmio(struct vmm *m, char *err, size_t errlen)
{
	unsigned version = m->opt.profile == PROFILE_MMIO_V3 ? 3 : 2;
	struct irq_sink sink = {sink_raise_pin, sink_msi_program, sink_msi_fire, m};
	if (mmio_transport_init(&m->mmio, m->dev, version, m->opt.msi_vectors, &sink)) {
		snprintf(err, errlen, "bad virtio-mmio transport settings");
		return -1;
	}
	m->mmio.on_driver_ok = on_driver_ok;
	m->mmio.cb_opaque = m;
	m->mmio_regions[m->n_mmio_regions++] = (struct bus_region){
	    GABI_MMIO_DEV_GPA, GABI_MMIO_DEV_SIZE, mmio_bus_access, &m->mmio, "virtio-mmio"};

	/* The level pin: irqfd with resample, so KVM lowers it on EOI and tells us. */
	if (vmm_new_eventfd(&m->pin_fd, err, errlen) ||
	    vmm_new_eventfd(&m->resample_fd, err, errlen))
		return -1;
	if (kvm_irqfd(&m->vm, GABI_LEGACY_IOAPIC_PIN, m->pin_fd, m->resample_fd)) {
		snprintf(err, errlen, "KVM_IRQFD with resample on GSI %u: %s",
			 GABI_LEGACY_IOAPIC_PIN, strerror(errno));
		return -1;
	}
	if (version == 3 && vmm_setup_msi_fds(m, m->opt.msi_vectors, err, errlen))
		return -1;

	if (m->opt.notify_exit)
		return 0;
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++) {
		if (vmm_new_eventfd(&m->notify_fd[q], err, errlen))
			return -1;
		/* Legacy: QueueNotify with the queue index as data. v3: the queue's doorbell. */
		uint64_t addr =
		    GABI_MMIO_DEV_GPA + (version == 3 ? mmio_transport_doorbell(&m->mmio, q)
						      : VIRTIO_MMIO_QUEUE_NOTIFY);
		if (kvm_ioeventfd(&m->vm, addr, 4, m->notify_fd[q],
				  version == 3 ? -1 : (long long)q, false)) {
			snprintf(err, errlen, "KVM_IOEVENTFD at %#llx: %s",
				 (unsigned long long)addr, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int vmm_setup_device(struct vmm *m, char *err, size_t errlen)
{
	struct net_backend *be;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		m->notify_fd[q] = -1;
	m->pin_fd = m->resample_fd = -1;
	if (vmm_new_eventfd(&m->stop_fd, err, errlen))
		return -1;

	if (!strcmp(m->opt.backend, "tap"))
		be = net_tap_create(m->opt.tap, err, errlen);
	else
		be = net_reflect_create(m->opt.resp);
	if (!be)
		return -1;
	m->net = virtio_net_create(&m->vm.mem, be, guest_mac);
	if (!m->net) {
		be->destroy(be);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->dev = virtio_net_dev(m->net);

	if (m->opt.profile == PROFILE_PCI) {
		struct irq_sink sink = {sink_raise_pin, sink_msi_program, sink_msi_fire, m};
		return vmm_setup_pci(m, &sink, err, errlen);
	}
	return setup_mmio(m, err, errlen);
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
	vmm_teardown_pci(m);
	virtio_net_destroy(m->net);
	m->net = NULL;
}

/* ---- layout file for tracers ---- */

static const char *vector_queue(struct vmm *m, unsigned idx)
{
	if (m->opt.profile == PROFILE_PCI)
		return vmm_pci_vector_queue(m, idx);
	if (idx == VIRTIO_MMIO_MSI_CONFIG_VECTOR)
		return "config";
	unsigned nq = m->dev->ops->num_queues;
	for (unsigned q = 0; q < nq; q++)
		if (mmio_v3_queue_vector(q, m->mmio.msi_count) == idx)
			return virtio_dev_queue_name(m->dev,
						     q); /* first queue on a shared vector */
	return "unused";
}

static int ioapic_vector(struct vmm *m, unsigned pin)
{
	struct kvm_irqchip chip = {.chip_id = KVM_IRQCHIP_IOAPIC};
	if (ioctl(m->vm.vm_fd, KVM_GET_IRQCHIP, &chip))
		return -1;
	return (int)(chip.chip.ioapic.redirtbl[pin].bits & 0xff);
}

static json_t *layout_json(struct vmm *m)
{
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("irqpath-layout/1"));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "profile", json_string(vmm_profile_name(m->opt.profile)));
	bool pci = m->opt.profile == PROFILE_PCI;
	uint64_t base = pci ? GABI_PCI_BAR0_GPA : GABI_MMIO_DEV_GPA;
	json_object_set_new(root, "window",
			    json_pack("{s:I,s:I}", "gpa", (json_int_t)base, "size",
				      (json_int_t)(pci ? vmm_pci_bar_size() : GABI_MMIO_DEV_SIZE)));
	json_t *regs = json_array();
	if (!pci) {
		for (unsigned off = 0; off < 0x100; off += 2)
			if (mmio_reg_name(&m->mmio, off))
				json_array_append_new(regs,
						      json_pack("{s:i,s:s}", "offset", off, "name",
								mmio_reg_name(&m->mmio, off)));
	} else {
		vmm_pci_layout_registers(m, regs);
	}
	json_object_set_new(root, "registers", regs);

	json_t *bells = json_array();
	for (unsigned q = 0; q < m->dev->ops->num_queues; q++) {
		uint64_t gpa =
		    pci ? vmm_pci_doorbell_gpa(m, q)
			: base + (m->mmio.version == 3 ? mmio_transport_doorbell(&m->mmio, q)
						       : VIRTIO_MMIO_QUEUE_NOTIFY);
		json_array_append_new(bells, json_pack("{s:I,s:s}", "gpa", (json_int_t)gpa, "queue",
						       virtio_dev_queue_name(m->dev, q)));
	}
	json_object_set_new(root, "doorbells", bells);
	bool legacy = m->opt.profile == PROFILE_MMIO_LEGACY;
	json_object_set_new(root, "ioapic_pin",
			    legacy ? json_integer(GABI_LEGACY_IOAPIC_PIN) : json_null());

	json_t *vecs = json_array(), *gsis = json_array();
	if (legacy) {
		int vec = ioapic_vector(m, GABI_LEGACY_IOAPIC_PIN);
		json_array_append_new(vecs,
				      json_pack("{s:i,s:s}", "vector", vec, "queue", "legacy"));
		json_array_append_new(
		    gsis, json_pack("{s:i,s:s}", "gsi", GABI_LEGACY_IOAPIC_PIN, "queue", "legacy"));
	} else {
		for (unsigned i = 0; i < m->n_msi_fds; i++) {
			const struct msi_vector *v = pci ? vmm_pci_msi(m, i) : &m->mmio.msi[i];
			if (!v || !v->valid)
				continue;
			json_array_append_new(vecs,
					      json_pack("{s:i,s:i,s:s}", "vector", v->data & 0xff,
							"index", i, "queue", vector_queue(m, i)));
			json_array_append_new(gsis,
					      json_pack("{s:i,s:s}", "gsi", KVM_MSI_GSI_BASE + i,
							"queue", vector_queue(m, i)));
		}
	}
	json_object_set_new(root, "vectors", vecs);
	json_object_set_new(root, "gsis", gsis);
	return root;
}

int vmm_write_layout(struct vmm *m)
{
	if (!m->opt.layout)
		return 0;
	json_t *j = layout_json(m);
	int rc = irqpath_write_json(m->opt.layout, j, JSON_INDENT(2) | JSON_SORT_KEYS, NULL);
	json_decref(j);
	if (rc) {
		fprintf(stderr, "irqpath-vmm: cannot write layout %s: %s\n", m->opt.layout,
			strerror(errno));
		m->layout_failed = true; /* a tracer would decode nothing: the run fails */
	}
	m->layout_writes++;
	return rc;
}
