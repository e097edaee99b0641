#!/usr/bin/env bash
# irqpath-vmm --vcpus 2 --queues 2 on every profile: two vCPU threads, one
# RR client each on its own queue pair. mmio-v3 and pci: each queue's MSI
# is aimed at its owner and taken there only, no IPIs. mmio-legacy: the one
# pin lands on vCPU 0, which wakes vCPU 1 with an IPI for each of its
# responses. The guest's per-vCPU counts add up to its totals.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
N=1000
j() { jq -r "$1" "$T/$p.json"; }
l() { jq -r "$1" "$T/$p.layout"; }

for p in mmio-legacy mmio-v3 pci; do
	"$VMM" --profile "$p" --guest "$GUEST" --vcpus 2 --queues 2 --transactions $N \
		--json "$T/$p.json" --layout "$T/$p.layout" -q >"$T/$p.out" 2>&1
	check_eq "$p: exit status" 0 $?
	check_eq "$p: $N transactions" $N "$(j .result.transactions)"
	check_eq "$p: guest counts plausible" true "$(j .result.guest_counts.plausible)"
	check_eq "$p: results name 2 vCPUs and 2 pairs" "2 2" "$(j '"\(.vcpus) \(.queue_pairs)"')"
	check_eq "$p: per-vCPU transactions sum to $N" $N \
		"$(j '[.guest.per_vcpu[].transactions] | add')"
	check "$p: each vCPU ran transactions" \
		test "$(j '[.guest.per_vcpu[].transactions] | all(. > 0)')" = true
	check_eq "$p: vCPU i has x2APIC ID i" "0 1" \
		"$(j '[.guest.per_vcpu | to_entries[] | .value.apic_id] | map(tostring) | join(" ")')"
	check_eq "$p: queues rx0 tx0 rx1 tx1 ctrl" "ctrl rx0 rx1 tx0 tx1" \
		"$(j '.vmm.queues | keys | join(" ")')"
	check_eq "$p: per pair, device frames == guest transactions" true \
		"$(j '[range(2) as $i | .vmm.queues["tx\($i)"].buffers == .guest.per_vcpu["\($i)"].transactions] | all')"
	check_eq "$p: the control queue set 2 pairs (and refused the bad command)" "2 1 1" \
		"$(j '"\(.vmm.ctrl.queue_pairs_set) \(.vmm.ctrl.acked) \(.vmm.ctrl.refused)"')"
	check_eq "$p: per-vCPU exits add up" true \
		"$(j '([.vmm.per_vcpu[].userspace_exits] | add) == .vmm.userspace_exits')"
	check_eq "$p: layout lists 2 vCPUs with their TIDs" "0 1" \
		"$(l '[.vcpus[] | select(.tid != null and .apic_id == .index) | .index] | map(tostring) | join(" ")')"
	check_eq "$p: layout owners" "0 0 1 1 0" "$(l '[.queues[].owner_vcpu] | map(tostring) | join(" ")')"
	check_eq "$p: layout pairs" "0 0 1 1 null" "$(l '[.queues[].pair] | map(tostring) | join(" ")')"
done

# mmio-v3 and pci: every queue's MSI goes to its owner and is taken there only
for p in mmio-v3 pci; do
	check_eq "$p: each queue's MSI aimed at its owner" true \
		"$(l '[.queues[] | .msi.dest_apic_id == .owner_vcpu] | all')"
	check_eq "$p: queue vectors taken only on their owner" true \
		"$(jq --slurpfile r "$T/$p.json" '($r[0].guest.per_vcpu) as $v
			| [.queues[] | . as $q | range(2) | select(. != $q.owner_vcpu)
			   | ($v["\(.)"].irqs_by_vector["\($q.msi.vector)"] // 0) == 0] | all' "$T/$p.layout")"
	check_eq "$p: each rx vector took its owner's responses" true \
		"$(jq --slurpfile r "$T/$p.json" '($r[0].guest.per_vcpu) as $v
			| [.queues[] | select(.queue | startswith("rx"))
			   | ($v["\(.owner_vcpu)"].irqs_by_vector["\(.msi.vector)"] // 0)
			     >= $v["\(.owner_vcpu)"].transactions] | all' "$T/$p.layout")"
	check_eq "$p: no IPIs" "0 0" "$(j '"\([.guest.per_vcpu[].ipis_sent] | add) \([.guest.per_vcpu[].ipis_received] | add)"')"
	check_eq "$p: no IPI vector in the layout" null "$(l .ipi_vector)"
	check_eq "$p: one MSI entry per queue + config" 6 "$(j .guest.msi_vectors)"
done

# mmio-legacy: one pin on vCPU 0; vCPU 1's responses cost an IPI each
p=mmio-legacy
check_eq "$p: no device interrupt on vCPU 1" 0 "$(j '.guest.per_vcpu["1"].irqs_by_vector["48"] // 0')"
check_eq "$p: every device interrupt on vCPU 0" "$(j '.guest.irqs_by_vector["48"]')" \
	"$(j '.guest.per_vcpu["0"].irqs_by_vector["48"]')"
check_eq "$p: vCPU 1 takes at least one IPI per transaction" true \
	"$(j '.guest.per_vcpu["1"].ipis_received >= .guest.per_vcpu["1"].transactions')"
check_eq "$p: and exactly one (one per response; tx is polled, never forwarded)" \
	"$(j '.guest.per_vcpu["1"].transactions')" "$(j '.guest.per_vcpu["1"].ipis_received')"
# one IPI per new used entry (never a second for work already handed over)
check_eq "$p: vCPU 0 sent exactly the IPIs vCPU 1 took" "$(j '.guest.per_vcpu["0"].ipis_sent')" \
	"$(j '.guest.per_vcpu["1"].ipis_received')"
check_eq "$p: IPIs taken on vector 240 only, on vCPU 1" "$(j '.guest.per_vcpu["1"].ipis_received')" \
	"$(j '.guest.per_vcpu["1"].irqs_by_vector["240"]')"
check_eq "$p: status reads and acks all on vCPU 0" "0 0" \
	"$(j '"\(.guest.per_vcpu["1"].status_reads) \(.guest.per_vcpu["1"].acks)"')"
check_eq "$p: layout names the IPI vector" 240 "$(l .ipi_vector)"
done_testing
