#!/usr/bin/env bash
# The guest-side scaling table: Linux under QEMU (TCG here) on each transport
# with 1, 2, 4... queue pairs and as many CPUs and pinned TCP_RR streams,
# from the guest's own view (irqpath-rr per stream, /proc/interrupts per
# CPU per vector). Needs root. See guest-agent/qemu/README.md.
#
# Usage: linux-scaling.sh [--queues 1,2,4] [--profiles pci,mmio-legacy]
#                         [--duration 3] [--smp N] [--out DIR]
# --smp defaults to the queue count of each run (one stream per CPU, one
# queue pair per stream). Results: DIR/<profile>-q<P>.json (irqpath-linux/1)
# and DIR/scaling.md (the table, also printed). Exit 1 if a run failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=$HERE/irqpath-qemu
[ -x "$RUN" ] || RUN=$(command -v irqpath-qemu) || { echo "irqpath-qemu not found" >&2; exit 2; }
QUEUES=1,2,4 PROFILES=pci,mmio-legacy DURATION=3 SMP= OUT=
while [ $# -gt 0 ]; do
	case "$1" in
	--queues) QUEUES=$2 ;; --profiles) PROFILES=$2 ;; --duration) DURATION=$2 ;;
	--smp) SMP=$2 ;; --out) OUT=$2 ;;
	-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "linux-scaling: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift 2 || { echo "linux-scaling: $1 needs a value" >&2; exit 2; }
done
: "${OUT:=results/linux-scaling-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT" || exit 1
failed=0
for p in ${PROFILES//,/ }; do
	for q in ${QUEUES//,/ }; do
		n=${SMP:-$q}
		echo "linux-scaling: $p, $q queue pair(s), $n CPU(s)" >&2
		# TCG with N vCPUs on a shared host boots slowly: generous limits
		"$RUN" --profile "$p" --smp "$n" --queues "$q" --duration "$DURATION" \
			--boot-wait 120 --timeout $((300 + 60 * n)) \
			--json "$OUT/$p-q$q.json" --console "$OUT/$p-q$q.console" >"$OUT/$p-q$q.out" 2>&1 ||
			{ echo "linux-scaling: $p q$q failed: $(tail -n 1 "$OUT/$p-q$q.out")" >&2; failed=1; }
	done
done
# One row per run; the heat map lists each vector's interrupts per CPU.
files=$(ls "$OUT"/*-q*.json 2>/dev/null)
[ -n "$files" ] || exit 1
jq -rs '
	"| transport | queue pairs | CPUs | streams | trans/s | interrupts / transaction | interrupts by CPU (vector: cpu0/cpu1/...) |",
	"|---|---|---|---|---|---|---|",
	(sort_by(.profile, .queue_pairs)[] |
	 # irqs_per_transaction counts the warm-up too, as the interrupts do
	 "| \(.profile) | \(.queue_pairs // 1) | \(.smp // 1) | \(.workload.streams // 1) | \(.trans_per_s * 10 | round / 10) | \([.irqs_per_transaction[] // 0] | add * 1000 | round / 1000) | \(. as $r | [.irqs | keys[] | . as $k | "\($k): \([$r.irqs_per_cpu // {} | to_entries | sort_by(.key | tonumber)[] | .value[$k]] | map(tostring) | join("/"))"] | join(", ")) |")' \
	$files | tee "$OUT/scaling.md"
echo "(TCG guests: interrupt counts are exact, trans/s are emulated-CPU timings on a shared host)" |
	tee -a "$OUT/scaling.md"
exit $failed
