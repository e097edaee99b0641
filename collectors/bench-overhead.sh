#!/usr/bin/env bash
# bench-overhead.sh: how much does irqpath-trace slow the guest down?
# Rounds of micro-guest runs: one without the tracer and one per backend
# (the order rotates from round to round, so host drift hits all alike).
# Prints per backend trans/s(traced) / trans/s(plain) per round, as mean ±
# stddev and median; with several backends also their same-round ratio
# (e.g. tracefs / bpf); and, less noisy than throughput on a shared host,
# the CPU time per transaction: the VMM's traced / plain, and the tracer's
# reading loop (set-up excluded) as a share of the plain VMM's.
#
# usage: collectors/bench-overhead.sh [--profile P] [--pairs N] [--transactions N]
#                                     [--backend LIST] [--build DIR]
#                                     [--json FILE] [--no-control]
# LIST: comma-separated bpf, tracefs, tracefs-stream (tracefs with
# IRQPATH_TRACEFS_HIST=0: every event through the ring buffer even where
# the kernel has hist triggers); default bpf.
# exit: 0 ok, 1 a run failed, 2 usage
set -u
PROFILE=mmio-legacy PAIRS=5 TRANS=2000 BACKENDS=bpf BUILD=build JSON= CONTROL=1
while [ $# -gt 0 ]; do
	case $1 in
	--profile) PROFILE=$2; shift 2 ;;
	--pairs) PAIRS=$2; shift 2 ;;
	--transactions) TRANS=$2; shift 2 ;;
	--backend) BACKENDS=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--json) JSON=$2; shift 2 ;;
	--no-control) CONTROL=0; shift ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "bench-overhead: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case $PAIRS$TRANS in *[!0-9]*|'') echo "bench-overhead: --pairs/--transactions need numbers" >&2; exit 2 ;; esac
IFS=, read -r -a backends <<<"$BACKENDS"
for b in "${backends[@]}"; do
	case $b in bpf|tracefs|tracefs-stream) ;; *) echo "bench-overhead: unknown backend '$b' (bpf, tracefs, tracefs-stream)" >&2; exit 2 ;; esac
done
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
# The tracer wakes every 100 ms to read its counters (either backend). On
# this nested host any process that wakes that often makes the guest
# faster (the L1 CPUs idle less deeply), which alone gave "traced" runs
# +20%. So plain runs get a control process waking at the same period,
# without tracing: the ratio then measures the tracing itself.
# --no-control turns it off.
PERIOD=0.1
start_waker() {
	if command -v perl >/dev/null; then
		perl -e "select(undef, undef, undef, $PERIOD) while 1" </dev/null >/dev/null &
	else (while :; do sleep $PERIOD; done) </dev/null >/dev/null & fi
	wpid=$!
}
rate() { jq -r '.result.trans_per_s' "$1"; }
# plain run: trans/s and the VMM's CPU seconds (bash's time keyword)
run_plain() {
	local TIMEFORMAT='%U %S'
	wpid=
	[ "$CONTROL" = 1 ] && start_waker
	{ time "${vm[@]}" --json "$T/p.json" 2>"$T/plain.err"; } 2>"$T/p.cpu"
	local rc=$?
	[ -n "$wpid" ] && { kill "$wpid"; wait "$wpid" 2>/dev/null; }
	wpid=
	[ "$rc" -eq 0 ] || { cat "$T/plain.err" >&2; echo "bench-overhead: plain run failed" >&2; exit 1; }
	p_rate=$(rate "$T/p.json")
	p_cpu=$(awk '{ print $1 + $2 }' "$T/p.cpu")
}
# traced run: trans/s, the VMM's CPU seconds and the tracer loop's (from
# --cost-stats), the BPF programs' run time (--bpf-stats)
run_traced() {
	local b=$1 stats=(--cost-stats) hist=
	[ "$b" = bpf ] && stats+=(--bpf-stats)
	[ "$b" = tracefs-stream ] && hist=0
	IRQPATH_TRACEFS_HIST=$hist "$TRACE" record --backend "${b%-stream}" "${stats[@]}" -o "$T/$b.trace.json" \
		-- "${vm[@]}" --json "$T/$b.json" 2>"$T/err" ||
		{ cat "$T/err" >&2; echo "bench-overhead: traced run ($b) failed" >&2; exit 1; }
	t_rate[$b]=$(rate "$T/$b.json")
	t_cpu[$b]=$(jq -r '.cost.command_user_s + .cost.command_sys_s' "$T/$b.trace.json")
	t_loop[$b]=$(jq -r '.cost.tracer_loop_cpu_s' "$T/$b.trace.json")
	t_bpfns[$b]=$(jq -r '.bpf_stats.run_time_ns // empty' "$T/$b.trace.json")
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
declare -A t_rate t_cpu t_loop t_bpfns ratios cpur loops direct vsfirst
modes=(plain "${backends[@]}")
for i in $(seq "$PAIRS"); do
	n=${#modes[@]} order=()
	for ((k = 0; k < n; k++)); do order+=("${modes[$(((k + i - 1) % n))]}"); done
	for m in "${order[@]}"; do
		if [ "$m" = plain ]; then run_plain; else run_traced "$m"; fi
	done
	line="round $i: plain $(printf '%.1f' "$p_rate") trans/s"
	for b in "${backends[@]}"; do
		r=$(div "${t_rate[$b]}" "$p_rate")
		ratios[$b]+="$r "
		cpur[$b]+="$(div "${t_cpu[$b]}" "$p_cpu") "
		loops[$b]+="$(div "${t_loop[$b]}" "$p_cpu") "
		# the programs' own run time per transaction, as a share of the
		# traced transaction's time (the direct cost, free of host noise)
		[ -n "${t_bpfns[$b]}" ] &&
			direct[$b]+="$(awk -v ns="${t_bpfns[$b]}" -v n="$TRANS" -v r="${t_rate[$b]}" 'BEGIN { printf "%.6f", ns / n / (1e9 / r) }') "
		[ "$b" != "${backends[0]}" ] && vsfirst[$b]+="$(div "${t_rate[$b]}" "${t_rate[${backends[0]}]}") "
		line+=", $b $(printf '%.1f' "${t_rate[$b]}") (ratio $r)"
	done
	echo "$line"
done
# mean, stddev and median of the words of $1
stats() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1; s += $1; q += $1 * $1 } END {
	m = s / NR; var = NR > 1 ? (q - NR * m * m) / (NR - 1) : 0; if (var < 0) var = 0
	med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	printf "%.4f %.4f %.4f", m, sqrt(var), med }'; }
printf 'profile %s, %d rounds of %d transactions, plain runs %s a %s s control waker\n' \
	"$PROFILE" "$PAIRS" "$TRANS" "$([ "$CONTROL" = 1 ] && echo with || echo without)" "$PERIOD"
out='{}'
for b in "${backends[@]}"; do
	read -r rm rs rmed <<<"$(stats "${ratios[$b]}")"
	read -r cm cs cmed <<<"$(stats "${cpur[$b]}")"
	read -r lm ls lmed <<<"$(stats "${loops[$b]}")"
	printf '%s: ratio traced/plain %.4f ± %.4f (median %.4f; target >= 0.99)\n' "$b" "$rm" "$rs" "$rmed"
	printf '%s: VMM CPU per transaction traced/plain median %.4f; tracer reading loop %.3f%% of the plain VMM CPU (median)\n' \
		"$b" "$cmed" "$(awk -v x="$lmed" 'BEGIN { print x * 100 }')"
	dm=null
	if [ -n "${direct[$b]:-}" ]; then
		read -r dm ds _ <<<"$(stats "${direct[$b]}")"
		printf '%s: direct cost (BPF run time) %.3f%% ± %.3f%% of each transaction, i.e. ratio >= %.4f\n' \
			"$b" "$(awk -v x="$dm" 'BEGIN { print x * 100 }')" "$(awk -v x="$ds" 'BEGIN { print x * 100 }')" \
			"$(awk -v x="$dm" 'BEGIN { print 1 - x }')"
	fi
	vs=null
	if [ -n "${vsfirst[$b]:-}" ]; then
		read -r vm_ vs_ vs <<<"$(stats "${vsfirst[$b]}")"
		printf '%s / %s same round: %.4f ± %.4f (median %.4f)\n' "$b" "${backends[0]}" "$vm_" "$vs_" "$vs"
	fi
	out=$(jq -c --arg b "$b" --argjson rm "$rm" --argjson rs "$rs" --argjson rmed "$rmed" --argjson cmed "$cmed" \
		--argjson lmed "$lmed" --argjson dm "$dm" --argjson vs "$vs" \
		--argjson values "$(printf '%s\n' ${ratios[$b]} | jq -s .)" \
		'.[$b] = {ratio:{mean:$rm,stddev:$rs,median:$rmed,values:$values},vmm_cpu_ratio_median:$cmed,
		          tracer_loop_cpu_share_median:$lmed,bpf_direct_share:$dm,vs_first_backend_median:$vs}' <<<"$out")
done
if [ -n "$JSON" ]; then
	jq -n --arg profile "$PROFILE" --argjson pairs "$PAIRS" --argjson tr "$TRANS" --argjson control "$CONTROL" \
		--argjson backends "$out" \
		'{schema:"irqpath-trace-overhead/2",profile:$profile,rounds:$pairs,transactions:$tr,
		  control_waker:($control == 1),backends:$backends}' >"$JSON.tmp" &&
		mv "$JSON.tmp" "$JSON"
fi
