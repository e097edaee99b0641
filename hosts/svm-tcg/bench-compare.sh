#!/usr/bin/env bash
# Side by side, per profile: exits per transaction by reason and trans/s of
# the micro-guest in the svm-tcg L1 (kvm_amd: exits from kvm:kvm_exit, SVM
# reason names) and on this machine's own KVM (on kvm_pvm hosts kvm_exit
# never fires: the tracer derives exits from kvm_mmio/kvm_pio/kvm_msr).
# Reason names are lower-cased on both sides. Exits per transaction are marginal, (count at N2 - count at N1)/(N2 - N1),
# so set-up exits cancel; trans/s is the median of 3 untraced N2 runs.
# The JSON files stay in OUT (default BUILD/svm-tcg/compare/).
#
# Usage: bench-compare.sh [--build DIR] [--out DIR] [--n1 N] [--n2 N] [--render] [RUNNER-OPTIONS]
#   --render  only print the table from the files already in OUT
# Exit codes: 0 ok, 1 a run failed, 2 usage, else the runner's.
set -u
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
usage() { sed -n '2,13p' "$here/bench-compare.sh" | sed 's/^# \{0,1\}//'; }
M=$here/micro-trace.sh

# --measure DIR BUILD N1 N2 PROFILES: traced N1 and N2, untraced N2 x 3
# (run here and, by the runner, inside L1)
if [ "${1:-}" = --measure ]; then
	D=$2 B=$3 N1=$4 N2=$5 PROFILES=$6
	"$M" --build "$B" --out "$D" --transactions "$N1" $PROFILES &&
		"$M" --build "$B" --out "$D" --transactions "$N2" $PROFILES || exit 1
	for i in 1 2 3; do
		"$M" --build "$B" --out "$D/u$i" --transactions "$N2" --untraced $PROFILES || exit 1
	done
	uname -r >"$D/kernel"
	exit 0
fi
B=$root/build OUT= N1=100 N2=1000 PROFILES="mmio-legacy mmio-v3 pci" RENDER=0
ropts=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--build) B=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--n1) N1=${2:?}; shift 2 ;;
	--n2) N2=${2:?}; shift 2 ;;
	--render) RENDER=1; shift ;;
	--allow-bad-qemu | -q | --quiet) ropts+=("$1"); shift ;;
	--*) [ $# -ge 2 ] || { usage >&2; exit 2; }; ropts+=("$1" "$2"); shift 2 ;;
	*) usage >&2; echo "bench-compare: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[[ "$N1" =~ ^[1-9][0-9]*$ ]] && [[ "$N2" =~ ^[1-9][0-9]*$ ]] && [ "$N2" -gt "$N1" ] ||
	{ echo "bench-compare: need 0 < --n1 < --n2" >&2; exit 2; }
B=$(cd "$B" && pwd) || exit 2
: "${OUT:=$B/svm-tcg/compare}"
if [ "$RENDER" = 0 ]; then
rm -rf "$OUT" && mkdir -p "$OUT/native" "$OUT/svm-tcg" || exit 2
OUT=$(cd "$OUT" && pwd)
echo "bench-compare: this machine's KVM ($(uname -r))" >&2
bash "$here/bench-compare.sh" --measure "$OUT/native" "$B" "$N1" "$N2" "$PROFILES" ||
	{ echo "bench-compare: runs on this machine's KVM failed" >&2; exit 1; }
echo "bench-compare: the svm-tcg L1" >&2
"$here/irqpath-svmhost" --build "$B" --share "$OUT" "${ropts[@]+"${ropts[@]}"}" -- \
	bash "$here/bench-compare.sh" --measure "$OUT/svm-tcg" "$B" "$N1" "$N2" "$PROFILES"
rc=$?
[ "$rc" -eq 0 ] || { echo "bench-compare: runs in L1 failed (runner exit $rc)" >&2; exit 1; }
fi

# per side and profile: {source, reasons{name: per tx}, total, userspace, tps}
side() { # DIR PROFILE
	local d=$1 p=$2
	jq -n --slurpfile a "$d/$p-$N1.trace.json" --slurpfile b "$d/$p-$N2.trace.json" \
		--argjson n $((N2 - N1)) \
		--argjson tps "$(for i in 1 2 3; do jq '.result.trans_per_s' "$d/u$i/$p-$N2.untraced.vmm.json"; done |
			sort -n | sed -n 2p)" '
		def per(f): ((($b[0] | f) // 0) - (($a[0] | f) // 0)) / $n;
		{source: $b[0].exit_source,
		 reasons: ($b[0].exits_by_reason | keys | map(. as $k | {key: ($k | ascii_downcase), value: per(.exits_by_reason[$k])})
			| group_by(.key) | map({key: .[0].key, value: (map(.value) | add)}) | from_entries),
		 total: per(.totals.exits), userspace: per(.totals.userspace_exits), tps: $tps}'
}
f2() { awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.2f", x }'; }
echo
echo "Micro-guest, exits per transaction (marginal, $N1 -> $N2 transactions) and trans/s"
echo "L1: svm-tcg, Linux $(cat "$OUT/svm-tcg/kernel"), QEMU TCG -cpu max (TCG timings);"
echo "this KVM: $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
for p in $PROFILES; do
	L=$(side "$OUT/svm-tcg" "$p") H=$(side "$OUT/native" "$p")
	echo
	printf '%-28s %18s %18s\n' "$p" "L1 svm-tcg" "this KVM"
	printf '%-28s %18s %18s\n' "exit source" "$(jq -r .source <<<"$L")" "$(jq -r .source <<<"$H")"
	printf '%-28s %18s %18s\n' "exits/transaction, all" "$(f2 "$(jq .total <<<"$L")")" "$(f2 "$(jq .total <<<"$H")")"
	for r in $( (jq -r '.reasons | keys[]' <<<"$L"; jq -r '.reasons | keys[]' <<<"$H") | sort -u); do
		printf '  %-26s %18s %18s\n' "$r" "$(f2 "$(jq -r --arg r "$r" '.reasons[$r] // empty' <<<"$L")")" \
			"$(f2 "$(jq -r --arg r "$r" '.reasons[$r] // empty' <<<"$H")")"
	done
	printf '%-28s %18s %18s\n' "userspace exits/transaction" "$(f2 "$(jq .userspace <<<"$L")")" \
		"$(f2 "$(jq .userspace <<<"$H")")"
	printf '%-28s %18.0f %18.0f\n' "trans/s (untraced, median 3)" "$(jq .tps <<<"$L")" "$(jq .tps <<<"$H")"
done
cat <<'EON'

Why the columns differ: in L1 every exit is a kvm_exit with its SVM reason,
including hlt (the 1-vCPU guest halts waiting for the response), vintr (KVM
opening an interrupt window to inject the interrupt pending at sti; hlt)
and interrupt (host timer ticks). On kvm_pvm kvm_exit never fires: the
tracer counts only exits it can derive from kvm_mmio, kvm_pio and kvm_msr,
so halts and interrupt windows are not exits there. The device costs agree:
npf in L1 = MMIO in the derivation (doorbell; legacy adds the status read
and the ack), msr = the x2APIC EOI. L1 trans/s are TCG timings.
EON
