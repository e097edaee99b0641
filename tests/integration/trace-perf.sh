#!/usr/bin/env bash
# irqpath-trace never hides KVM events from other tools: with either
# backend attached to a micro-guest run, perf counts that run's kvm events.
# A BPF tracepoint program that returns 0 makes the kernel drop the event
# for every perf user of the tracepoint on the host (perf stat then counts
# 0); the programs must let it through.
# - system-wide: `perf stat -a -e kvm:kvm_mmio,kvm:kvm_msr` around the
#   traced run counts at least what the tracer counted (other VMs on the
#   host may add events);
# - per process: perf stat on the traced command counts exactly the
#   tracer's kvm_msr and kvm_pio events, and kvm_mmio between the tracer's
#   completed accesses and those plus the unsatisfied halves of reads.
source "$(dirname "$0")/../lib.sh"
need_root "perf and tracing need root"
need_kvm
TRACE=$BIN/irqpath-trace
VMM=$BIN/irqpath-vmm
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$TRACE" "$VMM" "$GUEST"
require_cmd jq perf
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
N=300

# perf_count FILE EVENT: the count perf stat -x, wrote for EVENT
perf_count() { awk -F, -v e="$2" '$3 == e { print $1 }' "$1"; }

# control: perf sees the events of an untraced run
perf stat -x, -o "$T/plain.txt" -e kvm:kvm_msr -- "$VMM" --profile mmio-v3 --guest "$GUEST" \
	--transactions $N --console /dev/null -q 2>/dev/null
check_ge "untraced run: perf counts kvm_msr" $N "$(perf_count "$T/plain.txt" kvm:kvm_msr)"

for b in bpf tracefs; do
	D=$T/$b; mkdir -p "$D"
	perf stat -a -x, -o "$D/perf-a.txt" -e kvm:kvm_mmio,kvm:kvm_msr -- \
		"$TRACE" record --backend "$b" -o "$D/a.json" -- "$VMM" --profile mmio-v3 --guest "$GUEST" \
		--transactions $N --console /dev/null -q 2>"$D/a.err"
	check_eq "$b: traced run (perf -a) succeeds" 0 "$?"
	check_ge "$b: perf -a counts kvm_msr while traced (>= tracer's)" "$(jq .totals.msr "$D/a.json")" \
		"$(perf_count "$D/perf-a.txt" kvm:kvm_msr)"
	check_ge "$b: perf -a counts kvm_mmio while traced (>= tracer's)" "$(jq .totals.mmio "$D/a.json")" \
		"$(perf_count "$D/perf-a.txt" kvm:kvm_mmio)"
	check_ge "$b: the tracer counted the run's x2APIC EOIs" $N "$(jq .totals.x2apic_eoi "$D/a.json")"

	perf stat -x, -o "$D/perf-p.txt" -e kvm:kvm_mmio,kvm:kvm_msr,kvm:kvm_pio -- \
		"$TRACE" record --backend "$b" -o "$D/p.json" -- "$VMM" --profile mmio-v3 --guest "$GUEST" \
		--transactions $N --console /dev/null -q 2>"$D/p.err"
	check_eq "$b: traced run (perf on the command) succeeds" 0 "$?"
	check_eq "$b: perf kvm_msr = tracer's" "$(jq .totals.msr "$D/p.json")" "$(perf_count "$D/perf-p.txt" kvm:kvm_msr)"
	check_eq "$b: perf kvm_pio = tracer's" "$(jq .totals.pio "$D/p.json")" "$(perf_count "$D/perf-p.txt" kvm:kvm_pio)"
	# reads that went to the VMM fire kvm_mmio twice (unsatisfied, then
	# read): perf's count lies between the tracer's accesses and those plus
	# the run's MMIO exits to user space
	pm=$(perf_count "$D/perf-p.txt" kvm:kvm_mmio)
	lo=$(jq .totals.mmio "$D/p.json")
	hi=$(jq '.totals.mmio + (.userspace_exits_by_reason.MMIO // 0)' "$D/p.json")
	check_ge "$b: perf kvm_mmio >= tracer's accesses" "$lo" "$pm"
	check_ge "$b: perf kvm_mmio <= accesses + MMIO userspace exits ($hi)" "$pm" "$hi"
done
done_testing
