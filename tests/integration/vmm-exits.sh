#!/usr/bin/env bash
# The transports' exit budgets, counted on the host by irqpath-trace (counts,
# not timings), from the bench-micro pipeline (irqpath-bench
# --baseline-transactions 1: per transaction = N-run minus 1-run): per device
# interrupt, mmio-v3 needs at least 2 exits fewer than mmio-legacy (no
# InterruptStatus read, no InterruptACK write) and no more than pci. Counted
# per interrupt the device sent (used-buffer notification): the exits only
# the interrupt path causes (InterruptStatus or ISR reads, InterruptACK
# writes, EOIs). A legacy interrupt costs 3, plus 2 for each spurious
# re-delivery; an MSI costs its EOI.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
run=$("$BIN/irqpath-bench" --profile all --baseline-transactions 1 -n 200 -r 1 -w 0 \
	--out "$T/results" --run-id micro -q 2>"$T/err")
check_eq "bench with a baseline ran" 0 $?
m() { jq -r --arg k "$2" ".marginal_summary[\$k].mean" "$run/$1.json"; }
L=$(m mmio-legacy irq_path_exits_per_device_irq) V=$(m mmio-v3 irq_path_exits_per_device_irq)
P=$(m pci irq_path_exits_per_device_irq)
check "exits per device interrupt: legacy $L, v3 $V (at least 2 fewer)" awk -v l="$L" -v v="$V" 'BEGIN { exit !(l - v >= 2) }'
check "exits per device interrupt: v3 $V <= pci $P" awk -v p="$P" -v v="$V" 'BEGIN { exit !(v <= p) }'
check "legacy: at least status read + ack + EOI per device interrupt" awk -v l="$L" 'BEGIN { exit !(l >= 3) }'
is() { awk -v x="$1" -v w="$2" 'BEGIN { exit !(x - w < 1e-9 && w - x < 1e-9) }'; }
check "v3: no userspace exits per transaction" is "$(m mmio-v3 userspace_exits_per_txn)" 0
check "legacy: one InterruptACK per transaction" is "$(m mmio-legacy acks_per_txn)" 1
check "v3: one MSI per transaction" is "$(m mmio-v3 msis_per_txn.rx)" 1
check "pci: one MSI-X per transaction" is "$(m pci msis_per_txn.rx)" 1
check "the report shows marginal / whole-run" grep -q "marginal (N-run minus 1-run) / whole-run" \
	<("$BIN/irqpath-report" table "$run")
done_testing
