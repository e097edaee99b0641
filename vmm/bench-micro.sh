#!/usr/bin/env bash
# bench-micro: the three transports side by side on the micro-guest, one run.
#
# For each profile, two traced runs (N and 2N transactions) under
# irqpath-trace; per-transaction figures are (count(2N) - count(N)) / N, so
# device setup and guest boot cancel out exactly. Prints a table and, with
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
 "doorbells": (.vmm.guest.queues.tx.notifies + .vmm.guest.queues.rx.notifies)
}'
metrics() { # TAG -> JSON object of raw counts
	jq -n --slurpfile v "$T/$1.vmm.json" --slurpfile t "$T/$1.trace.json" \
		"{vmm: \$v[0], trace: \$t[0], guest_irqs: (\$v[0].guest.irqs_by_vector)} | $METRICS"
}

echo "bench-micro: $N and $((2 * N)) transactions per profile, $ROUNDS rounds (profiles alternate)" >&2
for r in $(seq "$ROUNDS"); do
	for p in $PROFILES; do
		printf '  round %d/%d %-12s\r' "$r" "$ROUNDS" "$p" >&2
		run "$p" "$N" "$p.$r.a"
		run "$p" "$((2 * N))" "$p.$r.b"
		jq -n --argjson a "$(metrics "$p.$r.a")" --argjson b "$(metrics "$p.$r.b")" --argjson n "$N" \
			'[$a, $b] as [$a, $b] | ($b | to_entries | map({key, value:
			 (if .key == "trans_per_s" then .value else (.value - $a[.key]) / $n end)}) | from_entries)' \
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
    "exits per interrupt"] as $labels |
   ["trans_per_s", "exits", "userspace_exits", "mmio_exits", "msr_exits", "interrupts",
    "status_reads", "acks", "ioapic_eois", "msis", "doorbells", "exits_per_irq"] as $keys |
   range(0; $keys | length) as $i |
   [$labels[$i]] + ($e | map(.value as $v |
     if $keys[$i] == "exits_per_irq" then
       (if $v.interrupts.mean > 0 then f(($v.exits.mean - $v.doorbells.mean) / $v.interrupts.mean) else "-" end)
     else "\(f($v[$keys[$i]].mean)) ±\(f($v[$keys[$i]].stddev))" end)) | @tsv)
' "$T/summary.json" | column -t -s $'\t'
echo "(exits per interrupt = (host exits - doorbell writes) / interrupts; per-transaction counts from 2N-N runs)"
[ -n "$JSON" ] && cp "$T/summary.json" "$JSON" && echo "wrote $JSON"
exit 0
