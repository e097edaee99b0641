#!/usr/bin/env bash
# A layout file is tied to the VMM it describes (its "pid"): irqpath-trace
# refuses one left by an earlier run, with a clear error, instead of
# decoding the new VM's exits with the old VM's registers; a layout the
# traced VMM writes itself, even over a stale file, is used.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm l1
TRACE=$BIN/irqpath-trace
VMM=$BIN/irqpath-vmm
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$TRACE" "$VMM" "$GUEST"
require_cmd jq
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
vm() { "$VMM" --guest "$GUEST" --transactions 50 --console /dev/null -q "$@"; }

# An earlier run (pci) leaves its layout behind.
vm --profile pci --layout "$T/layout.json" --json "$T/old.json"
old=$(jq -r .pid "$T/layout.json")

# 1. A new VM (mmio-v3) that writes its layout elsewhere: the stale file is refused.
"$TRACE" record --layout "$T/layout.json" -o "$T/t1.json" -- \
	"$VMM" --guest "$GUEST" --transactions 50 --console /dev/null -q --profile mmio-v3 \
	--layout "$T/other.json" 2>"$T/t1.err"
check "stale layout: the error names both pids" \
	grep -qE "layout .*layout.json describes pid $old, not the traced pid [0-9]+" "$T/t1.err"
check "stale layout: the snapshot is written without register names" \
	grep -q "without register names" "$T/t1.err"

# 2. The traced VM rewrites the same path at DRIVER_OK: that layout is used.
"$TRACE" record --layout "$T/layout.json" -o "$T/t2.json" -- \
	"$VMM" --guest "$GUEST" --transactions 50 --console /dev/null -q --profile mmio-v3 \
	--layout "$T/layout.json" 2>"$T/t2.err"
new=$(jq -r .pid "$T/layout.json")
check "fresh layout: no refusal" bash -c "! grep -q 'describes pid' '$T/t2.err'"
check_eq "fresh layout: the file now describes the traced VMM" \
	"$(jq -r .command.argv[0] "$T/t2.json")" "$VMM"
check "fresh layout: pid changed from the earlier run's" [ "$new" != "$old" ]

# 3. -p PID of a running VMM with a layout of another process: refused at
# once (the pid must hold a VM: irqpath-trace refuses a process without one).
cp "$T/layout.json" "$T/old-copy.json"
"$VMM" --guest "$GUEST" --console /dev/null -q --profile mmio-v3 --duration 10 &
vpid=$!
"$TRACE" record -p "$vpid" --layout "$T/old-copy.json" -d 0.2 -o "$T/t3.json" 2>"$T/t3.err"
kill "$vpid" 2>/dev/null
wait "$vpid" 2>/dev/null
check "-p: a layout of another pid is refused" grep -q "not the traced pid $vpid" "$T/t3.err"
done_testing
