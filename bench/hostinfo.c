/* SPDX-License-Identifier: MIT */
#include "hostinfo.h"

#include <stdio.h>
#include <stdlib.h>
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

/* an IRQPATH_HOST_* number, or null when unset or not a number */
static json_t *env_int(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long long n = v && *v ? strtoll(v, &end, 10) : 0;
	return v && *v && !*end ? json_integer(n) : json_null();
}

/* an IRQPATH_HOST_* variable, or null when unset or empty */
static json_t *env_str(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? json_string(v) : json_null();
}

/*
 * What kind of host measured: this machine's own KVM, or the svm-tcg L1
 * whose init and runner (hosts/svm-tcg) set IRQPATH_HOST_*. There the CPU
 * and its SVM are emulated by QEMU TCG, so times and rates are TCG timings
 * while exit counts come from kvm_amd's kvm_exit as on hardware.
 */
static void host_kind(json_t *h, const char *exit_source)
{
	const char *kind = getenv("IRQPATH_HOST_KIND");
	if (!kind || !*kind) {
		json_object_set_new(h, "host_kind", json_string("native"));
		json_object_set_new(h, "timings", json_string("native"));
		return;
	}
	json_object_set_new(h, "host_kind", json_string(kind));
	if (strcmp(kind, "svm-tcg") != 0) {
		json_object_set_new(h, "timings", json_string("unknown host kind"));
		return;
	}
	struct utsname u;
	uname(&u);
	json_object_set_new(h, "l1_kernel", json_string(u.release));
	json_object_set_new(
	    h, "emulator",
	    json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "name", "qemu-system-x86_64", "version",
		      env_str("IRQPATH_HOST_QEMU"), "accel", env_str("IRQPATH_HOST_ACCEL"),
		      "cpu_model", env_str("IRQPATH_HOST_CPU_MODEL"), "mem_mb",
		      env_int("IRQPATH_HOST_L1_MEM_MB"), "vcpus", env_int("IRQPATH_HOST_L1_SMP")));
	json_object_set_new(h, "timings",
			    json_string("tcg: the CPU is emulated by QEMU TCG; times and rates "
					"are not hardware figures"));
	json_object_set_new(h, "exits_from",
			    json_string(exit_source && !strcmp(exit_source, "kvm_exit")
					    ? "kvm_exit (kvm_amd on the emulated SVM CPU)"
					    : "not kvm_exit: the tracer derived them"));
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
	host_kind(h, src);
	return h;
}
