// SPDX-License-Identifier: MIT
/*
 * Linux guests for irqpath-vmm (--kernel/--initrd/--append): the bzImage is
 * loaded with the Linux boot protocol by vmm/linuxboot, the device windows
 * and interrupt pins are described in the e820 map and the MP table, and
 * the command line tells the guest's drivers where the device is. This
 * needs a host where KVM runs guest ring-0 code natively (VMX/SVM); on a
 * nested host that emulates it, Linux stops early with an emulation error.
 *
 * What a stock kernel needs besides (see README.md, "Linux guests"): the
 * in-kernel PIT for its timer check, KVM's paravirt CPUID leaves for
 * kvm-clock and TSC-deadline (kvm_vm.c, cpuid_table.c), a 16550 whose
 * transmit interrupt works (uart16550.c), and a way to end the run: the
 * keyboard-controller reset or a triple fault (vmm_run.c). Without ACPI a
 * poweroff has no device to switch off, so the command line carries
 * panic=-1: poweroff -f ends init, the kernel panics and reboots at once.
 * The run's verdict comes from the guest agent's IRQPATH-RESULT line.
 * With several vCPUs the MP table lists each (LAPIC id = vCPU index, the
 * first the BSP); only vCPU 0 gets a boot state here, the others are left
 * in reset and Linux starts them with INIT/SIPI, as on a PC.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "boot_longmode.h"
#include "elf_loader.h"
#include "irqpath/atomic_json.h"
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
	m->opt.profile->linux_cmdline(m->opt.profile, dev, sizeof(dev));
	snprintf(cmdline, sizeof(cmdline), "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 %s %s",
		 dev, m->opt.append ? m->opt.append : "");
	if (kvm_create_pit(&m->vm, err, errlen))
		goto out;
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
				      /* every vCPU in the MP table; the APs wait
				       * in reset for Linux's INIT/SIPI */
				      .ncpus = m->vm.nvcpus > 0 ? (unsigned)m->vm.nvcpus : 1,
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

const char *vmm_linux_status(struct vmm *m, enum vmm_stop why, int *code)
{
	if (why == STOP_SIGNAL) {
		fprintf(stderr, "irqpath-vmm: interrupted\n");
		*code = 130;
		return "interrupted";
	}
	if (why == STOP_FATAL) {
		*code = 1;
		return "fault";
	}
	if (!m->end_reason)
		m->end_reason = why == STOP_DURATION  ? "--duration ran out"
				: why == STOP_TIMEOUT ? "--timeout ran out"
						      : "guest exit";
	guest_console_flush(&m->gcon);
	json_t *agent;
	char reason[512];
	enum guest_verdict v = guest_console_verdict(&m->gcon, &agent, reason, sizeof(reason));
	json_decref(agent);
	if (v == GV_OK) {
		*code = 0;
		return "ok";
	}
	fprintf(stderr, "irqpath-vmm: Linux guest failed (%s): %s\n", m->end_reason, reason);
	*code = 1;
	return why == STOP_TIMEOUT && v == GV_NO_REPORT ? "timeout" : guest_verdict_name(v);
}

/* rr's latency percentiles as the micro-guest's result.latency_us has them. */
static void copy_rr(json_t *result, const json_t *agent)
{
	const json_t *rr = json_object_get(agent, "rr");
	const json_t *n = json_object_get(rr, "transactions");
	const json_t *tps = json_object_get(rr, "trans_per_s");
	if (json_is_integer(n))
		json_object_set_new(result, "transactions", json_integer(json_integer_value(n)));
	if (json_is_number(tps))
		json_object_set_new(result, "trans_per_s", json_real(json_number_value(tps)));
	const json_t *lu = json_object_get(rr, "latency_us");
	if (json_is_object(lu))
		json_object_set_new(result, "latency_us", json_deep_copy(lu));
}

void vmm_linux_report(struct vmm *m, json_t *root)
{
	if (m->mb)
		return;
	const struct guest_console *c = &m->gcon;
	json_t *agent;
	char reason[512];
	enum guest_verdict v = guest_console_verdict(c, &agent, reason, sizeof(reason));
	if (agent)
		copy_rr(json_object_get(root, "result"), agent);
	const struct cpuid_summary *cs = &m->vm.cpuid;
	json_t *lx = json_pack(
	    "{s:s,s:s,s:o,s:s?,s:s?,s:s?,s:I,s:I,s:b,s:{s:I,s:I},s:{s:b,s:I,s:b,s:b}}", "verdict",
	    guest_verdict_name(v), "reason", reason, "agent", agent ? agent : json_null(), "end",
	    m->end_reason, "clocksource", c->clocksource[0] ? c->clocksource : NULL, "panic",
	    c->panic[0] ? c->panic : NULL, "console_bytes", (json_int_t)c->bytes, "console_lines",
	    (json_int_t)c->lines, "pit", m->vm.pit, "uart", "tx_bytes",
	    (json_int_t)m->uart.tx_bytes, "tx_interrupts", (json_int_t)m->uart.irq_raises, "cpuid",
	    "tsc_deadline", cs->tsc_deadline, "kvm_features", (json_int_t)cs->kvm_features,
	    "kvm_clock",
	    (cs->kvm_features & (CPUID_KVM_FEATURE_CLOCKSOURCE | CPUID_KVM_FEATURE_CLOCKSOURCE2)) !=
		0,
	    "kvm_leaves_from_kvm", cs->kvm_signature_from_kvm);
	json_t *irqs = guest_console_irqs(c);
	json_object_set_new(lx, "final_irqs", irqs ? irqs : json_null());
	json_object_set_new(root, "linux", lx);
}
