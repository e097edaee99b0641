#!/usr/bin/env bash
# irqpath-vmm, profile pci: virtio-pci modern with MSI-X on real KVM.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_plan.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
j() { jq -r "$1" "$T/r.json"; }

"$VMM" --profile pci --guest "$GUEST" --transactions 1000 --json "$T/r.json" \
	--layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status" 0 $?
check_eq "transactions done" 1000 "$(j .result.transactions)"
check_eq "no ISR reads" 0 "$(j .guest.status_reads)"
check_eq "host saw no ISR read" null "$(j .vmm.pci_by_register.isr)"
check_eq "guest uses 3 MSI-X vectors" 3 "$(j .guest.msi_vectors)"
check_eq "one rx MSI-X per response" 1000 "$(j '.guest.irqs_by_vector."65"')"
check_eq "rx MSI-X sent by host == taken by guest" "$(j '.guest.irqs_by_vector."65"')" "$(j '.vmm.msi."1".fired')"
check_eq "MSI-X entry 1 serves rx" rx "$(j '.vmm.msi."1".queue')"
check_eq "tx doorbells: host == guest" "$(j .guest.queues.tx.notifies)" "$(j .vmm.queues.tx.notifies)"
check_eq "doorbells stayed in the kernel (no notify exits)" null "$(j .vmm.pci_by_register.notify)"
check_eq "layout: tx doorbell" $((0xe0003004)) "$(jq -r '.doorbells[1].gpa' "$T/l.json")"
check_eq "layout: vector 65 is rx" rx "$(jq -r '.vectors[] | select(.vector==65) | .queue' "$T/l.json")"
check_msi_plan "$T/l.json" "$T/r.json" "3 entries"
check_doorbell_plan "$T/l.json" "$T/r.json" $((0xe0003000)) 4 2 "3 entries"
check_eq "no device errors" 0 "$(j .vmm.device_errors)"

# A 2-entry table: config on 0, both queues share entry 1.
"$VMM" --profile pci --guest "$GUEST" --transactions 200 --msi-vectors 2 --json "$T/r.json" \
	--layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status (2 MSI-X entries)" 0 $?
check_msi_plan "$T/l.json" "$T/r.json" "2 entries"
check_eq "shared entry carries every response" 200 "$(j '.guest.irqs_by_vector."65"')"
# Doorbells as MMIO exits.
"$VMM" --profile pci --guest "$GUEST" --transactions 200 --notify exit --json "$T/r.json" -q >"$T/out" 2>&1
check_eq "exit status (--notify exit)" 0 $?
check_eq "notify exits == guest notifies" "$(j '.guest.queues.tx.notifies + .guest.queues.rx.notifies')" "$(j .vmm.pci_by_register.notify.writes)"
done_testing
