#!/usr/bin/env bash
# irqpath-trace against the trace-exerciser fixture (a tiny VMM whose guest
# does a known number of MMIO/PIO accesses and takes a known number of MSIs
# and IOAPIC interrupts): host counts must equal the fixture's own counts,
# for both backends, while a second VM runs the same pattern beside it (so
# the -p filter and the kworker attribution rule are both exercised).
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
TRACE=$BIN/irqpath-trace
FIX=$IRQPATH_BUILD/fixtures/trace-exerciser
require "$TRACE" "$FIX"
require_cmd jq
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

ARGS=(--reads 13 --acks 7 --notify0 5 --notify1 9 --pio 11 --msi 40 --level 30)

# decoy: another VM with the same pins/vectors, running while we trace
decoy() { "$FIX" --msi 600 --level 600 --gap-us 2500 >"$T/decoy.json" 2>&1 & echo $!; }

for backend in bpf tracefs; do
	dpid=$(decoy)
	"$TRACE" record --backend "$backend" --device mmio-legacy@0xd0000000 -o "$T/$backend.json" \
		-- "$FIX" --start-delay-ms 200 "${ARGS[@]}" >"$T/fix-$backend.json" 2>"$T/err-$backend.txt"
	rc=$?
	check "$backend: a second VM was running throughout" kill -0 "$dpid"
	wait "$dpid"
	check_eq "$backend: record -- fixture exits 0" 0 "$rc"
	[ "$rc" -eq 0 ] || { sed 's/^/# /' "$T/err-$backend.txt"; continue; }
	J=$T/$backend.json
	X=$T/fix-$backend.json
	q() { jq -r "$1" "$J"; }
	x() { jq -r "$1" "$X"; }
	check_eq "$backend: schema" "irqpath-trace/1" "$(q .schema)"
	check_eq "$backend: backend named" "$backend" "$(q .backend)"
	check_eq "$backend: pid is the command's" "$(x .pid)" "$(q .pid)"
	check_eq "$backend: exit source on this host" "derived" "$(q .exit_source)"
	check_eq "$backend: InterruptStatus reads" "$(x .status_reads)" "$(q '.mmio_by_register.InterruptStatus.reads')"
	check_eq "$backend: InterruptACK writes" "$(x .acks)" "$(q '.mmio_by_register.InterruptACK.writes')"
	check_eq "$backend: notifies rx (ioeventfd, no exit)" "$(x .notifies.rx)" "$(q .notifies.rx)"
	check_eq "$backend: notifies tx" "$(x .notifies.tx)" "$(q .notifies.tx)"
	check_eq "$backend: PIO 0x620 writes" "$(x .pio_0x620)" "$(q '.pio_by_port["0x620"].writes')"
	check_eq "$backend: MSIs on vector 65" "$(x .msi.handled)" "$(q '.msi_by_vector["65"].count')"
	check_eq "$backend: IOAPIC pin 5 EOIs" "$(x .level.handled)" "$(q '.ioapic["5"].eoi')"
	check_eq "$backend: pin 5 raised (kvm_set_irq gsi 5)" "$(x .level.handled)" "$(q '.set_irq_by_gsi["5"].raise')"
	check_ge "$backend: IOAPIC pin 5 set_irq" "$(x .level.handled)" "$(q '.ioapic["5"].set_irq')"
	check_eq "$backend: x2APIC EOI MSR writes" "$(x .guest_eois)" "$(q .totals.x2apic_eoi)"
	# irqfd on an IOAPIC pin injects from a kworker: those must be kept
	check_eq "$backend: kworker-context events attributed to the VM" \
		"$(( $(x .level.handled) * 3 ))" "$(q .events_by_context.kworker)"
	check_eq "$backend: no lost events" 0 "$(q .lost_events)"
	check_eq "$backend: one vCPU, mapped to id 0" "0" "$(q '.per_vcpu | keys | join(",")')"
	cp "$J" "$T/keep-$backend.json"
done

# the same run shape must give the same counts in both backends
if [ -s "$T/keep-bpf.json" ] && [ -s "$T/keep-tracefs.json" ]; then
	strip='del(.backend,.command,.duration_s,.pid,.per_vcpu[].tid)'
	check_eq "bpf and tracefs agree on every count" \
		"$(jq -S "$strip" "$T/keep-bpf.json")" "$(jq -S "$strip" "$T/keep-tracefs.json")"
fi
# --vcpu keeps one vCPU's events; kvm_emulate_insn only when asked
"$TRACE" record --vcpu 0 --device mmio-legacy@0xd0000000 -o "$T/v0.json" -- "$FIX" --msi 3 --level 4 --reads 6 >"$T/fv0.json" 2>/dev/null
check_eq "--vcpu 0: InterruptStatus reads of vCPU 0" "$(jq .status_reads "$T/fv0.json")" \
	"$(jq '.mmio_by_register.InterruptStatus.reads' "$T/v0.json")"
# the VMM thread injects the MSIs; their destination (APIC id 0) takes them
check_eq "--vcpu 0: the MSIs aimed at vCPU 0 are vCPU 0's" "$(jq .msi.handled "$T/fv0.json")" "$(jq .totals.msi "$T/v0.json")"
"$TRACE" record --vcpu 1 -o "$T/v1.json" -- "$FIX" --msi 3 --level 4 >/dev/null 2>&1
check_eq "--vcpu 1 on a one-vCPU VM: no MMIO" 0 "$(jq .totals.mmio "$T/v1.json")"
check_eq "kvm_emulate_insn not attached by default" null "$(jq -c .emulated_instructions "$T/keep-bpf.json")"
for backend in bpf tracefs; do
	"$TRACE" record --backend "$backend" --emulate-insn -o "$T/e-$backend.json" -- "$FIX" >/dev/null 2>&1
	check_ge "--emulate-insn ($backend): emulated instructions counted" 100 \
		"$(jq '.emulated_instructions.ok // 0' "$T/e-$backend.json")"
done
# BPF aggregates in kernel and loses nothing; the tracefs buffer also takes
# every other VM's emulated instructions and may overflow under host load,
# which it must then report: counted + lost covers BPF's count, and with
# nothing lost the counts are equal
bsum=$(jq '.emulated_instructions | .ok + .failed' "$T/e-bpf.json")
tsum=$(jq '(.emulated_instructions // {ok: 0, failed: 0}) | .ok + .failed' "$T/e-tracefs.json")
tlost=$(jq .lost_events "$T/e-tracefs.json")
check_ge "--emulate-insn: tracefs counted + lost >= bpf's count" "$bsum" "$((tsum + tlost))"
if [ "$tlost" -eq 0 ]; then
	check_eq "--emulate-insn: both backends agree (nothing lost)" "$(jq -c .emulated_instructions "$T/e-bpf.json")" \
		"$(jq -c .emulated_instructions "$T/e-tracefs.json")"
fi
check "no tracefs instance left behind" bash -c '! ls -d /sys/kernel/tracing/instances/irqpath-trace-* 2>/dev/null'
done_testing
