#!/usr/bin/env bash
# --msi-vectors smaller than the queue count with 2 vCPUs and 2 pairs, on
# mmio-v3 (vectors the device offers) and pci (the MSI-X table size):
# entries are shared by pair, the layout names every queue an entry
# carries ("rx0+tx0+rx1+tx1"), and a pair whose interrupt lands on the
# other vCPU is handed over with an IPI.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_plan.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
N=400
j() { jq -r "$1" "$T/r.json"; }
l() { jq -r "$1" "$T/l.json"; }

for p in mmio-v3 pci; do
	"$VMM" --profile "$p" --guest "$GUEST" --vcpus 2 --queues 2 --msi-vectors 2 \
		--transactions $N --json "$T/r.json" --layout "$T/l.json" -q >"$T/out" 2>&1
	check_eq "$p --msi-vectors 2: exit status" 0 $?
	check_eq "$p --msi-vectors 2: $N transactions, plausible" "$N true" \
		"$(j '"\(.result.transactions) \(.result.guest_counts.plausible)"')"
	check_eq "$p --msi-vectors 2: requested count in the results" 2 "$(j .msi_vectors_requested)"
	check_eq "$p --msi-vectors 2: entry 1 carries both pairs" "rx0+tx0+rx1+tx1" \
		"$(l '.vectors[] | select(.index == 1) | .queue')"
	check_eq "$p --msi-vectors 2: entry 0 carries config and ctrl" "config+ctrl" \
		"$(l '.vectors[] | select(.index == 0) | .queue')"
	check_eq "$p --msi-vectors 2: shared entry aimed at pair 0's owner" 0 \
		"$(l '.vectors[] | select(.index == 1) | .dest_apic_id')"
	check_eq "$p --msi-vectors 2: vCPU 1 woken by IPI per transaction" true \
		"$(j '.guest.per_vcpu["1"].ipis_received >= .guest.per_vcpu["1"].transactions')"
	check_eq "$p --msi-vectors 2: no device interrupt on vCPU 1" 0 \
		"$(j '[.guest.per_vcpu["1"].irqs_by_vector | to_entries[] | select(.key != "240") | .value] | add // 0')"
	# the IPI vector is the guest's own, not a device entry: the plan check sees device vectors
	check_eq "$p --msi-vectors 2: vector 240 taken once per IPI received" \
		"$(j '[.guest.per_vcpu[].ipis_received] | add')" "$(j '.guest.irqs_by_vector["240"] // 0')"
	jq 'del(.guest.irqs_by_vector["240"])' "$T/r.json" >"$T/r-dev.json"
	check_msi_plan "$T/l.json" "$T/r-dev.json" "$p 2 vectors"

	"$VMM" --profile "$p" --guest "$GUEST" --vcpus 2 --queues 2 --msi-vectors 1 \
		--transactions $N --json "$T/r.json" --layout "$T/l.json" -q >"$T/out" 2>&1
	check_eq "$p --msi-vectors 1: exit status" 0 $?
	check_eq "$p --msi-vectors 1: $N transactions, plausible" "$N true" \
		"$(j '"\(.result.transactions) \(.result.guest_counts.plausible)"')"
	check_eq "$p --msi-vectors 1: one entry for everything" "config+rx0+tx0+rx1+tx1+ctrl" \
		"$(l '.vectors[] | select(.index == 0) | .queue')"
	check_eq "$p --msi-vectors 1: its queue list" 6 "$(l '.vectors[] | select(.index == 0) | .queues | length')"
	jq 'del(.guest.irqs_by_vector["240"])' "$T/r.json" >"$T/r-dev.json"
	check_msi_plan "$T/l.json" "$T/r-dev.json" "$p 1 vector"
done
done_testing
