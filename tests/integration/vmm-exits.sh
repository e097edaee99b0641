#!/usr/bin/env bash
# The transports' exit budgets, counted on the host by irqpath-trace (counts,
# not timings): per device interrupt, mmio-v3 needs at least 2 exits fewer
# than mmio-legacy (no InterruptStatus read, no InterruptACK write) and no
# more than pci. Counted per interrupt the device sent (used-buffer
# notification): the exits only the interrupt path causes (InterruptStatus
# or ISR reads, InterruptACK writes, EOIs). A legacy interrupt costs 3, plus
# 2 for each spurious re-delivery; an MSI costs its EOI.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
BUILD="$IRQPATH_BUILD" bash "$IRQPATH_ROOT/vmm/bench-micro.sh" --transactions 200 --rounds 1 \
	--json "$T/m.json" >"$T/out" 2>&1
check_eq "bench-micro ran" 0 $?
per_irq() { jq -r --arg p "$1" '.profiles[$p].exits_per_device_irq.mean' "$T/m.json"; }
L=$(per_irq mmio-legacy) V=$(per_irq mmio-v3) P=$(per_irq pci)
check "exits per device interrupt: legacy $L, v3 $V (at least 2 fewer)" awk -v l="$L" -v v="$V" 'BEGIN { exit !(l - v >= 2) }'
check "exits per device interrupt: v3 $V <= pci $P" awk -v p="$P" -v v="$V" 'BEGIN { exit !(v <= p) }'
check "legacy: at least status read + ack + EOI per device interrupt" awk -v l="$L" 'BEGIN { exit !(l >= 3) }'
check_eq "v3: no userspace exits per transaction" 0 "$(jq -r '.profiles["mmio-v3"].userspace_exits.mean' "$T/m.json")"
check_eq "legacy: one InterruptACK per transaction" 1 "$(jq -r '.profiles["mmio-legacy"].acks.mean' "$T/m.json")"
check_eq "v3: one MSI per transaction" 1 "$(jq -r '.profiles["mmio-v3"].msis.mean' "$T/m.json")"
check_eq "pci: one MSI-X per transaction" 1 "$(jq -r '.profiles["pci"].msis.mean' "$T/m.json")"
done_testing
