#!/usr/bin/env bash
# irqpath-vmm, profile mmio-v3: MSI per queue and doorbells; no status reads
# or acks, one MSI per response on the rx vector, host == guest counts.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_plan.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
j() { jq -r "$1" "$T/r.json"; }

"$VMM" --profile mmio-v3 --guest "$GUEST" --transactions 1000 --json "$T/r.json" \
	--layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status" 0 $?
check_eq "transactions done" 1000 "$(j .result.transactions)"
check_eq "no InterruptStatus reads" 0 "$(j .guest.status_reads)"
check_eq "no InterruptACK writes" 0 "$(j .guest.acks)"
check_eq "host saw no InterruptStatus access" null "$(j .vmm.mmio_by_register.InterruptStatus)"
check_eq "guest uses 3 MSI vectors" 3 "$(j .guest.msi_vectors)"
check_eq "one rx MSI per response (guest)" 1000 "$(j '.guest.irqs_by_vector."65"')"
check_eq "rx MSIs sent by host == taken by guest" "$(j '.guest.irqs_by_vector."65"')" "$(j '.vmm.msi."1".fired')"
check_eq "no tx MSIs (suppressed by the driver)" 0 "$(j '.vmm.msi."2".fired')"
check_eq "tx doorbell notifies: host == guest" "$(j .guest.queues.tx.notifies)" "$(j .vmm.queues.tx.notifies)"
check_eq "rx doorbell notifies: host == guest" "$(j .guest.queues.rx.notifies)" "$(j .vmm.queues.rx.notifies)"
check_eq "layout: rx doorbell address" $((0xd0000800)) "$(jq -r '.doorbells[0].gpa' "$T/l.json")"
check_eq "layout: tx doorbell address" $((0xd0000804)) "$(jq -r '.doorbells[1].gpa' "$T/l.json")"
check_eq "layout: vector 65 is rx" rx "$(jq -r '.vectors[] | select(.vector==65) | .queue' "$T/l.json")"
check_eq "layout: no IOAPIC pin" null "$(jq -r .ioapic_pin "$T/l.json")"
check_msi_plan "$T/l.json" "$T/r.json" "3 vectors"
check_doorbell_plan "$T/l.json" "$T/r.json" $((0xd0000800)) 4 4 "3 vectors"
check_eq "layout: v3 doorbells take any value" "null null" \
	"$(jq -r '[.queues[].notify.datamatch] | map(tostring) | join(" ")' "$T/l.json")"

# Fewer vectors than queues + 1: rx and tx share vector 1, as virtio-pci falls back.
"$VMM" --profile mmio-v3 --guest "$GUEST" --transactions 300 --msi-vectors 2 \
	--json "$T/r.json" --layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status (2 vectors)" 0 $?
check_msi_plan "$T/l.json" "$T/r.json" "2 vectors"
check_eq "2 vectors: rx and tx published on one entry" "1 1" \
	"$(jq -r '[.queues[].msi.index] | map(tostring) | join(" ")' "$T/l.json")"
check_eq "shared vector carries every response" 300 "$(j '.guest.irqs_by_vector."65"')"
check_eq "guest programmed 2 vectors" 2 "$(j .guest.msi_vectors)"
"$VMM" --profile mmio-v3 --guest "$GUEST" --transactions 300 --msi-vectors 1 \
	--json "$T/r.json" --layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status (1 vector: everything on vector 0)" 0 $?
check_msi_plan "$T/l.json" "$T/r.json" "1 vector"
check_eq "config vector carries every response" 300 "$(j '.guest.irqs_by_vector."64"')"
done_testing
