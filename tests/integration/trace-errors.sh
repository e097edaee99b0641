#!/usr/bin/env bash
# irqpath-trace's errors name the problem and use the documented exit codes:
# usage (2), unknown pid (2), not root / no CAP_BPF (1), no BTF (1),
# tracefs unavailable (1). Also: record -p PID -d SECS writes its snapshot
# atomically (no temp file left).
source "$(dirname "$0")/../lib.sh"
need_root "the privilege checks need a root shell to drop from"
TRACE=$BIN/irqpath-trace
require "$TRACE"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

# expect DESC RC REGEX CMD...: exit status RC and stderr matching REGEX
expect() {
	local d=$1 rc=$2 re=$3; shift 3
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$rc" ] && grep -Eq "$re" "$T/err"; then ok "$d (exit $got)"
	else fail "$d: expected exit $rc and /$re/, got $got: $(head -c 300 "$T/err")"; fi
}

check "--help prints usage and exits 0" bash -c "'$TRACE' --help | grep -q 'irqpath-trace live'"
expect "no mode" 2 "usage" "$TRACE"
expect "unknown mode" 2 "unknown mode 'watch'" "$TRACE" watch
expect "unknown backend" 2 "unknown backend 'ebpf'" "$TRACE" record --backend ebpf
expect "bad interval" 2 "bad number of seconds" "$TRACE" live -i abc
expect "json-lines outside live" 2 "json-lines is for live" "$TRACE" record --json-lines
expect "bad device spec" 2 "unknown device kind" "$TRACE" record --device virtio@0x1000 -d 0.1
expect "bad layout file" 2 "layout" "$TRACE" record --layout /dev/null -d 0.1

sleep 0 & gone=$!; wait "$gone"
expect "unknown pid" 2 "no process with pid $gone" "$TRACE" record -p "$gone" -d 0.1

expect "no BTF" 1 "no kernel BTF at /nonexistent/btf" env IRQPATH_BTF=/nonexistent/btf "$TRACE" record --backend bpf -d 0.1
mkdir -p "$T/empty"
expect "tracefs unavailable (tracefs backend)" 1 "tracefs unavailable: $T/empty has no events" \
	env IRQPATH_TRACEFS="$T/empty" "$TRACE" record --backend tracefs -d 0.1
expect "tracefs unavailable (bpf backend)" 1 "tracefs unavailable" \
	env IRQPATH_TRACEFS="$T/empty" "$TRACE" record --backend bpf -d 0.1

if command -v setpriv >/dev/null; then
	nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
	expect "not root: bpf backend" 1 "run as root or with CAP_BPF" "${nobody[@]}" "$TRACE" record --backend bpf -d 0.1
	expect "not root: tracefs backend" 1 "run as root" "${nobody[@]}" "$TRACE" record --backend tracefs -d 0.1
	expect "not root: auto says why bpf failed" 1 "BPF backend unavailable.*CAP_BPF" "${nobody[@]}" "$TRACE" record -d 0.1
else
	skip "setpriv (util-linux) not installed: cannot drop privileges to test the not-root errors"
fi

# -p of a process that holds no VM: named, exit 2, nothing written; at
# once with --vm-wait 0, else once the wait is over
sleep 30 & spid=$!
expect "-p of a process without a VM" 2 "process $spid \\([a-z]+\\) holds no KVM VM \\(no anon_inode:kvm-vm" \
	"$TRACE" live -p "$spid" --vm-wait 0
expect "-p without a VM after --vm-wait" 2 "holds no KVM VM .*within --vm-wait" \
	"$TRACE" record -p "$spid" --vm-wait 0.3 -o "$T/novm.json"
check "no snapshot for a process without a VM" test ! -e "$T/novm.json"
kill "$spid"; wait "$spid" 2>/dev/null
expect "live: bad sort key" 2 "unknown sort key 'speed'" "$TRACE" live --sort speed
expect "live: bad class" 2 "unknown event class 'irqs'" "$TRACE" live --class exits,irqs
expect "live: bad filter" 2 "bad --filter regular expression" "$TRACE" live --filter 'a(b'
expect "filter outside live" 2 "[-]-filter is for live mode" "$TRACE" record --filter x

# record -p PID -d SECS on a VM, snapshot written atomically (needs KVM: the
# exerciser is a VM; where /dev/kvm is absent, trace-vmm and trace-vcpu run
# the tracer on VMs inside the emulated SVM host)
if [ -e /dev/kvm ]; then
	FIX=$IRQPATH_BUILD/fixtures/trace-exerciser
	"$FIX" --msi 2000 --level 0 --gap-us 2000 >/dev/null 2>&1 & spid=$!
	"$TRACE" record -p "$spid" -d 0.5 -o "$T/snap.json" 2>"$T/err"
	check_eq "record -p -d exits 0" 0 "$?"
	kill "$spid"; wait "$spid" 2>/dev/null
	check_eq "snapshot names the pid" "$spid" "$(jq -r .pid "$T/snap.json" 2>/dev/null)"
	check_ge "the VM's MSIs are counted" 1 "$(jq -r .totals.msi "$T/snap.json" 2>/dev/null)"
	check_eq "only the snapshot in the output directory (no temp files)" "snap.json" "$(ls "$T" | grep snap)"
else
	skip "record -p on a VM: no /dev/kvm on this host"
fi
done_testing
