#!/usr/bin/env bash
# Fault: the tracer is killed in the middle of a run.
#  1. under irqpath-bench (bpf and tracefs backends), SIGKILL of irqpath-trace:
#     the bench exits 1 saying the repetition failed, stops the VM, writes no
#     results file; the kernel drops the BPF links with the tracer's fds;
#  2. `irqpath-trace record -- irqpath-vmm` stopped with SIGTERM: the VM is
#     stopped too, everything is detached, the snapshot is whole;
#  3. the same with SIGKILL: nothing can run in the tracer, so the VM must be
#     tied to it (parent-death signal) and its tracefs instance must not
#     outlive it.
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
	[ -n "$tp" ] && rmdir "$TRACEFS/instances/irqpath-trace-$tp" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# gone PATH: true once PATH no longer exists (a helper may remove it shortly after)
gone() {
	for _ in $(seq 30); do [ -e "$1" ] || return 0; sleep 0.1; done
	return 1
}
# wait_attached DIR BACKEND: sets tp/vp once the VM runs and the tracer is attached
wait_attached() {
	tp= vp=
	for _ in $(seq 100); do
		tp=$(pgrep -o -f -- "^[^ ]*irqpath-trace record .*$T/$1/") vp=$(pids_of vmm "$1/")
		if [ -n "$tp" ] && [ -n "$vp" ]; then
			[ "$2" = bpf ] && [ -n "$(bpf_held "$tp" link)" ] && return 0
			[ "$2" = tracefs ] && [ -d "$TRACEFS/instances/irqpath-trace-$tp" ] && return 0
		fi
		sleep 0.1
	done
	return 1
}

# 1. under the bench
if [ -x "$BENCH" ]; then
	for backend in bpf tracefs; do
		D=$T/bench-$backend
		mkdir -p "$D/conf"
		sed "/^\[trace\]/,\$ s/^backend *=.*/backend = $backend/" \
			"$IRQPATH_ROOT/configs/mmio-legacy.conf" >"$D/conf/mmio-legacy.conf"
		TMPDIR=$D "$BENCH" --profile mmio-legacy -c "$D/conf" -r 1 -n 100000000 -w 0 --out "$D/results" \
			--run-id tkill >"$D/out" 2>"$D/err" &
		bp=$!
		check "bench/$backend: VM running under an attached tracer" wait_attached "bench-$backend" "$backend"
		links=$(bpf_held "$tp" link)
		sleep 0.5
		kill -KILL "$tp"
		wait "$bp"
		check_eq "bench/$backend: exits 1 when the tracer is killed" 1 "$?"
		check "bench/$backend: says the repetition failed" grep -q 'FAILED' "$D/err"
		check "bench/$backend: names the tracer's death (status 137)" grep -q '137' "$D/err"
		check_eq "bench/$backend: no VM left" "" "$(pids_of vmm "bench-$backend/")"
		check_eq "bench/$backend: no results or temp file" "" "$(find "$D/results" -type f 2>/dev/null)"
		check_eq "bench/$backend: no scratch directory left" "" "$(find "$D" -maxdepth 1 -name 'irqpath-bench-*')"
		check_eq "bench/$backend: the tracer's BPF links are gone" "" \
			"$(comm -12 <(echo "$links") <(bpf_live link) | grep .)"
		check "bench/$backend: no tracefs instance of the dead tracer left" \
			gone "$TRACEFS/instances/irqpath-trace-$tp"
		rmdir "$TRACEFS/instances/irqpath-trace-$tp" 2>/dev/null
	done
else
	fail "irqpath-bench is missing (make builds it)"
fi

# 2 and 3. the tracer alone, running the VM as its command
for sig in TERM KILL; do
	for backend in bpf tracefs; do
		D=$T/$sig-$backend
		mkdir -p "$D"
		"$TRACE" record --backend "$backend" -o "$D/trace.json" -- "$VMM" --profile pci \
			--guest "$GUEST" --transactions 100000000 --json "$D/vmm.json" -q \
			>"$D/out" 2>"$D/err" &
		check "$sig/$backend: VM running under an attached tracer" wait_attached "$sig-$backend" "$backend"
		progs=$(bpf_held "$tp" prog) links=$(bpf_held "$tp" link)
		sleep 0.5
		kill -"$sig" "$tp"
		wait "$tp" 2>/dev/null
		rc=$?
		for _ in $(seq 20); do [ -z "$(pids_of vmm "$sig-$backend/")" ] && break; sleep 0.1; done
		check_eq "$sig/$backend: none of its BPF programs remain" "" "$(comm -12 <(echo "$progs") <(bpf_live prog) | grep .)"
		check_eq "$sig/$backend: none of its BPF links remain" "" "$(comm -12 <(echo "$links") <(bpf_live link) | grep .)"
		check "$sig/$backend: no vmm results or temp file" test -z "$(find "$D" -name 'vmm.json*')"
		if [ "$sig" = TERM ]; then
			check_eq "$sig/$backend: tracer exits 0 on SIGTERM" 0 "$rc"
			check_eq "$sig/$backend: the VM is stopped with it" "" "$(pids_of vmm "$sig-$backend/")"
			check "$sig/$backend: tracefs instance removed" test ! -e "$TRACEFS/instances/irqpath-trace-$tp"
			check_eq "$sig/$backend: the snapshot is whole" irqpath-trace/1 "$(jq -r .schema "$D/trace.json" 2>&1)"
		else
			check_eq "$sig/$backend: killed tracer reports 137" 137 "$rc"
			check "$sig/$backend: the VM does not outlive its tracer" \
				test -z "$(pids_of vmm "$sig-$backend/")"
			check "$sig/$backend: no tracefs instance of the dead tracer left" \
				gone "$TRACEFS/instances/irqpath-trace-$tp"
			check "$sig/$backend: no partial snapshot" test ! -e "$D/trace.json"
			vp=$(pids_of vmm "$sig-$backend/")
			[ -n "$vp" ] && kill -KILL $vp
			rmdir "$TRACEFS/instances/irqpath-trace-$tp" 2>/dev/null
		fi
	done
done
done_testing
