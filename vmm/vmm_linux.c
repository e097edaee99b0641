// SPDX-License-Identifier: MIT
/*
 * Linux guests for irqpath-vmm (--kernel/--initrd/--append): the bzImage is
 * loaded with the Linux boot protocol by vmm/linuxboot, the device windows
 * and interrupt pins are described in the e820 map and the MP table, and
 * the command line tells the guest's drivers where the device is. This
 * needs a host where KVM runs guest ring-0 code natively (VMX/SVM); on a
 * nested host that emulates it, Linux stops early with an emulation error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "boot_longmode.h"
#include "elf_loader.h"
#include "irqpath/guest_abi.h"
#include "linuxboot/linuxboot.h"
#include "vmm.h"

#define KERNEL_MAX (64u << 20)

int vmm_load_linux(struct vmm *m, char *err, size_t errlen)
{
	size_t klen = 0, ilen = 0;
	uint8_t *kernel = elf_read_file(m->opt.kernel, KERNEL_MAX, &klen, err, errlen);
	uint8_t *initrd = NULL;
	int rc = -1;
	if (!kernel)
		return -1;
	if (m->opt.initrd &&
	    !(initrd = elf_read_file(m->opt.initrd, m->vm.mem.size / 2, &ilen, err, errlen)))
		goto out;

	char dev[128], cmdline[2048];
	m->opt.profile->linux_cmdline(dev, sizeof(dev));
	snprintf(cmdline, sizeof(cmdline), "console=ttyS0 earlyprintk=serial,ttyS0 %s %s", dev,
		 m->opt.append ? m->opt.append : "");
	struct linuxboot_region reserved[] = {
	    {m->opt.profile->window_gpa, m->opt.profile->window_size},
	    {GABI_IOAPIC_GPA, 0x1000},
	    {GABI_LAPIC_GPA, 0x1000},
	};
	struct linuxboot_irq irqs[] = {
	    {.pin = GABI_LEGACY_IOAPIC_PIN, .level = 1},	     /* virtio-mmio, level high */
	    {.pin = GABI_PCI_INTX_PIN, .level = 1, .active_low = 1}, /* PCI INTA# */
	};
	struct linuxboot_params in = {.kernel = kernel,
				      .kernel_size = klen,
				      .initrd = initrd,
				      .initrd_size = ilen,
				      .cmdline = cmdline,
				      .ncpus = 1,
				      .reserved = reserved,
				      .nreserved = 3,
				      .irqs = irqs,
				      .nirqs = 2};
	struct linuxboot_entry e;
	char why[256];
	if (linuxboot_load(&in, m->vm.mem.host, m->vm.mem.size, &e, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", m->opt.kernel, why);
		goto out;
	}

	struct kvm_vcpu *v = &m->vm.vcpu[0];
	struct kvm_sregs s;
	if (ioctl(v->fd, KVM_GET_SREGS, &s)) {
		snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
		goto out;
	}
	longmode_set_sregs(&s, &(struct longmode_entry){.gdt_gpa = e.gdt_gpa,
							.gdt_limit = e.gdt_limit,
							.cs = e.cs,
							.ds = e.ds,
							.cr3 = e.cr3});
	struct kvm_regs r = {.rip = e.rip, .rsi = e.rsi, .rsp = e.rsp, .rflags = 2};
	if (ioctl(v->fd, KVM_SET_SREGS, &s) || ioctl(v->fd, KVM_SET_REGS, &r)) {
		snprintf(err, errlen, "setting vCPU state: %s", strerror(errno));
		goto out;
	}
	if (!m->opt.quiet)
		fprintf(stderr,
			"irqpath-vmm: Linux boot protocol %u.%02u: kernel at %#llx (%llu bytes), "
			"initrd %llu bytes at %#llx, command line \"%s\"\n",
			e.protocol >> 8, e.protocol & 0xff, (unsigned long long)e.kernel_gpa,
			(unsigned long long)e.kernel_size, (unsigned long long)e.initrd_size,
			(unsigned long long)e.initrd_gpa, cmdline);
	rc = 0;
out:
	free(kernel);
	free(initrd);
	return rc;
}
