#!/usr/bin/env bash
# irqpath-vmm, profile mmio-legacy, on real KVM: the guest's own counts and
# the device's counts must agree exactly.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf
j() { jq -r "$1" "$T/r.json"; }

"$VMM" --profile mmio-legacy --guest "$GUEST" --transactions 1000 --json "$T/r.json" \
	--layout "$T/l.json" -q >"$T/out" 2>&1
check_eq "exit status" 0 $?
check_eq "transactions done" 1000 "$(j .result.transactions)"
check_eq "guest acks == non-zero status reads" "$(j '.guest.status_reads - .guest.status_zero')" "$(j .guest.acks)"
check_eq "host InterruptStatus reads == guest's" "$(j .guest.status_reads)" "$(j .vmm.mmio_by_register.InterruptStatus.reads)"
check_eq "host InterruptACK writes == guest's" "$(j .guest.acks)" "$(j .vmm.mmio_by_register.InterruptACK.writes)"
check_eq "host tx notifies (ioeventfd) == guest's" "$(j .guest.queues.tx.notifies)" "$(j .vmm.queues.tx.notifies)"
check_eq "host rx notifies == guest's" "$(j .guest.queues.rx.notifies)" "$(j .vmm.queues.rx.notifies)"
check_eq "frames reflected" 1000 "$(j .vmm.frames_reflected)"
check_eq "rx callbacks" 1000 "$(j .guest.queues.rx.callbacks)"
check_eq "every legacy interrupt read the status once" "$(j '.guest.irqs_by_vector."48"')" "$(j .guest.status_reads)"
check_eq "no device errors" 0 "$(j .vmm.device_errors)"
check_eq "doorbells never exited: no QueueNotify MMIO exits" null "$(j .vmm.mmio_by_register.QueueNotify)"
check_eq "layout names the IOAPIC pin" 5 "$(jq -r .ioapic_pin "$T/l.json")"
check_eq "layout has the guest's legacy vector" 48 "$(jq -r '.vectors[0].vector' "$T/l.json")"
check_eq "plan: both queues on the pin, at the vector the guest programmed" "5:48 5:48" \
	"$(jq -r '[.queues[].ioapic | "\(.pin):\(.vector)"] | join(" ")' "$T/l.json")"
check_eq "plan: the guest took its legacy interrupts on that vector" "$(j .guest.status_reads)" \
	"$(j ".guest.irqs_by_vector.\"$(jq -r '.queues[0].ioapic.vector' "$T/l.json")\"")"
check_eq "plan: no MSIs" "null null null" "$(jq -r '[.queues[].msi, .config.msi] | map(tostring) | join(" ")' "$T/l.json")"
check_eq "plan: QueueNotify, the value names the queue" "$((0xd0000050)):0 $((0xd0000050)):1" \
	"$(jq -r '[.queues[].notify | "\(.gpa):\(.datamatch)"] | join(" ")' "$T/l.json")"
check "latency percentiles ordered" jq -e '.result.latency_us | .p50 > 0 and .p50 <= .p90 and .p90 <= .p99' "$T/r.json"

# QueueNotify as a plain MMIO exit: every notify becomes a register write.
"$VMM" --profile mmio-legacy --guest "$GUEST" --transactions 200 --notify exit \
	--json "$T/r.json" -q >"$T/out" 2>&1
check_eq "exit status (--notify exit)" 0 $?
check_eq "QueueNotify exits == guest notifies" "$(j '.guest.queues.tx.notifies + .guest.queues.rx.notifies')" "$(j .vmm.mmio_by_register.QueueNotify.writes)"

# Duration mode stops on time with whole transactions only.
"$VMM" --profile mmio-legacy --guest "$GUEST" --duration 1 --json "$T/r.json" -q >"$T/out" 2>&1
check_eq "exit status (--duration)" 0 $?
check_ge "transactions in 1 s" 1 "$(j .result.transactions)"
check_eq "duration run: frames == transactions" "$(j .result.transactions)" "$(j .guest.queues.rx.callbacks)"
done_testing
