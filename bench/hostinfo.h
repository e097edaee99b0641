/* SPDX-License-Identifier: MIT */
/* Facts about the host a run was measured on. */
#ifndef IRQPATH_BENCH_HOSTINFO_H
#define IRQPATH_BENCH_HOSTINFO_H

#include <jansson.h>

/*
 * {"kernel","kernel_version","cpu","cpus","hypervisor","kvm_exit_tracepoint",
 *  "kvm_exit_available","irqchip","host_kind","timings",...}.
 * kvm_exit_available comes from the tracer's report (TRACE may be NULL: then
 * null); irqchip from the VMM's report when it says, else what irqpath-vmm
 * always creates. host_kind is "native" (this machine's own KVM) or what the
 * environment's IRQPATH_HOST_KIND says: "svm-tcg" (the emulated SVM host,
 * hosts/svm-tcg) adds the L1 kernel, the QEMU version and CPU model that
 * emulate the CPU, that timings are TCG timings and where exits come from.
 */
json_t *hostinfo_json(const json_t *trace, const json_t *vmm);

#endif
