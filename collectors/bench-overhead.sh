#!/usr/bin/env bash
# bench-overhead.sh: how much does irqpath-trace slow the guest down?
# Alternates micro-guest runs without and with the tracer attached and
# prints trans/s(traced) / trans/s(plain) per pair, as mean ± stddev.
#
# usage: collectors/bench-overhead.sh [--profile P] [--pairs N] [--transactions N]
#                                     [--backend bpf|tracefs] [--build DIR] [--json FILE] [--no-control]
# exit: 0 ok, 1 a run failed, 2 usage
set -u
PROFILE=mmio-legacy PAIRS=5 TRANS=2000 BACKEND=bpf BUILD=build JSON= CONTROL=1
while [ $# -gt 0 ]; do
	case $1 in
	--profile) PROFILE=$2; shift 2 ;;
	--pairs) PAIRS=$2; shift 2 ;;
	--transactions) TRANS=$2; shift 2 ;;
	--backend) BACKEND=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--json) JSON=$2; shift 2 ;;
	--no-control) CONTROL=0; shift ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
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
wpid=
trap '[ -n "$wpid" ] && kill "$wpid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

vm=("$VMM" --profile "$PROFILE" --guest "$GUEST" --transactions "$TRANS" --console /dev/null -q)
# The tracer wakes every 100 ms to poll (tracefs: 25 ms). On this nested host any process
# that wakes that often makes the guest faster (the L1 CPUs idle less
# deeply), which alone gave "traced" runs +20%. So plain runs get a control
# process waking at the same period, without tracing: the ratio then
# measures the tracing itself. --no-control turns it off.
PERIOD=0.1
[ "$BACKEND" = tracefs ] && PERIOD=0.025 # it drains its buffer more often
start_waker() {
	if command -v perl >/dev/null; then
		perl -e "select(undef, undef, undef, $PERIOD) while 1" </dev/null >/dev/null &
	else (while :; do sleep $PERIOD; done) </dev/null >/dev/null & fi
	wpid=$!
}
rate() { jq -r '.result.trans_per_s' "$1"; }
ratios=() plain=() traced=() direct=()
for i in $(seq "$PAIRS"); do
	# alternate which one goes first, so drift on the host hits both alike
	for mode in $( [ $((i % 2)) -eq 1 ] && echo "plain traced" || echo "traced plain"); do
		if [ "$mode" = plain ]; then
			wpid=
			[ "$CONTROL" = 1 ] && start_waker
			"${vm[@]}" --json "$T/p.json"
			prc=$?
			[ -n "$wpid" ] && { kill "$wpid"; wait "$wpid" 2>/dev/null; }
			[ "$prc" -eq 0 ] || { echo "bench-overhead: plain run failed" >&2; exit 1; }
		else
			stats=()
			[ "$BACKEND" = bpf ] && stats=(--bpf-stats)
			"$TRACE" record --backend "$BACKEND" "${stats[@]}" -o "$T/trace.json" -- "${vm[@]}" --json "$T/t.json" 2>"$T/err" ||
				{ cat "$T/err" >&2; echo "bench-overhead: traced run failed" >&2; exit 1; }
		fi
	done
	p=$(rate "$T/p.json") t=$(rate "$T/t.json")
	plain+=("$p") traced+=("$t")
	ratios+=("$(awk -v a="$t" -v b="$p" 'BEGIN { printf "%.4f", a / b }')")
	# bpf: the programs' own run time per transaction, as a share of the
	# traced transaction's time (the direct cost, free of host noise)
	ns=$(jq -r '.bpf_stats.run_time_ns // empty' "$T/trace.json")
	[ -n "$ns" ] && direct+=("$(awk -v ns="$ns" -v n="$TRANS" -v r="$t" 'BEGIN { printf "%.6f", ns / n / (1e9 / r) }')")
	printf 'pair %d: plain %.1f trans/s, traced %.1f trans/s, ratio %s\n' "$i" "$p" "$t" "${ratios[-1]}"
done
stats() { printf '%s\n' "$@" | awk '{ s += $1; q += $1 * $1; n++ } END {
	m = s / n; v = n > 1 ? (q - n * m * m) / (n - 1) : 0; if (v < 0) v = 0; printf "%.4f %.4f", m, sqrt(v) }'; }
read -r rm rs <<<"$(stats "${ratios[@]}")"
rmed=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
read -r pm ps <<<"$(stats "${plain[@]}")"
read -r tm ts <<<"$(stats "${traced[@]}")"
printf 'profile %s, backend %s, %d pairs of %d transactions, plain runs %s a %s s control waker\n' \
	"$PROFILE" "$BACKEND" "$PAIRS" "$TRANS" "$([ "$CONTROL" = 1 ] && echo with || echo without)" "$PERIOD"
if [ ${#direct[@]} -gt 0 ]; then
	read -r dm ds <<<"$(stats "${direct[@]}")"
	printf 'direct cost (BPF run time): %.3f%% ± %.3f%% of each transaction, i.e. ratio >= %.4f\n' \
		"$(awk -v x="$dm" 'BEGIN { print x * 100 }')" "$(awk -v x="$ds" 'BEGIN { print x * 100 }')" \
		"$(awk -v x="$dm" 'BEGIN { print 1 - x }')"
else dm=null; fi
printf 'plain  %.1f ± %.1f trans/s\ntraced %.1f ± %.1f trans/s\nratio traced/plain %.4f ± %.4f (median %.4f; target >= 0.99)\n' \
	"$pm" "$ps" "$tm" "$ts" "$rm" "$rs" "$rmed"
if [ -n "$JSON" ]; then
	jq -n --arg profile "$PROFILE" --arg backend "$BACKEND" --argjson pairs "$PAIRS" --argjson tr "$TRANS" --argjson control "$CONTROL" \
		--argjson rm "$rm" --argjson rs "$rs" --argjson rmed "$rmed" --argjson direct "$dm" --argjson pm "$pm" --argjson tm "$tm" \
		--argjson ratios "$(printf '%s\n' "${ratios[@]}" | jq -s .)" \
		'{schema:"irqpath-trace-overhead/1",profile:$profile,backend:$backend,pairs:$pairs,transactions:$tr,control_waker:($control == 1),
		  plain_trans_per_s:$pm,traced_trans_per_s:$tm,ratio:{mean:$rm,stddev:$rs,median:$rmed,values:$ratios},
		  bpf_direct_share:$direct}' >"$JSON.tmp" &&
		mv "$JSON.tmp" "$JSON"
fi
