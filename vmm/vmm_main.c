// SPDX-License-Identifier: MIT
/*
 * irqpath-vmm: a small KVM VMM that runs the micro-guest against one
 * virtio-net device over the profile's transport and reports what each
 * request/response transaction cost, from both sides.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "boot_longmode.h"
#include "elf_loader.h"
#include "vmm.h"

#define GUEST_IMAGE_MAX (8u << 20)

_Static_assert(sizeof(struct gabi_mailbox) <= 4096, "the mailbox is one page");
_Static_assert(sizeof(struct gabi_vcpu) <= GABI_VCPU_STRIDE, "a per-vCPU block is one page");
_Static_assert(GABI_VCPU_GPA + GABI_MAX_VCPUS * GABI_VCPU_STRIDE <= GABI_AP_STACKS_GPA,
	       "per-vCPU blocks end below the AP stacks");
_Static_assert(GABI_AP_STACKS_GPA + GABI_MAX_VCPUS * GABI_AP_STACK_SIZE <= GABI_HEAP_GPA,
	       "AP stacks end below the heap");

/*
 * Every micro-guest vCPU starts in long mode at the ELF entry with its own
 * stack: rdi = mailbox, rsi = its index (= its x2APIC ID).
 */
static int enter_longmode(struct kvm_vcpu *v, uint64_t entry, char *err, size_t errlen)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	if (ioctl(v->fd, KVM_GET_SREGS, &s)) {
		snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	longmode_set_state(&s, &r, entry, GABI_MAILBOX_GPA);
	r.rsi = (uint64_t)v->id;
	if (v->id)
		r.rsp = GABI_AP_STACKS_GPA + (uint64_t)(v->id + 1) * GABI_AP_STACK_SIZE;
	if (v->id && v->id < KVM_MAX_VCPUS) {
		/* an AP is created waiting for INIT/SIPI: this one starts running */
		struct kvm_mp_state mp = {.mp_state = KVM_MP_STATE_RUNNABLE};
		if (ioctl(v->fd, KVM_SET_MP_STATE, &mp)) {
			snprintf(err, errlen, "KVM_SET_MP_STATE vCPU %d: %s", v->id,
				 strerror(errno));
			return -1;
		}
	}
	if (ioctl(v->fd, KVM_SET_SREGS, &s) || ioctl(v->fd, KVM_SET_REGS, &r)) {
		snprintf(err, errlen, "setting vCPU %d state: %s", v->id, strerror(errno));
		return -1;
	}
	return 0;
}

static int load_guest(struct vmm *m, char *err, size_t errlen)
{
	size_t len;
	uint64_t entry;
	uint8_t *img = elf_read_file(m->opt.guest, GUEST_IMAGE_MAX, &len, err, errlen);
	if (!img)
		return -1;
	int rc = elf_load(img, len, &m->vm.mem, GABI_IMAGE_MIN, &entry, err, errlen);
	free(img);
	if (rc) {
		char tmp[256];
		snprintf(tmp, sizeof(tmp), "%s: %s", m->opt.guest, err);
		snprintf(err, errlen, "%s", tmp);
		return -1;
	}
	if (longmode_write_tables(&m->vm.mem)) {
		snprintf(err, errlen, "guest RAM too small for the boot tables");
		return -1;
	}
	for (int i = 0; i < m->vm.nvcpus; i++)
		if (enter_longmode(&m->vm.vcpu[i], entry, err, errlen))
			return -1;
	size_t per_vcpu = (size_t)m->opt.vcpus * GABI_VCPU_STRIDE;
	void *vc = gm_ptr(&m->vm.mem, GABI_VCPU_GPA, per_vcpu);
	if (!vc) {
		snprintf(err, errlen, "guest RAM too small for the per-vCPU blocks");
		return -1;
	}
	memset(vc, 0, per_vcpu);

	m->mb = gm_ptr(&m->vm.mem, GABI_MAILBOX_GPA, sizeof(*m->mb));
	memset(m->mb, 0, sizeof(*m->mb));
	m->mb->magic = GABI_MAGIC;
	m->mb->version = GABI_VERSION;
	m->mb->transport = m->opt.profile->gabi_transport;
	m->mb->transactions = m->opt.transactions;
	m->mb->req_bytes = m->opt.req;
	m->mb->resp_bytes = m->opt.resp;
	m->mb->hostile = m->opt.hostile;
	m->mb->mask_probe = m->opt.mask_probe;
	m->mb->x2apic = 1;
	m->mb->ram_bytes = m->vm.mem.size;
	m->mb->vcpus = m->opt.vcpus;
	m->mb->queue_pairs = m->opt.queues;
	return 0;
}

static const char *stop_status(struct vmm *m, enum vmm_stop why, int *code)
{
	if (!m->mb) /* a Linux guest: judged by its agent's report on the console */
		return vmm_linux_status(m, why, code);
	switch (why) {
	case STOP_GUEST_EXIT:
		if (m->mb->state == GABI_STATE_DONE && m->guest_exit_status == 0) {
			*code = vmm_guest_check(m, NULL) ? 1 : 0; /* counts that cannot be true */
			return *code ? "implausible" : "ok";
		}
		fprintf(stderr, "irqpath-vmm: guest reported failure (status %u): %s\n",
			m->guest_exit_status,
			m->mb->state == GABI_STATE_FAILED ? GTEXT(m->mb->error) : "no message");
		*code = 1;
		return "guest-error";
	case STOP_TIMEOUT:
		fprintf(stderr, "irqpath-vmm: timeout after %.0f s (%llu transactions done)\n",
			m->opt.timeout_s, (unsigned long long)m->mb->done);
		*code = 1;
		return "timeout";
	case STOP_SIGNAL:
		fprintf(stderr, "irqpath-vmm: interrupted\n");
		*code = 130;
		return "interrupted";
	default:
		*code = 1;
		return "fault";
	}
}

int main(int argc, char **argv)
{
	static struct vmm m;
	char err[512] = "";
	int rc = vmm_options_parse(&m.opt, argc, argv);
	if (rc)
		return rc == 1 ? 0 : 2;

	m.console = stderr;
	m.console_out.budget = m.opt.console_budget;
	if (m.opt.console && !(m.console = fopen(m.opt.console, "w"))) {
		fprintf(stderr, "irqpath-vmm: cannot open console file %s: %s\n", m.opt.console,
			strerror(errno));
		return 2;
	}
	rc = kvm_vm_create(&m.vm, (uint64_t)m.opt.mem_mib << 20, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "irqpath-vmm: %s\n", err);
		return rc == KVM_ERR_UNAVAILABLE ? 3 : 1;
	}
	/* vCPU i = APIC ID i; a Linux guest's APs wait in reset for its INIT/SIPI */
	for (unsigned i = 0; i < m.opt.vcpus; i++)
		if (kvm_vcpu_create(&m.vm, (int)i, err, sizeof(err))) {
			fprintf(stderr, "irqpath-vmm: %s\n", err);
			return 1;
		}
	pthread_mutex_init(&m.serial_lock, NULL);
	pthread_mutex_init(&m.exit_lock, NULL);
	pthread_cond_init(&m.exit_cv, NULL);
	vmm_serial_init(&m);
	if (m.opt.kernel ? vmm_load_linux(&m, err, sizeof(err))
			 : load_guest(&m, err, sizeof(err))) {
		fprintf(stderr, "irqpath-vmm: %s\n", err);
		return 2;
	}
	rc = vmm_setup_device(&m, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "irqpath-vmm: %s\n", err);
		return rc == -2 ? 2 : 1;
	}
	vmm_install_signals(&m);
	if (vmm_start_io_thread(&m, err, sizeof(err))) {
		fprintf(stderr, "irqpath-vmm: %s\n", err);
		return 1;
	}
	if (!m.opt.quiet)
		fprintf(stderr, "irqpath-vmm: running %s (%s) with %s backend...\n",
			vmm_profile_name(m.opt.profile), m.opt.kernel ? m.opt.kernel : m.opt.guest,
			m.opt.backend);

	enum vmm_stop why = vmm_run_vcpus(&m);
	vmm_stop_io_thread(&m);
	vmm_join_vcpus(&m);

	int code;
	const char *status = stop_status(&m, why, &code);
	if (m.console && m.console != stderr)
		fclose(m.console);
	m.console = NULL;
	if (m.dev->errors && !m.opt.quiet)
		fprintf(stderr, "irqpath-vmm: device logged %llu guest errors; last: %s\n",
			(unsigned long long)m.dev->errors, m.dev->last_error);
	if (code != 130) {
		vmm_write_layout(&m);
		if (m.layout_failed && code == 0)
			code = 1;
		if (m.opt.json && vmm_write_json(&m, m.opt.json, status))
			code = code ? code : 1;
		if (!m.opt.quiet)
			vmm_print_summary(&m, stdout);
	}
	vmm_teardown_device(&m);
	guest_console_free(&m.gcon);
	kvm_vm_destroy(&m.vm);
	return code;
}
