#!/usr/bin/env bash
# More vCPUs and pairs (4x4 on mmio-v3, 8x8 on pci: 8 vCPU threads on
# this machine's 2 cores, counts exact), fewer vCPUs than pairs (the spare
# pair is set up and idle, as Linux leaves pairs past its CPU count), and
# the usage error for more vCPUs than pairs.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
j() { jq -r "$1" "$T/r.json"; }

run() { # PROFILE VCPUS PAIRS N
	"$VMM" --profile "$1" --guest "$GUEST" --vcpus "$2" --queues "$3" --transactions "$4" \
		--json "$T/r.json" --layout "$T/l.json" -q --timeout 600 >"$T/out" 2>&1
}

for spec in "mmio-v3 4 4 400" "pci 8 8 400"; do
	set -- $spec
	run "$@"
	check_eq "$1 --vcpus $2 --queues $3: exit status" 0 $?
	check_eq "$1 $2x$3: $4 transactions, plausible" "$4 true" \
		"$(j '"\(.result.transactions) \(.result.guest_counts.plausible)"')"
	check_eq "$1 $2x$3: every vCPU did its share" "$2" \
		"$(j "[.guest.per_vcpu[].transactions | select(. == $4 / $2)] | length")"
	check_eq "$1 $2x$3: $2 vCPU threads in the layout" "$2" "$(jq '[.vcpus[].tid | select(. != null)] | length' "$T/l.json")"
	check_eq "$1 $2x$3: no IPIs" 0 "$(j '[.guest.per_vcpu[].ipis_sent] | add')"
	check_eq "$1 $2x$3: rx MSIs aimed at owners" true \
		"$(jq '[.queues[] | select(.msi != null) | .msi.dest_apic_id == .owner_vcpu] | all' "$T/l.json")"
done

run mmio-legacy 1 2 300
check_eq "--queues 2 --vcpus 1: exit status" 0 $?
check_eq "--queues 2 --vcpus 1: all on pair 0" "300 300 0" \
	"$(j '"\(.guest.per_vcpu["0"].transactions) \(.vmm.queues.tx0.buffers) \(.vmm.queues.tx1.buffers)"')"
check_eq "--queues 2 --vcpus 1: the guest set one pair" 1 "$(j .vmm.ctrl.queue_pairs_set)"
check_eq "--queues 2 --vcpus 1: no IPIs" 0 "$(j '.guest.per_vcpu["0"].ipis_sent')"

"$VMM" --profile mmio-v3 --guest "$GUEST" --vcpus 4 --queues 2 -q >"$T/out" 2>&1
check_eq "--vcpus 4 --queues 2: usage error" 2 $?
check "--vcpus 4 --queues 2: says why" grep -q "needs --queues 4" "$T/out"
"$VMM" --profile mmio-v3 --guest "$GUEST" --vcpus 65 -q >"$T/out" 2>&1
check_eq "--vcpus 65: usage error" 2 $?
"$VMM" --profile mmio-v3 --guest "$GUEST" --queues 17 -q >"$T/out" 2>&1
check_eq "--queues 17: usage error" 2 $?
done_testing
