#!/usr/bin/env bash
# Stall benchmark of the svm-tcg host: in one L1 boot, RUNS consecutive
# micro-guest runs of N transactions per profile (default 20 x 1000), each
# with a per-run timeout; prints per run and per profile how many completed
# and how many stalled (irqpath-vmm timed out with the guest halted: the
# QEMU 7.2 interrupt-shadow defect, README.md), and trans/s of the
# completed runs. Runner options (--qemu, --allow-bad-qemu, --timeout, ...)
# pass through to irqpath-svmhost.
#
# Usage: bench-stalls.sh [--build DIR] [--runs R] [--transactions N]
#                        [--run-timeout S] [--profiles "P..."] [RUNNER-OPTIONS]
# Exit codes: 0 every run completed, 1 a run stalled or failed, 2 usage,
# else the runner's (124 timeout, 125 L1 failure).
set -u
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
usage() { sed -n '2,14p' "$here/bench-stalls.sh" | sed 's/^# \{0,1\}//'; }

# ---- inside L1: the loop ----
if [ "${1:-}" = --inner ]; then
	B=$2 RUNS=$3 N=$4 RT=$5 PROFILES=$6
	T=$(mktemp -d)
	fails=0
	printf '%-12s %4s  %-9s %9s\n' profile run status trans/s
	for p in $PROFILES; do
		ok=0 stalled=0 failed=0 rates=()
		for r in $(seq "$RUNS"); do
			"$B/bin/irqpath-vmm" --profile "$p" --guest "$B/guest/microguest.elf" --transactions "$N" \
				--timeout "$RT" --json "$T/r.json" --console /dev/null -q 2>"$T/r.err"
			rc=$?
			done_n=$(jq -r '.result.transactions // 0' "$T/r.json" 2>/dev/null || echo 0)
			if [ "$rc" -eq 0 ] && [ "$done_n" = "$N" ]; then
				st=completed ok=$((ok + 1))
				rate=$(jq -r '.result.trans_per_s | floor' "$T/r.json")
				rates+=("$rate")
			elif grep -q "timeout after" "$T/r.err"; then
				st=stalled stalled=$((stalled + 1)) rate=-
				# where the guest sat (the VMM's vCPU dump)
				grep -m1 -iE 'rip' "$T/r.err" | sed "s/^/  $p run $r: /"
			else
				st=failed failed=$((failed + 1)) rate=-
				tail -n 2 "$T/r.err" | sed "s/^/  $p run $r: /"
			fi
			printf '%-12s %4d  %-9s %9s\n' "$p" "$r" "$st" "$rate"
			rm -f "$T/r.json"
		done
		med=-
		[ ${#rates[@]} -gt 0 ] && med=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		echo "SUMMARY $p runs=$RUNS completed=$ok stalled=$stalled failed=$failed median_trans_per_s=$med" >>"$T/summary"
		[ $((stalled + failed)) -eq 0 ] || fails=1
	done
	echo
	echo "L1: Linux $(uname -r), QEMU ${IRQPATH_HOST_QEMU:-?} TCG -cpu ${IRQPATH_HOST_CPU_MODEL:-?}; $RUNS x $N transactions per profile, run timeout $RT s"
	cat "$T/summary"
	rm -rf "$T"
	exit $fails
fi

# ---- here: boot L1 once and run the loop there ----
B=$root/build RUNS=20 N=1000 RT=15 PROFILES="mmio-legacy mmio-v3 pci"
ropts=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--build) B=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--transactions) N=${2:?}; shift 2 ;;
	--run-timeout) RT=${2:?}; shift 2 ;;
	--profiles) PROFILES=${2:?}; shift 2 ;;
	--allow-bad-qemu | -q | --quiet) ropts+=("$1"); shift ;;
	--*) [ $# -ge 2 ] || { usage >&2; exit 2; }; ropts+=("$1" "$2"); shift 2 ;;
	*) usage >&2; echo "bench-stalls: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
for v in "$RUNS" "$N" "$RT"; do [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "bench-stalls: '$v' is not a positive number" >&2; exit 2; }; done
B=$(cd "$B" && pwd) || exit 2
for f in "$B/bin/irqpath-vmm" "$B/guest/microguest.elf"; do
	[ -e "$f" ] || { echo "bench-stalls: missing $f (make all)" >&2; exit 2; }
done
exec "$here/irqpath-svmhost" --build "$B" "${ropts[@]+"${ropts[@]}"}" -- \
	bash "$here/bench-stalls.sh" --inner "$B" "$RUNS" "$N" "$RT" "$PROFILES"
