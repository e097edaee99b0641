#!/usr/bin/env bash
# irqpath-bench on QEMU's own devices (profiles qemu-mmio and qemu-pci): the
# micro-guest under irqpath-qemu-micro, irqpath-trace attached to QEMU's pid.
# Host counts must be present and equal the guest's mailbox where both count
# the same thing; then one run with irqpath-vmm's mmio-legacy and pci next
# to QEMU's devices must give the report's side-by-side with its "why" lines.
# SIGINT mid-run stops QEMU, the runner and the tracer. About 50 s (q35 boots SeaBIOS).
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF; irqpath-qemu-micro makes a netns"
B=$BIN/irqpath-bench
R=$BIN/irqpath-report
require "$B" "$R" "$BIN/irqpath-qemu-micro" "$BIN/irqpath-trace" "$BIN/irqpath-reflect" \
	"$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq qemu-system-x86_64
T=$(tmpdir)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
N=200
REPS=1 # each q35 repetition boots SeaBIOS (3-12 s)

# --- `make bench PROFILE=all VMM=qemu`: all on qemu with the micro-guest ---
run=$("$B" --profile all --vmm-kind qemu -n $N -r $REPS --out "$T/res" --run-id all 2>"$T/all.err")
check_eq "all on qemu: exit 0" 0 $? || cat "$T/all.err" >&2
check "all on qemu names the QEMU profiles" grep -q "all on qemu: qemu-mmio and qemu-pci" "$T/all.err"
check_eq "all on qemu: two results files" "qemu-mmio.json qemu-pci.json" "$(ls "$run" 2>/dev/null | grep json | xargs)"
for p in qemu-mmio qemu-pci; do
	f=$run/$p.json
	check "$p: results valid" "$R" validate "$f"
	check_eq "$p: vmm qemu, micro-guest, runner qemu-micro" "qemu microguest qemu-micro" \
		"$(jq -r '.profile | "\(.vmm) \(.guest) \(.runner)"' "$f")"
	check_eq "$p: $REPS repetitions ok" $REPS "$(jq '[.repetitions[] | select(.status == "ok")] | length' "$f")"
	check_eq "$p: tracer used, KVM counters" "true true" "$(jq -r '"\(.tracer.available) \(.kvm_counters)"' "$f")"
	check_eq "$p: every repetition traced QEMU's own pid" true \
		"$(jq '[.repetitions[] | .raw.trace.pid == .raw.qemu_micro.pid and .qemu.pid == .raw.qemu_micro.pid] | all' "$f")"
	check_eq "$p: host exit counts not null and > 0" true \
		"$(jq '[.repetitions[].counts["exits_per_txn.total"]] | all(. != null and . > 0)' "$f")"
	check_eq "$p: irqpath-vmm's own rows are null, not zero" "null null" \
		"$(jq -r '.repetitions[0].counts | "\(.["vmm.userspace_exits_per_txn"]) \(.["vmm.doorbells_per_txn"])"' "$f")"
	bad=$(jq -r '[.agreement | to_entries[] | select(.value.agree != true) | .key] | join(",")' "$f")
	check_eq "$p: every guest/host agreement holds" "" "$bad"
	# the same, recomputed from the raw documents: host counts = guest mailbox
	for r in $(seq 0 $((REPS - 1))); do
		g() { jq -r ".repetitions[$r].raw.qemu_micro.guest$1" "$f"; }
		c() { jq -r ".repetitions[$r].counts[\"$1\"]" "$f"; }
		check_eq "$p rep $r: InterruptStatus reads host = guest" "$(g .status_reads)" "$(c status_reads_per_txn)"
		check_eq "$p rep $r: InterruptACK writes host = guest" "$(g .acks)" "$(c acks_per_txn)"
		check_eq "$p rep $r: rx notifies host = guest" "$(g .queues.rx.notifies)" "$(c notifies_per_txn.rx)"
		check_eq "$p rep $r: tx notifies host = guest" "$(g .queues.tx.notifies)" "$(c notifies_per_txn.tx)"
		check_eq "$p rep $r: $N transactions" $N "$(jq ".repetitions[$r].transactions" "$f")"
	done
done
f=$run/qemu-mmio.json
check_eq "qemu-mmio: microvm with KVM's IOAPIC" "microvm on" "$(jq -r '.repetitions[0].qemu | "\(.machine) \(.irqchip)"' "$f")"
check_eq "qemu-mmio: IOAPIC EOIs compared" true "$(jq '.agreement.ioapic_eoi_per_txn.agree' "$f")"
for r in $(seq 0 $((REPS - 1))); do
	vec=$(jq -r ".repetitions[$r].raw.qemu_micro.device.vectors.legacy" "$f")
	check_eq "qemu-mmio rep $r: IOAPIC EOIs = interrupts the guest took on vector $vec" \
		"$(jq -r ".repetitions[$r].raw.qemu_micro.guest.irqs_by_vector[\"$vec\"]" "$f")" \
		"$(jq -r ".repetitions[$r].counts.ioapic_eoi_per_txn" "$f")"
	check_ge "qemu-mmio rep $r: at least one InterruptStatus read per transaction" \
		$N "$(jq -r ".repetitions[$r].counts.status_reads_per_txn" "$f")"
done
f=$run/qemu-pci.json
check_eq "qemu-pci: q35" q35 "$(jq -r '.repetitions[0].qemu.machine' "$f")"
check_eq "qemu-pci: config vector left out, with the reason" "false true" \
	"$(jq -r '"\(.agreement | has("msis_per_txn.config")) \(.repetitions[0].agreement_note | test("config-vector"))"' "$f")"
for r in $(seq 0 $((REPS - 1))); do
	check_eq "qemu-pci rep $r: MSIs on the rx vector = the guest's rx interrupts" \
		"$(jq -r ".repetitions[$r].raw.qemu_micro.guest.queues.rx.interrupts" "$f")" \
		"$(jq -r ".repetitions[$r].counts[\"msis_per_txn.rx\"]" "$f")"
	check_eq "qemu-pci rep $r: no InterruptStatus reads" 0 "$(jq -r ".repetitions[$r].counts.status_reads_per_txn" "$f")"
done
check "no netns left" test -z "$(ip netns list | grep -E "irqpath-mg($(pgrep -d'|' -x irqpath-qemu-mi || echo none))\b")"
check "no work directory left" test -z "$(find "$TMPDIR" -maxdepth 1 -name 'irqpath-bench-*')"

# --- bad input: the micro-guest on qemu counts transactions ---
msg=$("$B" --profile qemu-pci -d 3 --out "$T/err" 2>&1)
check_eq "-d on qemu-pci: exit 2" 2 $?
check "-d on qemu-pci: says why" grep -q "irqpath-qemu-micro runs -n" <<<"$msg"
check "-d on qemu-pci: nothing written" test ! -e "$T/err"

# --- SIGINT while QEMU runs under the tracer: everything stopped, nothing written ---
"$B" --profile qemu-pci -n 100000 -r 1 --out "$T/sig" --run-id sig -q >"$T/sig.out" 2>&1 &
BP=$!
ok_wait=0
for _ in $(seq 300); do pids_of trace tmp >/dev/null && { ok_wait=1; break; }; sleep 0.1; done
check_eq "tracer attached to QEMU before the signal" 1 $ok_wait
kill -INT $BP
wait $BP
check_eq "SIGINT: exit 130" 130 $?
check "SIGINT: no irqpath-qemu-micro left" test -z "$(pids_of qemu-micro tmp)"
check "SIGINT: no tracer left" test -z "$(pids_of trace tmp)"
check "SIGINT: no QEMU left" test -z "$(pgrep -f "qemu-system-x86_64 .*$T/tmp")"
check "SIGINT: no results" test -z "$(ls "$T/sig/sig" 2>/dev/null)"

# --- irqpath-vmm's devices next to QEMU's: the side-by-side ---
run=$("$B" --profile mmio-legacy,pci,qemu-mmio,qemu-pci -n $N -r 1 -w 0 --baseline-transactions 1 \
	--out "$T/res" --run-id sbs 2>"$T/sbs.err")
check_eq "four profiles, baseline: exit 0" 0 $? || cat "$T/sbs.err" >&2
"$R" "$run" >/dev/null 2>"$T/report.err"
check_eq "report exits 0" 0 $?
txt=$run/report.txt
check "side-by-side section" grep -q "^irqpath-vmm vs QEMU, the micro-guest on each VMM's devices" "$txt"
check "marginal figures" grep -q "per transaction, marginal against the baseline run" "$txt"
check "mmio pair" grep -q "^mmio-legacy (irqpath-vmm) vs qemu-mmio (QEMU -M microvm, irqchip on)" "$txt"
check "pci pair" grep -q "^pci (irqpath-vmm) vs qemu-pci (QEMU -M q35" "$txt"
check_eq "two explanation blocks" 2 "$(grep -c '^Why they differ:' "$txt")"
for row in "exits, all causes" "userspace exits" "InterruptStatus reads" "InterruptACK writes" "LAPIC EOIs" "MSIs rx"; do
	check "table row: $row" grep -q "^$row " "$txt"
done
# every row whose two figures differ has its "why" line, built from the run
sect=$(sed -n '/^irqpath-vmm vs QEMU/,/^Closing note/p' "$txt")
flat=$(sed -n '/^irqpath-vmm vs QEMU/,$p' "$txt" | tr '\n' ' ' | tr -s ' ')
rows=$(gawk 'match($0, /^(.*[^ ]) +([-0-9.]+|n\/a) +([-0-9.]+|n\/a) +([-0-9.]+|n\/a)$/, m) &&
	m[4] != "0.00" && m[4] != "-0.00" { l = m[1]; sub(/^ +/, "", l); print l }' <<<"$sect")
check "the table has differing rows" test -n "$rows"
missing=$(while read -r l; do grep -qF -- "- $l:" <<<"$sect" || echo "[$l]"; done <<<"$rows" | tr '\n' ' ')
check_eq "every differing row is explained" "" "$missing"
# when the status reads differ, the why quotes the guest's spurious reads
if grep -qx "InterruptStatus reads" <<<"$rows"; then
	check "spurious re-deliveries quoted from the guest" grep -qE "acks\) irqpath-vmm [0-9.]+, QEMU [0-9.]+ per" <<<"$flat"
else
	check "equal status reads: no why line for them" test -z "$(grep -F -- "- InterruptStatus reads:" <<<"$sect")"
fi
check "QEMU's debugcon report named for port I/O" grep -q "isa-debugcon" "$txt"
check "closing note compares both pairs" grep -qE "Closing note: Per transaction QEMU's virtio-mmio costs [0-9.]+ exits .*QEMU's virtio-pci costs [0-9.]+ exits" <<<"$flat"
check "closing note gives the why" grep -q "virtio-mmio has no irqfd" <<<"$flat"
check_eq "section fits 72 columns" 0 "$(sed -n '/^irqpath-vmm vs QEMU/,/^$/p' "$txt" | awk 'length > 72' | wc -l)"
check "the Markdown carries it" grep -q "irqpath-vmm vs QEMU" "$run/report.md"
check "the HTML carries it" grep -q "irqpath-vmm vs QEMU" "$run/report.html"
done_testing
