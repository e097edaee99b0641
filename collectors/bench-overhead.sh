#!/usr/bin/env bash
# bench-overhead.sh: how much does irqpath-trace slow the guest down?
# Alternates micro-guest runs without and with the tracer attached and
# prints trans/s(traced) / trans/s(plain) per pair, as mean ± stddev.
#
# usage: collectors/bench-overhead.sh [--profile P] [--pairs N] [--transactions N]
#                                     [--backend bpf|tracefs] [--build DIR] [--json FILE]
# exit: 0 ok, 1 a run failed, 2 usage
set -u
PROFILE=mmio-legacy PAIRS=5 TRANS=2000 BACKEND=bpf BUILD=build JSON=
while [ $# -gt 0 ]; do
	case $1 in
	--profile) PROFILE=$2; shift 2 ;;
	--pairs) PAIRS=$2; shift 2 ;;
	--transactions) TRANS=$2; shift 2 ;;
	--backend) BACKEND=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--json) JSON=$2; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-overhead: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case $PAIRS$TRANS in *[!0-9]*) echo "bench-overhead: --pairs/--transactions need numbers" >&2; exit 2 ;; esac
VMM=$BUILD/bin/irqpath-vmm TRACE=$BUILD/bin/irqpath-trace GUEST=$BUILD/guest/microguest.elf
for f in "$VMM" "$TRACE" "$GUEST"; do
	[ -e "$f" ] || { echo "bench-overhead: missing $f (run make)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "bench-overhead: needs jq" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/irqpath-bench-overhead.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

vm=("$VMM" --profile "$PROFILE" --guest "$GUEST" --transactions "$TRANS" --console /dev/null -q)
rate() { jq -r '.result.trans_per_s' "$1"; }
ratios=() plain=() traced=()
for i in $(seq "$PAIRS"); do
	# alternate which one goes first, so drift on the host hits both alike
	for mode in $( [ $((i % 2)) -eq 1 ] && echo "plain traced" || echo "traced plain"); do
		if [ "$mode" = plain ]; then
			"${vm[@]}" --json "$T/p.json" || { echo "bench-overhead: plain run failed" >&2; exit 1; }
		else
			"$TRACE" record --backend "$BACKEND" -o "$T/trace.json" -- "${vm[@]}" --json "$T/t.json" 2>"$T/err" ||
				{ cat "$T/err" >&2; echo "bench-overhead: traced run failed" >&2; exit 1; }
		fi
	done
	p=$(rate "$T/p.json") t=$(rate "$T/t.json")
	plain+=("$p") traced+=("$t")
	ratios+=("$(awk -v a="$t" -v b="$p" 'BEGIN { printf "%.4f", a / b }')")
	printf 'pair %d: plain %.1f trans/s, traced %.1f trans/s, ratio %s\n' "$i" "$p" "$t" "${ratios[-1]}"
done
stats() { printf '%s\n' "$@" | awk '{ s += $1; q += $1 * $1; n++ } END {
	m = s / n; v = n > 1 ? (q - n * m * m) / (n - 1) : 0; if (v < 0) v = 0; printf "%.4f %.4f", m, sqrt(v) }'; }
read -r rm rs <<<"$(stats "${ratios[@]}")"
rmed=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
read -r pm ps <<<"$(stats "${plain[@]}")"
read -r tm ts <<<"$(stats "${traced[@]}")"
printf 'profile %s, backend %s, %d pairs of %d transactions\n' "$PROFILE" "$BACKEND" "$PAIRS" "$TRANS"
printf 'plain  %.1f ± %.1f trans/s\ntraced %.1f ± %.1f trans/s\nratio traced/plain %.4f ± %.4f (median %.4f; target >= 0.99)\n' \
	"$pm" "$ps" "$tm" "$ts" "$rm" "$rs" "$rmed"
if [ -n "$JSON" ]; then
	jq -n --arg profile "$PROFILE" --arg backend "$BACKEND" --argjson pairs "$PAIRS" --argjson tr "$TRANS" \
		--argjson rm "$rm" --argjson rs "$rs" --argjson rmed "$rmed" --argjson pm "$pm" --argjson tm "$tm" \
		--argjson ratios "$(printf '%s\n' "${ratios[@]}" | jq -s .)" \
		'{schema:"irqpath-trace-overhead/1",profile:$profile,backend:$backend,pairs:$pairs,transactions:$tr,
		  plain_trans_per_s:$pm,traced_trans_per_s:$tm,ratio:{mean:$rm,stddev:$rs,median:$rmed,values:$ratios}}' >"$JSON.tmp" &&
		mv "$JSON.tmp" "$JSON"
fi
