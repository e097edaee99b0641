#!/usr/bin/env bash
# SIGINT in the middle of a repetition: irqpath-bench stops the tracer and
# the VM, leaves no BPF link, no VM process and no results, and exits 130.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
B=$BIN/irqpath-bench
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
# the bench's scratch directory (argv of its children) goes under $T too
export TMPDIR=$T
HAVE_BPFTOOL=1
command -v bpftool >/dev/null || { HAVE_BPFTOOL=0; skip "bpftool not installed: BPF links not counted"; }

# BPF links held by our tracer: the link_id of each BPF link fd it has open
# (other people's tracers may run at the same time; their links are not ours)
our_links() {
	local tp
	tp=$(pgrep -f -- "irqpath-trace record .*$T/" | head -n1)
	[ -n "$tp" ] && grep -h '^link_id:' /proc/"$tp"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -n
}
live_links() { bpftool -j link show 2>/dev/null | jq '.[].id' | sort -n; }
# our own VMs are the ones whose command line names our temp directory
vms() { pgrep -f -- "^[^ ]*irqpath-vmm .*$T/" | wc -l; }
tracers() { pgrep -f -- "irqpath-trace record .*$T/" | wc -l; }

"$B" --profile mmio-legacy -r 3 -n 200000 -w 0 --out "$T/results" --run-id sig -q \
	>"$T/stdout" 2>"$T/stderr" &
pid=$!
# wait until the VM runs under the tracer and the BPF programs are attached
for _ in $(seq 100); do
	[ "$(vms)" -ge 1 ] && [ -n "$(our_links)" ] && break
	sleep 0.1
done
check_ge "a VM was running" 1 "$(vms)"
mine=$(our_links)
check_ge "the tracer holds BPF links" 1 "$(grep -c . <<<"$mine")"
sleep 0.5
kill -INT "$pid"
wait "$pid"
check_eq "bench exits 130" 130 $?
check_eq "no VM process left" 0 "$(vms)"
check_eq "no tracer left" 0 "$(tracers)"
if [ $HAVE_BPFTOOL = 1 ]; then
	left=$(comm -12 <(echo "$mine") <(live_links) | grep -c .)
	check_eq "none of its $(grep -c . <<<"$mine") BPF links is left" 0 "$left"
fi
check_eq "no results file" "" "$(find "$T/results" -name '*.json' 2>/dev/null)"
check "run directory removed" test ! -e "$T/results/sig"
check_eq "nothing on stdout" "" "$(cat "$T/stdout")"
check "says it was interrupted" grep -q 'interrupted' "$T/stderr"

# the same with SIGTERM during the warm-up
"$B" --profile mmio-v3 -r 1 -n 10 -w 200000 --out "$T/results" --run-id term -q \
	>/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ "$(vms)" -ge 1 ] && break; sleep 0.1; done
check_ge "warm-up VM running" 1 "$(vms)"
kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM: exits 130" 130 $?
check_eq "SIGTERM: no VM process left" 0 "$(vms)"
check "SIGTERM: run directory removed" test ! -e "$T/results/term"
done_testing
