#!/usr/bin/env bash
# bench-micro: the three transports side by side on the micro-guest, one run.
#
# For each profile, two traced runs (1 and N transactions) under
# irqpath-trace; per-transaction figures are (count(N) - count(1)) / (N - 1),
# so device setup and guest boot (the same in both) cancel out, while events
# that happen at random (legacy's spurious re-deliveries) keep their rate. Prints a table and, with
# --json FILE, the same figures as JSON. Not a test: figures, not verdicts.
#
# Usage: vmm/bench-micro.sh [--transactions N] [--profiles "mmio-legacy mmio-v3 pci"]
#                           [--rounds R] [--json FILE]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
N=1000 ROUNDS=3 PROFILES="mmio-legacy mmio-v3 pci" JSON=
while [ $# -gt 0 ]; do
	case $1 in
	--transactions) N=$2; shift 2 ;;
	--profiles) PROFILES=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--json) JSON=$2; shift 2 ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "bench-micro: unknown option $1" >&2; exit 2 ;;
	esac
done
VMM=$BUILD/bin/irqpath-vmm TRACE=$BUILD/bin/irqpath-trace GUEST=$BUILD/guest/microguest.elf
for f in "$VMM" "$TRACE" "$GUEST"; do
	[ -e "$f" ] || { echo "bench-micro: $f is missing; run make first" >&2; exit 2; }
done
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# run PROFILE N TAG: one traced run, files $T/TAG.vmm.json and $T/TAG.trace.json
run() {
	"$TRACE" record -o "$T/$3.trace.json" --layout "$T/$3.layout.json" -- \
		"$VMM" --profile "$1" --guest "$GUEST" --transactions "$2" -q \
		--json "$T/$3.vmm.json" --layout "$T/$3.layout.json" 2>"$T/$3.err" ||
		{ echo "bench-micro: $1 run failed:" >&2; tail -5 "$T/$3.err" >&2; exit 1; }
}

# Metrics: name and the jq expression over {vmm: ..., trace: ...}.
METRICS='{
 "trans_per_s": .vmm.result.trans_per_s,
 "exits": .trace.totals.exits,
 "userspace_exits": .vmm.vmm.userspace_exits,
 "mmio_exits": (.trace.exits_by_reason.MMIO // 0),
 "msr_exits": (.trace.exits_by_reason.MSR // 0),
 "interrupts": ([.guest_irqs[]] | add // 0),
 "status_reads": .vmm.guest.status_reads,
 "acks": .vmm.guest.acks,
 "ioapic_eois": ([.trace.ioapic[]?.eoi] | add // 0),
 "msis": ([.trace.msi_by_vector[]?.count] | add // 0),
 "doorbells": (.vmm.guest.queues.tx.notifies + .vmm.guest.queues.rx.notifies),
 "irq_path_exits": ((.trace.mmio_by_register.InterruptStatus.reads // 0)
                    + (.trace.mmio_by_register.InterruptACK.writes // 0)
                    + (.trace.mmio_by_register.isr.reads // 0) + (.trace.totals.x2apic_eoi // 0)),
 "device_irqs": (([.vmm.vmm.queues[].interrupts] | add) + .vmm.vmm.config_interrupts)
}'
metrics() { # TAG -> JSON object of raw counts
	jq -n --slurpfile v "$T/$1.vmm.json" --slurpfile t "$T/$1.trace.json" \
		"{vmm: \$v[0], trace: \$t[0], guest_irqs: (\$v[0].guest.irqs_by_vector)} | $METRICS"
}

[ "$N" -ge 2 ] || { echo "bench-micro: --transactions must be at least 2" >&2; exit 2; }
echo "bench-micro: 1 and $N transactions per profile, $ROUNDS rounds (profiles alternate)" >&2
for r in $(seq "$ROUNDS"); do
	for p in $PROFILES; do
		printf '  round %d/%d %-12s\r' "$r" "$ROUNDS" "$p" >&2
		run "$p" 1 "$p.$r.a"
		run "$p" "$N" "$p.$r.b"
		jq -n --argjson a "$(metrics "$p.$r.a")" --argjson b "$(metrics "$p.$r.b")" --argjson n "$N" \
			'[$a, $b] as [$a, $b] | ($b | to_entries | map({key, value:
			 (if .key == "trans_per_s" then .value else (.value - $a[.key]) / ($n - 1) end)}) | from_entries)
			 # exits that only the interrupt path causes (status read, ack, ISR read,
			 # EOI) per interrupt the device sent: whole-run counts, no differencing
			 + {exits_per_device_irq: ($b.irq_path_exits / $b.device_irqs)}' \
			>"$T/$p.$r.per"
	done
done
echo >&2

# Aggregate rounds: mean and sample stddev of each metric per profile.
for p in $PROFILES; do jq -s --arg p "$p" '{($p): .}' "$T/$p".*.per; done | jq -s --argjson n "$N" --argjson r "$ROUNDS" '
  def stats: (add / length) as $m | {mean: $m, stddev: (if length > 1 then
    ((map((. - $m) * (. - $m)) | add) / (length - 1) | sqrt) else 0 end), n: length};
  {schema: "irqpath-bench-micro/1", transactions: $n, rounds: $r,
   profiles: (add | with_entries(.value |= (. as $rows | ($rows[0] | keys) |
     map({key: ., value: ([$rows[][.]] | stats)}) | from_entries)))}' >"$T/summary.json"

jq -r '
  def f(x): (x * 100 | round) / 100;
  .profiles | to_entries as $e |
  ["per transaction"] + ($e | map(.key)) | @tsv,
  (["trans/s (mean)", "exits (host, all)", "userspace exits", "MMIO exits", "MSR exits (EOI)",
    "interrupts", "status reads", "acks", "IOAPIC EOIs", "MSIs", "doorbells",
    "irq-path exits / device irq"] as $labels |
   ["trans_per_s", "exits", "userspace_exits", "mmio_exits", "msr_exits", "interrupts",
    "status_reads", "acks", "ioapic_eois", "msis", "doorbells", "exits_per_device_irq"] as $keys |
   range(0; $keys | length) as $i |
   [$labels[$i]] + ($e | map(.value as $v | "\(f($v[$keys[$i]].mean)) ±\(f($v[$keys[$i]].stddev))")) | @tsv)
' "$T/summary.json" | column -t -s $'\t'
echo "(per-transaction rows: N-run minus 1-run counts over N-1; irq-path exits = InterruptStatus/ISR"
echo " reads + InterruptACK writes + EOIs, per used-buffer interrupt the device sent, whole N run)"
[ -n "$JSON" ] && cp "$T/summary.json" "$JSON" && echo "wrote $JSON"
exit 0
