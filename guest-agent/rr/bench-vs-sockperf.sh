#!/usr/bin/env bash
# bench-vs-sockperf.sh: irqpath-rr TCP_RR against Debian's sockperf TCP
# ping-pong on loopback, same message sizes, in the same run (interleaved
# rounds, medians), to show irqpath-rr's trans/s is in line with a
# well-known tool. Not a test: timing here is noisy. On a shared machine
# other work slows some rounds several-fold (a preempted transaction adds
# milliseconds to the mean), so three ratios are printed: on each tool's
# best round, on the medians, and on the P50 round trip expressed as a
# rate (1e6 / P50 us: what one in-flight transaction sustains when not
# preempted; the most stable of the three). "within 10%" judges the last.
#
# sockperf's ping-pong echoes what it receives, so sizes are symmetric:
# size N means irqpath-rr -r N,N and sockperf -m N (sockperf's minimum is 14).
#
# Usage: bench-vs-sockperf.sh [-l SECS] [-n ROUNDS] [-s "SIZE..."] [-j FILE] [-b BINDIR]
#   -l SECS    length of each run (default 1)
#   -n ROUNDS  rounds per size; the tools alternate who goes first (default 9)
#   -s SIZES   message sizes (default "32 1024")
#   -j FILE    also write irqpath-rr-bench/1 JSON (atomically)
#   -b BINDIR  where irqpath-rr is (default: build/bin next to this tree)
# BENCH_VERBOSE=1 prints every round's trans/s on stderr.
# Exit codes: 0 ran (see the "within 10%" column), 1 a tool failed, 2 usage.
set -uo pipefail
LEN=1 ROUNDS=9 SIZES="32 1024" JSON= BINDIR=
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
while getopts "l:n:s:j:b:h" o; do
	case $o in
	l) LEN=$OPTARG ;; n) ROUNDS=$OPTARG ;; s) SIZES=$OPTARG ;; j) JSON=$OPTARG ;;
	b) BINDIR=$OPTARG ;; h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
	esac
done
[[ $LEN =~ ^[0-9]+$ ]] && [ "$LEN" -ge 1 ] || { echo "bench: -l wants whole seconds >= 1" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: bad -n" >&2; exit 2; }
for s in $SIZES; do [[ $s =~ ^[0-9]+$ ]] && [ "$s" -ge 14 ] ||
	{ echo "bench: size '$s' must be >= 14 (sockperf's minimum)" >&2; exit 2; }; done
: "${BINDIR:=$here/../../build/bin}"
RR=$BINDIR/irqpath-rr
[ -x "$RR" ] || { echo "bench: $RR not built (make)" >&2; exit 2; }
command -v sockperf >/dev/null || { echo "bench: sockperf not installed (apt-get install sockperf)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench: jq not installed" >&2; exit 2; }

# A private network namespace when root: no port clashes with anyone.
T=$(mktemp -d)
NS= RUN=()
PIDS=()
cleanup() {
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 1' INT TERM
SP_PORT=$((20000 + RANDOM % 20000))
if [ "$(id -u)" -eq 0 ] && ip netns add "irqpath-bench$$" 2>/dev/null; then
	NS=irqpath-bench$$
	ip -n "$NS" link set lo up
	RUN=(ip netns exec "$NS")
	SP_PORT=11111
fi

"${RUN[@]}" "$RR" -s -B 127.0.0.1 -p 0 -P "$T/rr.port" -q &
PIDS+=($!)
"${RUN[@]}" sockperf server --tcp -i 127.0.0.1 -p "$SP_PORT" >"$T/sp-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$T/rr.port" ] && break; sleep 0.1; done
RR_PORT=$(cat "$T/rr.port" 2>/dev/null) || { echo "bench: irqpath-rr server did not start" >&2; exit 1; }
sleep 0.5

run_rr() { # SIZE -> trans/s p50_rtt_us
	"${RUN[@]}" "$RR" -H 127.0.0.1 -p "$RR_PORT" -l "$LEN" -r "$1,$1" -j - 2>"$T/err" |
		jq -r '"\(.trans_per_s) \(.latency_us.p50)"'
}
run_sp() { # SIZE -> trans/s p50_rtt_us (valid-duration messages / runtime)
	"${RUN[@]}" sockperf ping-pong --tcp -i 127.0.0.1 -p "$SP_PORT" -m "$1" -t "$LEN" \
		--full-rtt >"$T/sp.log" 2>&1 || return 1
	sed 's/\x1b\[[0-9;]*m//g' "$T/sp.log" | awk '
		/\[Valid Duration\]/ { for (i = 1; i <= NF; i++) {
			if ($i ~ /^RunTime=/) { sub("RunTime=", "", $i); t = $i + 0 }
			if ($i ~ /^ReceivedMessages=/) { sub("ReceivedMessages=", "", $i); n = $i + 0 } } }
		/percentile 50.000/ { p = $NF }
		END { if (t > 0 && n > 0) printf "%.2f %s\n", n / t, p; else exit 1 }'
}
best() { sort -g | tail -n1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-5s %6s %10s %10s %6s %10s %10s %6s %9s %9s %6s  %s\n' size rounds "rr best/s" \
	"sp best/s" ratio "rr med/s" "sp med/s" ratio "rr p50us" "sp p50us" ratio "within 10%"
rows=()
for s in $SIZES; do
	: >"$T/rr.$s"; : >"$T/sp.$s"
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then order="rr sp"; else order="sp rr"; fi
		for tool in $order; do
			out=$(run_$tool "$s") || { echo "bench: $tool failed at size $s" >&2; cat "$T/err" "$T/sp.log" >&2 2>/dev/null; exit 1; }
			echo "$out" >>"$T/$tool.$s"
		done
	done
	[ -n "${BENCH_VERBOSE:-}" ] && echo "  rounds: irqpath-rr $(cut -d' ' -f1 "$T/rr.$s" | tr '\n' ' ')/ sockperf $(cut -d' ' -f1 "$T/sp.$s" | tr '\n' ' ')" >&2
	rr=$(cut -d' ' -f1 "$T/rr.$s" | best) sp=$(cut -d' ' -f1 "$T/sp.$s" | best)
	rrm=$(cut -d' ' -f1 "$T/rr.$s" | median) spm=$(cut -d' ' -f1 "$T/sp.$s" | median)
	mratio=$(awk -v a="$rrm" -v b="$spm" 'BEGIN { printf "%.3f", a / b }')
	rrl=$(cut -d' ' -f2 "$T/rr.$s" | median) spl=$(cut -d' ' -f2 "$T/sp.$s" | median)
	ratio=$(awk -v a="$rr" -v b="$sp" 'BEGIN { printf "%.3f", a / b }')
	pratio=$(awk -v a="$rrl" -v b="$spl" 'BEGIN { printf "%.3f", b / a }')
	within=$(awk -v r="$pratio" 'BEGIN { print (r >= 0.9 && r <= 1.1) ? "yes" : "no" }')
	printf '%-5s %6s %10.0f %10.0f %6s %10.0f %10.0f %6s %9.2f %9.2f %6s  %s\n' "$s" "$ROUNDS" \
		"$rr" "$sp" "$ratio" "$rrm" "$spm" "$mratio" "$rrl" "$spl" "$pratio" "$within"
	rows+=("$(jq -n --argjson s "$s" --argjson rr "$rr" --argjson sp "$sp" --argjson ratio "$ratio" \
		--argjson rrm "$rrm" --argjson spm "$spm" --argjson mratio "$mratio" --argjson pratio "$pratio" \
		--argjson rrl "$rrl" --argjson spl "$spl" --arg w "$within" \
		'{size: $s, irqpath_rr_best_trans_per_s: $rr, sockperf_best_trans_per_s: $sp, ratio: $ratio,
		  irqpath_rr_median_trans_per_s: $rrm, sockperf_median_trans_per_s: $spm, median_ratio: $mratio,
		  irqpath_rr_p50_rtt_us: $rrl, sockperf_p50_rtt_us: $spl, p50_rate_ratio: $pratio, within_10pct: ($w == "yes")}')")
done
echo "(best and median of $ROUNDS interleaved ${LEN}s runs per tool; ratios are irqpath-rr / sockperf; p50 = median round trip, its ratio = sockperf p50 / irqpath-rr p50; loopback${NS:+ in netns $NS}; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -n "$JSON" ]; then
	tmp=$(mktemp "$(dirname "$JSON")/.bench.XXXXXX")
	printf '%s\n' "${rows[@]}" | jq -s --argjson l "$LEN" --argjson n "$ROUNDS" \
		'{schema: "irqpath-rr-bench/1", duration_s: $l, rounds: $n, sizes: .}' >"$tmp" &&
		mv "$tmp" "$JSON" || { rm -f "$tmp"; echo "bench: cannot write $JSON" >&2; exit 1; }
fi
