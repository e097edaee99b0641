#!/usr/bin/env bash
# The scaling benchmark: every transport (mmio-legacy, mmio-v3, pci) at 1, 2
# and 4 queue pairs, as many vCPUs as pairs (the micro-guest runs one RR
# client per vCPU on its own pair), then the report; prints the scaling
# table (trans/s, exits, interrupts and IPIs per transaction) on stdout.
#
#   bench/scaling.sh [--build DIR] [--out DIR] [--queues LIST] [IRQPATH-BENCH ARGS...]
#   make bench-scaling [BENCH_SCALING_ARGS="-r 3 -n 1000"]
#
# Exit status: irqpath-bench's (1 if a repetition failed), else the report's.
set -u
build=build out=results queues=1,2,4
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--queues) queues=$2; shift 2 ;;
	-h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) break ;;
	esac
done
bin=$build/bin
run=$("$bin/irqpath-bench" --profile all --queues "$queues" --out "$out" "$@")
rc=$?
if [ -z "$run" ]; then # nothing written: irqpath-bench said why
	[ "$rc" -ne 0 ] || rc=1
	exit "$rc"
fi
"$bin/irqpath-report" -q "$run" >/dev/null || rc=$?
echo "run: $run (report: $run/report.html)"
echo
"$bin/irqpath-report" scaling "$run" || rc=$?
exit "$rc"
