#!/usr/bin/env bash
# irqpath-trace against irqpath-vmm micro-guest runs, per profile: the host
# counts of InterruptStatus reads, InterruptACK writes, notifies per queue
# and MSIs per vector equal the guest mailbox's counts exactly; IOAPIC
# set_irq and EOIs are reported per pin; the BPF and the tracefs backend,
# attached to the same run at the same time, report identical counts; MSIs
# are named from the vector plan the VMM publishes in its layout file, and
# a tracer given only --device (no layout) leaves them unnamed.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
TRACE=$BIN/irqpath-trace
VMM=$BIN/irqpath-vmm
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$TRACE" "$VMM" "$GUEST"
require_cmd jq
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
N=200

wait_attached() { # FILE...: each tracer's stderr says it is attached
	for _ in $(seq 150); do
		local all=1
		for f in "$@"; do grep -q "attached" "$f" 2>/dev/null || all=0; done
		[ "$all" -eq 1 ] && return 0
		sleep 0.1
	done
	return 1
}

for p in mmio-legacy mmio-v3 pci; do
	D=$T/$p; mkdir -p "$D"
	# the VM waits for a go file, so both tracers attach before it starts
	sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$D/go" \
		"$VMM" --profile "$p" --guest "$GUEST" --transactions $N --json "$D/vmm.json" \
		--layout "$D/layout.json" --console /dev/null -q 2>"$D/vmm.err" &
	vpid=$!
	"$TRACE" record --backend bpf -p "$vpid" --layout "$D/layout.json" -o "$D/bpf.json" 2>"$D/bpf.err" &
	bpid=$!
	"$TRACE" record --backend tracefs -p "$vpid" --layout "$D/layout.json" -o "$D/tracefs.json" 2>"$D/tracefs.err" &
	tpid=$!
	errs=("$D/bpf.err" "$D/tracefs.err") dpid=
	case $p in
	mmio-v3) dev=mmio-v3@0xd0000000 ;;
	pci) dev=pci@0xe0000000 ;;
	*) dev= ;;
	esac
	if [ -n "$dev" ]; then
		"$TRACE" record --backend bpf -p "$vpid" --device "$dev" -o "$D/dev.json" 2>"$D/dev.err" &
		dpid=$!
		errs+=("$D/dev.err")
	fi
	if ! wait_attached "${errs[@]}"; then
		fail "$p: tracers did not attach: $(cat "${errs[@]}")"
		kill "$vpid" "$bpid" "$tpid" $dpid 2>/dev/null; wait
		continue
	fi
	touch "$D/go"
	wait "$vpid"; vrc=$?
	wait "$bpid"; brc=$?
	wait "$tpid"; trc=$?
	drc=0; [ -n "$dpid" ] && { wait "$dpid"; drc=$?; }
	check_eq "$p: irqpath-vmm run succeeds" 0 "$vrc"
	[ "$vrc" -eq 0 ] || { sed 's/^/# /' "$D/vmm.err" | tail -5; continue; }
	check_eq "$p: bpf tracer exits 0 when the VM exits" 0 "$brc"
	check_eq "$p: tracefs tracer exits 0 when the VM exits" 0 "$trc"
	g() { jq -r "$1" "$D/vmm.json"; }
	check_eq "$p: guest completed the transactions" $N "$(g .result.transactions)"
	for b in bpf tracefs; do
		J=$D/$b.json
		h() { jq -r "$1" "$J"; }
		check_eq "$p/$b: layout used" "$p" "$(h .layout)"
		check_eq "$p/$b: InterruptStatus reads = guest status_reads" "$(g .guest.status_reads)" \
			"$(h '(.mmio_by_register.InterruptStatus // .mmio_by_register.isr).reads // 0')"
		check_eq "$p/$b: InterruptACK writes = guest acks" "$(g .guest.acks)" \
			"$(h '.mmio_by_register.InterruptACK.writes // 0')"  # pci: reading the ISR acks
		for q in rx tx; do
			check_eq "$p/$b: notifies $q = guest notifies" "$(g ".guest.queues.$q.notifies")" "$(h ".notifies.$q // 0")"
		done
		if [ "$p" = mmio-legacy ]; then
			legacy=$(g '.guest.irqs_by_vector["48"] // 0')
			check_ge "$p/$b: legacy interrupts taken" $N "$legacy"
			check_eq "$p/$b: IOAPIC pin 5 EOIs = interrupts on the pin's vector" "$legacy" "$(h '.ioapic["5"].eoi')"
			check_ge "$p/$b: IOAPIC pin 5 set_irq reported" "$legacy" "$(h '.ioapic["5"].set_irq')"
			check_eq "$p/$b: no MSIs" 0 "$(h .totals.msi)"
		else
			check_eq "$p/$b: MSIs per vector = guest interrupts per vector" \
				"$(jq -cS '.guest.irqs_by_vector | to_entries | map(select(.value > 0)) | from_entries' "$D/vmm.json")" \
				"$(h '.msi_by_vector | map_values(.count)' | jq -cS .)"
			check_eq "$p/$b: rx vector named from the layout" "rx" \
				"$(h '[.msi_by_vector[] | select(.queue == "rx")] | length | if . == 1 then "rx" else . end')"
			check_eq "$p/$b: the rx vector is the one the VMM published for rx" \
				"$(jq -r '.queues[] | select(.queue == "rx") | .msi.vector' "$D/layout.json")" \
				"$(h '.msi_by_vector | to_entries[] | select(.value.queue == "rx") | .key')"
		fi
		check_eq "$p/$b: no lost events" 0 "$(h .lost_events)"
	done
	if [ -n "$dpid" ]; then
		check_eq "$p/--device: tracer exits 0" 0 "$drc"
		check_eq "$p/--device: MSIs counted, left unnamed without a layout" \
			"$(jq -c '.msi_by_vector | map_values(.count)' "$D/bpf.json")/[null]" \
			"$(jq -c '.msi_by_vector | map_values(.count)' "$D/dev.json")/$(jq -c '[.msi_by_vector[].queue] | unique' "$D/dev.json")"
		check_eq "$p/--device: doorbells named from the device kind" \
			"$(g .guest.queues.rx.notifies)/$(g .guest.queues.tx.notifies)" \
			"$(jq -r '"\(.notifies.rx // 0)/\(.notifies.tx // 0)"' "$D/dev.json")"
	fi
	# exit latencies are timed by each backend's own clock: counts only
	strip='del(.backend,.duration_s,.exit_latency_log2_ns)'
	check_eq "$p: bpf and tracefs report identical counts for the same run" \
		"$(jq -cS "$strip" "$D/bpf.json")" "$(jq -cS "$strip" "$D/tracefs.json")"
done
done_testing
