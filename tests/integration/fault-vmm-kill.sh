#!/usr/bin/env bash
# Fault: the VM process is killed (SIGKILL) in the middle of a run.
#  1. under `irqpath-trace record -- irqpath-vmm` (bpf and tracefs backends):
#     the tracer exits non-zero naming the signal, detaches every BPF program
#     and link it held, removes its tracefs instance, and nothing half-written
#     is left (no vmm JSON, no temp file; a trace snapshot, if written, is whole);
#  1b. a VM with a tap backend: the tap interface is gone with it;
#  2. under irqpath-bench: the bench exits 1 saying the repetition failed,
#     stops its tracer, and writes no results file.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
VMM=$BIN/irqpath-vmm TRACE=$BIN/irqpath-trace BENCH=$BIN/irqpath-bench
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$VMM" "$GUEST"
require "$TRACE"
require_cmd jq bpftool
TRACEFS=${IRQPATH_TRACEFS:-/sys/kernel/tracing}
T=$(tmpdir)
tp= vp= bp=
cleanup() {
	for p in $vp $tp $bp; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# ids of the BPF programs or links ($2 = prog|link) process $1 holds
# our processes are those whose command line names our temp directory
# files left in $1 other than the names given
extra_files() {
	local d=$1; shift
	find "$d" -maxdepth 1 -type f -printf '%f\n' | grep -vxF -f <(printf '%s\n' "$@") | tr '\n' ' '
}

for backend in bpf tracefs; do
	D=$T/$backend
	mkdir -p "$D"
	"$TRACE" record --backend "$backend" -o "$D/trace.json" -- "$VMM" --profile mmio-legacy \
		--guest "$GUEST" --transactions 100000000 --json "$D/vmm.json" --layout "$D/layout.json" \
		-q >"$D/out" 2>"$D/err" &
	tp=$!
	vp=
	for _ in $(seq 100); do
		vp=$(pids_of vmm "$backend/")
		if [ -n "$vp" ]; then
			[ "$backend" = bpf ] && [ -n "$(bpf_held "$tp" link)" ] && break
			[ "$backend" = tracefs ] && [ -d "$TRACEFS/instances/irqpath-trace-$tp" ] && break
		fi
		sleep 0.1
	done
	check "$backend: the VM runs under the tracer" test -n "$vp"
	progs=$(bpf_held "$tp" prog) links=$(bpf_held "$tp" link)
	if [ "$backend" = bpf ]; then
		check_ge "$backend: tracer holds BPF links while running" 1 "$(grep -c . <<<"$links")"
	else
		check "$backend: tracefs instance exists while running" \
			test -d "$TRACEFS/instances/irqpath-trace-$tp"
	fi
	sleep 0.5
	kill -KILL $vp
	wait "$tp"
	rc=$?
	check "$backend: tracer exits non-zero when its VM is killed (rc $rc)" test "$rc" -ne 0
	check "$backend: it says the VM died of signal 9" grep -q 'signal 9' "$D/err"
	check_eq "$backend: no VM process left" "" "$(pids_of vmm "$backend/")"
	check_eq "$backend: no tracer process left" "" "$(pids_of trace "$backend/")"
	check_eq "$backend: none of its BPF programs remain" "" "$(comm -12 <(echo "$progs") <(bpf_live prog) | grep .)"
	check_eq "$backend: none of its BPF links remain" "" "$(comm -12 <(echo "$links") <(bpf_live link) | grep .)"
	check "$backend: no tracefs instance left" test ! -e "$TRACEFS/instances/irqpath-trace-$tp"
	check "$backend: no vmm results file" test ! -e "$D/vmm.json"
	check_eq "$backend: no temp or partial files" "" "$(extra_files "$D" out err trace.json layout.json)"
	if [ -e "$D/trace.json" ]; then
		check_eq "$backend: the trace snapshot written is whole" irqpath-trace/1 \
			"$(jq -r .schema "$D/trace.json" 2>&1)"
	fi
done

# 1b. a VM on a tap backend: its tap interface goes with it
TAP=irqpf$$
D=$T/tap
mkdir -p "$D"
"$VMM" --profile mmio-legacy --guest "$GUEST" --backend tap --tap "$TAP" --transactions 100000000 \
	--json "$D/vmm.json" --timeout 60 -q >"$D/out" 2>"$D/err" &
vp=$!
for _ in $(seq 50); do ip link show "$TAP" >/dev/null 2>&1 && break; sleep 0.1; done
check "tap: the VM's tap interface exists while it runs" ip link show "$TAP"
kill -KILL "$vp"
wait "$vp" 2>/dev/null
check "tap: no tap interface left after SIGKILL" test -z "$(ip -o link show "$TAP" 2>/dev/null)"
check "tap: no vmm results or temp file" test -z "$(find "$D" -name 'vmm.json*')"

# 2. the same fault under irqpath-bench
if [ ! -x "$BENCH" ]; then
	fail "irqpath-bench is missing (make builds it)"
	done_testing
	exit
fi
D=$T/bench
mkdir -p "$D"
TMPDIR=$D "$BENCH" --profile mmio-v3 -r 1 -n 100000000 -w 0 --out "$D/results" --run-id vmkill \
	>"$D/out" 2>"$D/err" &
bp=$!
vp= tp=
for _ in $(seq 100); do
	vp=$(pids_of vmm bench/) tp=$(pgrep -o -f -- "^[^ ]*irqpath-trace record .*$T/bench/")
	[ -n "$vp" ] && [ -n "$tp" ] && [ -n "$(bpf_held "$tp" link)" ] && break
	sleep 0.1
done
check "bench: the VM runs under the tracer" test -n "$vp" -a -n "$tp"
links=$(bpf_held "$tp" link)
sleep 0.5
kill -KILL $vp
wait "$bp"
check_eq "bench: exits 1 when the VM is killed" 1 "$?"
check "bench: says the repetition failed" grep -q 'FAILED' "$D/err"
check "bench: says no results file was written" grep -qi 'no results' "$D/err"
check_eq "bench: no VM left" "" "$(pids_of vmm bench/)"
check_eq "bench: no tracer left" "" "$(pids_of trace bench/)"
check_eq "bench: none of the tracer's BPF links remain" "" "$(comm -12 <(echo "$links") <(bpf_live link) | grep .)"
check_eq "bench: no results file, no temp file" "" "$(find "$D/results" -type f 2>/dev/null)"
check_eq "bench: no scratch directory left" "" "$(find "$D" -maxdepth 1 -name 'irqpath-bench-*')"
done_testing
