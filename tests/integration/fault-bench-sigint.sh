#!/usr/bin/env bash
# Fault: SIGINT hits irqpath-bench at random points (start-up, warm-up, a
# repetition, between repetitions, writing results) — sent to the bench
# alone, or to its whole process group the way Ctrl-C does. Every time:
# either it had finished (exit 0, whole results), or it exits 130 saying it
# was interrupted, with no results file, no run directory, no temp file, no
# VM, no tracer, and none of the BPF programs, links or tracefs instances
# its tracer held. The random delays are printed, so a failure can be rerun
# with IRQPATH_FAULT_SEED.
source "$(dirname "$0")/../lib.sh"
need_root "irqpath-bench runs irqpath-trace, which needs root"
need_kvm
BENCH=$BIN/irqpath-bench
require "$BIN/irqpath-trace"
require "$BENCH"
require_cmd jq bpftool
TRACEFS=${IRQPATH_TRACEFS:-/sys/kernel/tracing}
RANDOM=${IRQPATH_FAULT_SEED:-$$}
echo "# IRQPATH_FAULT_SEED=$RANDOM"
T=$(tmpdir)
bp= sp=
cleanup() {
	for p in $bp $sp; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
set -m # each bench in its own process group, as a shell's foreground job is

# Records, until killed, every tracer of run $1 and the BPF objects it holds.
sample() {
	while :; do
		for p in $(pids_of trace "$1/"); do
			echo "$p" >>"$T/$1.tracers"
			bpf_held "$p" prog >>"$T/$1.progs"
			bpf_held "$p" link >>"$T/$1.links"
		done
		sleep 0.05
	done
}

profiles=(mmio-legacy mmio-v3 pci)
for i in 1 2 3 4 5 6; do
	profile=${profiles[$((i % 3))]}
	target=bench
	[ $((i % 2)) -eq 0 ] && target=group
	ms=$((100 + RANDOM % 4400))
	delay=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
	run=r$i
	out=$T/$run/results
	mkdir -p "$T/$run"
	: >"$T/$run.tracers"
	: >"$T/$run.progs"
	: >"$T/$run.links"
	TMPDIR=$T/$run "$BENCH" --profile "$profile" -r 2 -n 1500 -w 200 --out "$out" --run-id "$run" -q \
		>"$T/$run/stdout" 2>"$T/$run/stderr" &
	bp=$!
	sample "$run" &
	sp=$!
	sleep "$delay"
	if [ $target = group ]; then kill -INT -- "-$bp"; else kill -INT "$bp"; fi
	wait "$bp"
	rc=$?
	kill "$sp"
	wait "$sp" 2>/dev/null
	d="#$i $profile, SIGINT to the $target after ${delay}s"
	sleep 0.2
	check_eq "$d: no VM left" "" "$(pids_of vmm "$run/")"
	check_eq "$d: no tracer left" "" "$(pids_of trace "$run/")"
	check_eq "$d: its tracers' BPF programs are gone" "" \
		"$(comm -12 <(sort -u "$T/$run.progs") <(bpf_live prog) | grep .)"
	check_eq "$d: its tracers' BPF links are gone" "" \
		"$(comm -12 <(sort -u "$T/$run.links") <(bpf_live link) | grep .)"
	inst=
	for p in $(sort -u "$T/$run.tracers"); do
		[ -e "$TRACEFS/instances/irqpath-trace-$p" ] && inst="$inst $p"
	done
	check_eq "$d: no tracefs instance left" "" "$inst"
	check_eq "$d: no scratch directory left" "" "$(find "$T/$run" -maxdepth 1 -name 'irqpath-bench-*')"
	if [ "$rc" -eq 0 ]; then
		# It finished before the signal: the results must then be whole.
		f=$out/$run/$profile.json
		check_eq "$d: finished first (rc 0): results are whole" irqpath-results/1 \
			"$(jq -r .schema "$f" 2>&1)"
		check_eq "$d: and nothing else was written" "$f" "$(find "$out" -type f)"
	else
		check_eq "$d: exits 130" 130 "$rc"
		check "$d: says it was interrupted" grep -q 'interrupted' "$T/$run/stderr"
		check_eq "$d: no results, run directory or temp file" "" \
			"$(find "$out" -mindepth 1 2>/dev/null)"
		check_eq "$d: nothing on stdout" "" "$(cat "$T/$run/stdout")"
	fi
done
# The checks above mean something only if the sampler saw the tracers' objects.
check_ge "BPF links of the interrupted tracers were seen (all runs)" 1 "$(cat "$T"/r*.links | sort -u | grep -c .)"
done_testing
