/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracer.h"

const struct tracer_event tracer_events[] = {
    {"kvm_userspace_exit", 1, 0},
    {"kvm_mmio", 1, 0},
    {"kvm_pio", 1, 0},
    {"kvm_msr", 1, 0},
    {"kvm_msi_set_irq", 1, 0},
    {"kvm_ioapic_set_irq", 1, 0},
    {"kvm_set_irq", 1, 0},
    {"kvm_ack_irq", 1, 0},
    {"kvm_eoi", 1, 0},
    {"kvm_apic_accept_irq", 1, 0},
    {"kvm_apic_ipi", 0, 0},
    {"kvm_exit", 0, 0},
    {"kvm_entry", 0, 0},
    {"kvm_emulate_insn", 0, 1},
};
const size_t tracer_nevents = sizeof tracer_events / sizeof *tracer_events;

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The tracefs mount with kvm events; mounts it at /sys/kernel/tracing when
 * missing. IRQPATH_TRACEFS overrides the location (tests use it to check
 * the error path). */
const char *tracer_tracefs_dir(char *err, size_t errlen)
{
	static char dir[256];
	const char *env = getenv("IRQPATH_TRACEFS");
	char ev[300];

	if (env) {
		snprintf(dir, sizeof dir, "%s", env);
		snprintf(ev, sizeof ev, "%s/events", dir);
		if (is_dir(ev))
			return dir;
		snprintf(err, errlen, "tracefs unavailable: %s has no events/ directory", dir);
		return NULL;
	}
	const char *cands[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	for (int i = 0; i < 2; i++) {
		snprintf(ev, sizeof ev, "%s/events", cands[i]);
		if (is_dir(ev)) {
			snprintf(dir, sizeof dir, "%s", cands[i]);
			return dir;
		}
	}
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    is_dir("/sys/kernel/tracing/events")) {
		snprintf(dir, sizeof dir, "/sys/kernel/tracing");
		return dir;
	}
	snprintf(
	    err, errlen,
	    "tracefs unavailable: not mounted at /sys/kernel/tracing and mounting it failed (%s); "
	    "mount it with: mount -t tracefs nodev /sys/kernel/tracing",
	    strerror(errno));
	return NULL;
}

int tracer_event_exists(const char *tracefs, const char *name)
{
	char p[512];
	snprintf(p, sizeof p, "%s/events/kvm/%s/format", tracefs, name);
	return access(p, R_OK) == 0;
}

uint64_t tracer_kallsyms(const char *symbol)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long long addr;
	uint64_t found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
		    !strcmp(name, symbol)) {
			found = addr;
			break;
		}
	fclose(f);
	return found;
}

/* 1 when the effective capabilities allow tracing: CAP_SYS_ADMIN, or
 * CAP_BPF + CAP_PERFMON for the BPF backend. */
int tracer_have_caps(int need_bpf)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	if (eff & (1ull << 21))
		return 1;
	if (need_bpf)
		return (eff & (1ull << 39)) && (eff & (1ull << 38));
	return 0;
}

void tracer_note_missing(struct tracer *t, const char *name)
{
	if (t->nmissing < TRACER_MAX_MISSING)
		snprintf(t->missing[t->nmissing++], sizeof t->missing[0], "kvm:%s", name);
}

void tracer_set_vcpu(struct tracer *t, uint32_t tid, uint32_t vcpu)
{
	for (int i = 0; i < t->nvcpus; i++)
		if (t->vcpus[i].tid == tid) {
			t->vcpus[i].vcpu = vcpu;
			return;
		}
	if (t->nvcpus < TRACER_MAX_VCPUS) {
		t->vcpus[t->nvcpus].tid = tid;
		t->vcpus[t->nvcpus].vcpu = vcpu;
		t->nvcpus++;
	}
}

int tracer_vcpu_of(const struct tracer *t, uint32_t tid)
{
	for (int i = 0; i < t->nvcpus; i++)
		if (t->vcpus[i].tid == tid)
			return (int)t->vcpus[i].vcpu;
	return -1;
}
