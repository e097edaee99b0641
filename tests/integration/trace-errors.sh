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

# record -p PID -d SECS on a live process, snapshot written atomically
sleep 5 & spid=$!
"$TRACE" record -p "$spid" -d 0.5 -o "$T/snap.json" 2>"$T/err"
check_eq "record -p -d exits 0" 0 "$?"
kill "$spid"; wait "$spid" 2>/dev/null
check_eq "snapshot names the pid" "$spid" "$(jq -r .pid "$T/snap.json" 2>/dev/null)"
check_eq "a process without KVM has no events" 0 "$(jq -r .totals.exits "$T/snap.json" 2>/dev/null)"
check_eq "only the snapshot in the output directory (no temp files)" "snap.json" "$(ls "$T" | grep snap)"
done_testing
