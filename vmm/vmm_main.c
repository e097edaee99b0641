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
	struct kvm_vcpu *v = &m->vm.vcpu[0];
	struct kvm_sregs s;
	struct kvm_regs r;
	if (ioctl(v->fd, KVM_GET_SREGS, &s)) {
		snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	longmode_set_state(&s, &r, entry, GABI_MAILBOX_GPA);
	if (ioctl(v->fd, KVM_SET_SREGS, &s) || ioctl(v->fd, KVM_SET_REGS, &r)) {
		snprintf(err, errlen, "setting vCPU state: %s", strerror(errno));
		return -1;
	}

	m->mb = gm_ptr(&m->vm.mem, GABI_MAILBOX_GPA, sizeof(*m->mb));
	memset(m->mb, 0, sizeof(*m->mb));
	m->mb->magic = GABI_MAGIC;
	m->mb->version = GABI_VERSION;
	m->mb->transport = m->opt.profile->gabi_transport;
	m->mb->transactions = m->opt.transactions;
	m->mb->req_bytes = m->opt.req;
	m->mb->resp_bytes = m->opt.resp;
	m->mb->hostile = m->opt.hostile;
	m->mb->x2apic = 1;
	m->mb->ram_bytes = m->vm.mem.size;
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
	if (kvm_vcpu_create(&m.vm, 0, err, sizeof(err))) {
		fprintf(stderr, "irqpath-vmm: %s\n", err);
		return 1;
	}
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

	enum vmm_stop why = vmm_run_vcpu(&m);
	vmm_stop_io_thread(&m);

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
