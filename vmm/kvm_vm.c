// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kvm_vm.h"

int kvm_vm_create(struct kvm_vm *vm, uint64_t ram_bytes, char *err, size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = -1;
	pthread_mutex_init(&vm->route_lock, NULL);
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen,
				 "/dev/kvm does not exist: KVM is not available on this host "
				 "(load kvm_intel/kvm_amd, or enable nested virtualization)");
		else if (errno == EACCES || errno == EPERM)
			snprintf(err, errlen,
				 "permission denied opening /dev/kvm: run as root or join the "
				 "group that owns /dev/kvm");
		else
			snprintf(err, errlen, "cannot open /dev/kvm: %s", strerror(errno));
		return KVM_ERR_UNAVAILABLE;
	}
	int api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		snprintf(err, errlen, "KVM API version %d, expected %d", api, KVM_API_VERSION);
		return KVM_ERR_UNAVAILABLE;
	}
	static const struct {
		int cap;
		const char *name;
	} need[] = {
	    {KVM_CAP_IRQCHIP, "IRQCHIP"},
	    {KVM_CAP_IRQFD, "IRQFD"},
	    {KVM_CAP_IRQFD_RESAMPLE, "IRQFD_RESAMPLE"},
	    {KVM_CAP_IOEVENTFD, "IOEVENTFD"},
	    {KVM_CAP_IRQ_ROUTING, "IRQ_ROUTING"},
	    {KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT"},
	};
	for (unsigned i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, need[i].cap) <= 0) {
			snprintf(err, errlen, "this KVM lacks KVM_CAP_%s", need[i].name);
			return KVM_ERR_UNAVAILABLE;
		}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		snprintf(err, errlen, "KVM_CREATE_VM: %s", strerror(errno));
		return KVM_ERR_UNAVAILABLE;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		snprintf(err, errlen, "KVM_CREATE_IRQCHIP: %s", strerror(errno));
		return KVM_ERR_FAILED;
	}
	void *mem = mmap(NULL, ram_bytes, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(err, errlen, "cannot map %llu bytes of guest RAM: %s",
			 (unsigned long long)ram_bytes, strerror(errno));
		return KVM_ERR_FAILED;
	}
	vm->mem.host = mem;
	vm->mem.size = ram_bytes;
	struct kvm_userspace_memory_region r = {.slot = 0,
						.guest_phys_addr = 0,
						.memory_size = ram_bytes,
						.userspace_addr = (uintptr_t)mem};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		snprintf(err, errlen, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return KVM_ERR_FAILED;
	}
	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return KVM_ERR_FAILED;
	}
	vm->run_size = (size_t)sz;
	return KVM_OK;
}

static int set_cpuid(struct kvm_vm *vm, struct kvm_vcpu *v, char *err, size_t errlen)
{
	const unsigned max = 256;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + max * sizeof(struct kvm_cpuid_entry2));
	if (!c)
		return -1;
	c->nent = max - 2; /* room for the paravirt leaves if KVM lists none */
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		snprintf(err, errlen, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		free(c);
		return -1;
	}
	struct cpuid_opts o = {
	    .apic_id = (unsigned)v->id,
	    .tsc_deadline = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0,
	};
	struct cpuid_summary s;
	int n = cpuid_table_finish(c->entries, c->nent, max, &o, &s);
	if (n < 0) {
		snprintf(err, errlen, "no room in the CPUID table for KVM's paravirt leaves");
		free(c);
		return -1;
	}
	c->nent = (unsigned)n;
	int rc = ioctl(v->fd, KVM_SET_CPUID2, c);
	if (rc < 0)
		snprintf(err, errlen, "KVM_SET_CPUID2: %s", strerror(errno));
	else if (v->id == 0)
		vm->cpuid = s;
	free(c);
	return rc;
}

int kvm_vcpu_create(struct kvm_vm *vm, int id, char *err, size_t errlen)
{
	if (id >= KVM_MAX_VCPUS)
		return -1;
	struct kvm_vcpu *v = &vm->vcpu[id];
	v->id = id;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		snprintf(err, errlen, "KVM_CREATE_VCPU %d: %s", id, strerror(errno));
		return -1;
	}
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		snprintf(err, errlen, "mmap kvm_run: %s", strerror(errno));
		return -1;
	}
	if (set_cpuid(vm, v, err, errlen))
		return -1;
	if (id >= vm->nvcpus)
		vm->nvcpus = id + 1;
	return 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	for (int i = 0; i < vm->nvcpus; i++) {
		if (vm->vcpu[i].run && vm->vcpu[i].run != MAP_FAILED)
			munmap(vm->vcpu[i].run, vm->run_size);
		if (vm->vcpu[i].fd > 0)
			close(vm->vcpu[i].fd);
	}
	if (vm->mem.host)
		munmap(vm->mem.host, vm->mem.size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vm_fd = vm->kvm_fd = -1;
}

int kvm_create_pit(struct kvm_vm *vm, char *err, size_t errlen)
{
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PIT2) <= 0) {
		snprintf(err, errlen,
			 "this KVM lacks KVM_CAP_PIT2 (no in-kernel PIT for the guest)");
		return -1;
	}
	struct kvm_pit_config pit = {.flags = 0};
	if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
		snprintf(err, errlen, "KVM_CREATE_PIT2: %s", strerror(errno));
		return -1;
	}
	vm->pit = true;
	return 0;
}

int kvm_irq_line(struct kvm_vm *vm, unsigned irq, bool level)
{
	struct kvm_irq_level l = {.irq = irq, .level = level};
	return ioctl(vm->vm_fd, KVM_IRQ_LINE, &l);
}

int kvm_irqfd(struct kvm_vm *vm, unsigned gsi, int fd, int resample_fd)
{
	struct kvm_irqfd f = {.fd = (uint32_t)fd, .gsi = gsi};
	if (resample_fd >= 0) {
		f.flags = KVM_IRQFD_FLAG_RESAMPLE;
		f.resamplefd = (uint32_t)resample_fd;
	}
	return ioctl(vm->vm_fd, KVM_IRQFD, &f);
}

int kvm_ioeventfd(struct kvm_vm *vm, uint64_t addr, unsigned len, int fd, long long datamatch,
		  bool pio)
{
	struct kvm_ioeventfd e = {.addr = addr, .len = len, .fd = fd};
	if (datamatch >= 0) {
		e.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
		e.datamatch = (uint64_t)datamatch;
	}
	if (pio)
		e.flags |= KVM_IOEVENTFD_FLAG_PIO;
	return ioctl(vm->vm_fd, KVM_IOEVENTFD, &e);
}

/* KVM_SET_GSI_ROUTING replaces the whole table: rebuild pins + MSI routes. */
static int commit_routes(struct kvm_vm *vm)
{
	unsigned max = 16 + KVM_IOAPIC_PINS + KVM_MSI_ROUTES;
	struct kvm_irq_routing *r =
	    calloc(1, sizeof(*r) + max * sizeof(struct kvm_irq_routing_entry));
	if (!r)
		return -1;
	unsigned n = 0;
	for (unsigned pin = 0; pin < 16; pin++) /* ISA pins also reach the PIC */
		r->entries[n++] = (struct kvm_irq_routing_entry){
		    .gsi = pin,
		    .type = KVM_IRQ_ROUTING_IRQCHIP,
		    .u.irqchip = {.irqchip =
				      pin < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE,
				  .pin = pin % 8}};
	for (unsigned pin = 0; pin < KVM_IOAPIC_PINS; pin++) /* KVM's default GSI = pin */
		r->entries[n++] = (struct kvm_irq_routing_entry){
		    .gsi = pin,
		    .type = KVM_IRQ_ROUTING_IRQCHIP,
		    .u.irqchip = {.irqchip = KVM_IRQCHIP_IOAPIC, .pin = pin}};
	for (unsigned i = 0; i < KVM_MSI_ROUTES; i++)
		if (vm->msi_used[i])
			r->entries[n++] =
			    (struct kvm_irq_routing_entry){.gsi = KVM_MSI_GSI_BASE + i,
							   .type = KVM_IRQ_ROUTING_MSI,
							   .u.msi = vm->msi[i]};
	r->nr = n;
	int rc = ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r);
	free(r);
	return rc;
}

int kvm_set_msi_route(struct kvm_vm *vm, unsigned idx, uint64_t addr, uint32_t data)
{
	if (idx >= KVM_MSI_ROUTES)
		return -1;
	pthread_mutex_lock(&vm->route_lock);
	vm->msi[idx] = (struct kvm_irq_routing_msi){
	    .address_lo = (uint32_t)addr, .address_hi = (uint32_t)(addr >> 32), .data = data};
	vm->msi_used[idx] = true;
	int rc = commit_routes(vm);
	pthread_mutex_unlock(&vm->route_lock);
	return rc;
}

unsigned long kvm_tsc_khz(struct kvm_vm *vm)
{
	if (vm->nvcpus == 0)
		return 0;
	int khz = ioctl(vm->vcpu[0].fd, KVM_GET_TSC_KHZ, 0);
	return khz > 0 ? (unsigned long)khz : 0;
}

void kvm_vcpu_dump(struct kvm_vcpu *v, const char *why)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	fprintf(stderr, "irqpath-vmm: vCPU %d: %s\n", v->id, why);
	if (ioctl(v->fd, KVM_GET_REGS, &r) == 0)
		fprintf(stderr,
			"  rip=%#llx rsp=%#llx rflags=%#llx\n  rax=%#llx rbx=%#llx rcx=%#llx "
			"rdx=%#llx\n  rsi=%#llx rdi=%#llx rbp=%#llx\n",
			r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp);
	if (ioctl(v->fd, KVM_GET_SREGS, &s) == 0)
		fprintf(stderr, "  cr0=%#llx cr2=%#llx cr3=%#llx cr4=%#llx efer=%#llx\n", s.cr0,
			s.cr2, s.cr3, s.cr4, s.efer);
	if (v->run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
		fprintf(stderr, "  internal error suberror=%u data:", v->run->internal.suberror);
		for (unsigned i = 0; i < v->run->internal.ndata && i < 8; i++)
			fprintf(stderr, " %#llx", (unsigned long long)v->run->internal.data[i]);
		fprintf(stderr, "\n");
	}
}
