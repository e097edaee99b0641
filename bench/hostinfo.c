/* SPDX-License-Identifier: MIT */
#include "hostinfo.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void cpu_facts(char *model, size_t len, int *hypervisor)
{
	snprintf(model, len, "unknown");
	*hypervisor = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[4096];
	int have_model = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!have_model && !strncmp(line, "model name", 10)) {
			char *c = strchr(line, ':');
			if (c) {
				c += 2;
				c[strcspn(c, "\n")] = '\0';
				snprintf(model, len, "%s", c);
				have_model = 1;
			}
		}
		if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			*hypervisor = 1;
	}
	fclose(f);
}

static int path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

json_t *hostinfo_json(const json_t *trace, const json_t *vmm)
{
	struct utsname u;
	uname(&u);
	char model[256];
	int hyp;
	cpu_facts(model, sizeof(model), &hyp);
	json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b}", "kernel", u.release,
			      "kernel_version", u.version, "arch", u.machine, "cpu", model, "cpus",
			      (int)sysconf(_SC_NPROCESSORS_ONLN), "hypervisor", hyp);
	json_object_set_new(
	    h, "kvm_exit_tracepoint",
	    json_boolean(path_exists("/sys/kernel/tracing/events/kvm/kvm_exit") ||
			 path_exists("/sys/kernel/debug/tracing/events/kvm/kvm_exit")));
	/* the tracepoint can exist and never fire (nested hosts): trust the tracer */
	const char *src = json_string_value(json_object_get(trace, "exit_source"));
	json_object_set_new(h, "kvm_exit_available",
			    src ? json_boolean(!strcmp(src, "kvm_exit")) : json_null());
	const char *chip = json_string_value(json_object_get(vmm, "irqchip"));
	json_object_set_new(h, "irqchip", json_string(chip ? chip : "in-kernel"));
	json_object_set_new(h, "irqchip_source",
			    json_string(chip ? "irqpath-vmm report"
					     : "irqpath-vmm always uses KVM_CREATE_IRQCHIP "
					       "(in-kernel PIC, IOAPIC and LAPIC)"));
	return h;
}
