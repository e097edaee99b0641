#!/usr/bin/env bash
# Marginal host exits per transaction of Linux guests on irqpath-vmm, by
# exit reason: the least-squares slope of each count over the repetitions'
# window transactions (irqpath-bench's Linux runner). The per-transaction
# means in the results divide everything in the tracer's window, including
# fixed costs that do not grow with the workload (the guest's process
# start-ups: every static glibc program runs CPUID dozens of times; its
# console lines; the idle rest of the settle pause), so they fall as runs
# get longer; the slope is the cost of one more transaction. Needs
# repetitions with different transaction counts (they differ run to run).
#
# Usage: vmm/linux-marginal.sh RUN_DIR... (results/<run-id> of
#        make bench HOST=svm-tcg GUEST=linux; several dirs are pooled)
# Exit: 0 ok; 1 a profile has fewer than 2 repetitions with distinct
#       transaction counts; 2 usage or unreadable results.
set -u
[ $# -ge 1 ] && [ "$1" != -h ] && [ "$1" != --help ] ||
	{ sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; [ $# -ge 1 ]; exit $?; }
command -v jq >/dev/null || { echo "linux-marginal: jq is needed" >&2; exit 2; }
rc=0 found=0
for p in mmio-legacy mmio-v3 pci; do
	files=()
	for d in "$@"; do
		[ -d "$d" ] || { echo "linux-marginal: $d: not a directory" >&2; exit 2; }
		[ -f "$d/$p.json" ] && files+=("$d/$p.json")
	done
	[ ${#files[@]} -gt 0 ] || continue
	found=1
	out=$(jq -c '.repetitions[] | select(.status == "ok" and .window_transactions != null) |
		{w: .window_transactions, t: .raw.trace.totals.exits, u: .raw.trace.totals.userspace_exits,
		 r: .raw.trace.exits_by_reason, tps: .metrics.trans_per_s}' "${files[@]}" 2>/dev/null) ||
		{ echo "linux-marginal: cannot read ${files[*]}" >&2; exit 2; }
	echo "$out" | jq -s -r --arg p "$p" '
		def slope(f): (map(.w) | add / length) as $mx | (map(f) | add / length) as $my |
			(map((.w - $mx) * (.w - $mx)) | add) as $sxx |
			if $sxx == 0 then null else (map((.w - $mx) * (f - $my)) | add) / $sxx end;
		def fmt: if . == null then "-" else ((. * 100 | round / 100) + 0 | tostring) end;
		([.[].r | keys[]] | unique) as $reasons |
		if (map(.w) | unique | length) < 2 then "\($p): fewer than 2 repetitions with distinct transaction counts"
		else "\($p): \(length) repetitions, trans/s \([.[].tps | round] | join(" ")); per transaction: " +
			"exits \(slope(.t) | fmt) (" +
			([$reasons[] as $k | "\($k) \(slope(.r[$k] // 0) | fmt)"] | join(", ")) +
			"), userspace exits \(slope(.u // 0) | fmt)" end' || rc=1
	echo "$out" | jq -s -e '(map(.w) | unique | length) >= 2' >/dev/null || rc=1
done
[ $found = 1 ] || { echo "linux-marginal: no mmio-legacy/mmio-v3/pci results in $*" >&2; exit 2; }
exit $rc
