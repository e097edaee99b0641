#!/usr/bin/env bash
# Fault: the results disk fills up. A 64 KiB tmpfs is filled until 0..6
# pages are free, then irqpath-vmm --json/--layout, irqpath-trace -o and
# irqpath-bench --out write to it. Each either completes with a whole,
# valid file, or exits non-zero saying "No space left on device" and leaves
# no partial file, no temp file and no work directory behind.
# A run that loses its host counts to the full disk must fail, not pass
# quietly without them.
source "$(dirname "$0")/../lib.sh"
need_root "mounting a tmpfs needs root"
need_kvm
VMM=$BIN/irqpath-vmm TRACE=$BIN/irqpath-trace BENCH=$BIN/irqpath-bench REPORT=$BIN/irqpath-report
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$VMM" "$GUEST"
require_cmd jq
T=$(tmpdir)
FULL=$T/full
mkdir -p "$FULL"
if ! mount -t tmpfs -o size=64k,mode=0755 irqpath-full "$FULL"; then
	skip "cannot mount a tmpfs here"
	done_testing
	exit 0
fi
cleanup() {
	umount "$FULL" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# fill N: empty the disk, then leave N free 4 KiB pages
fill() {
	rm -rf "${FULL:?}"/*
	dd if=/dev/zero of="$FULL/filler" bs=4k count=$((16 - $1)) 2>/dev/null
	local free
	free=$(df -k --output=avail "$FULL" | tail -n1 | tr -d ' ')
	[ "$free" -eq $((4 * $1)) ] || echo "# expected $((4 * $1)) KiB free, df says $free"
}
# every file on the disk except the filler
leftovers() { find "$FULL" -mindepth 1 ! -name filler \( -type f -o -name '.*' \) -printf '%P '; }
run_vmm() { "$VMM" --profile mmio-legacy --guest "$GUEST" --transactions 50 -q "$@"; }

# 1. irqpath-vmm --json on a full disk
fill 0
run_vmm --json "$FULL/vmm.json" 2>"$T/err"
check_eq "vmm --json, disk full: exits 1" 1 "$?"
check "vmm --json: says No space left on device" grep -q 'No space left on device' "$T/err"
check_eq "vmm --json: no partial or temp file" "" "$(leftovers)"

# 2. irqpath-vmm --layout on a full disk: a tracer would decode nothing
fill 0
run_vmm --layout "$FULL/layout.json" 2>"$T/err"
rc=$?
check "vmm --layout: says No space left on device" grep -q 'No space left on device' "$T/err"
check_eq "vmm --layout, disk full: exits 1" 1 "$rc"
check_eq "vmm --layout: no partial or temp file" "" "$(leftovers)"

# 3. irqpath-trace -o on a full disk
if [ -x "$TRACE" ]; then
	fill 0
	"$TRACE" record -o "$FULL/trace.json" -- "$VMM" --profile mmio-legacy --guest "$GUEST" \
		--transactions 50 -q 2>"$T/err"
	check_eq "trace -o, disk full: exits 1" 1 "$?"
	check "trace -o: says No space left on device" grep -q 'No space left on device' "$T/err"
	check_eq "trace -o: no partial or temp file" "" "$(leftovers)"
else
	fail "irqpath-trace is missing (make builds it)"
fi

# 4. irqpath-bench --out with 0..6 pages free: whole results or a clean failure
if [ ! -x "$BENCH" ]; then
	fail "irqpath-bench is missing (make builds it)"
	done_testing
	exit
fi
# the bench's scratch directory: on another disk, and gone afterwards
export TMPDIR=$T/scratch
mkdir -p "$TMPDIR"
for pages in 0 1 2 3 4 6; do
	fill "$pages"
	d="bench, $pages pages free"
	"$BENCH" --profile mmio-legacy -r 1 -n 50 -w 0 --out "$FULL/results" --run-id full \
		>"$T/out" 2>"$T/err"
	rc=$?
	f=$FULL/results/full/mmio-legacy.json
	check_eq "$d: no VM left" "" "$(pgrep -f -- "^[^ ]*irqpath-vmm .*$T/")"
	check_eq "$d: no scratch directory left" "" "$(find "$TMPDIR" -mindepth 1 -printf '%P ')"
	if [ "$rc" -eq 0 ]; then
		check "$d: finished (rc 0) with a valid results file" "$REPORT" validate "$f"
		check_eq "$d: and no other file" "results/full/mmio-legacy.json " "$(leftovers)"
		check "$d: host counts present (else the run must fail)" \
			test "$(jq -r .tracer.available "$f")" = true
	else
		check_eq "$d: fails with exit 1" 1 "$rc"
		check "$d: says No space left on device" \
			grep -q 'No space left on device' "$T/err"
		check_eq "$d: no results, temp file or work directory" "" "$(leftovers)"
	fi
done
done_testing
