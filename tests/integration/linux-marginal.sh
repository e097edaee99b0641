#!/usr/bin/env bash
# vmm/linux-marginal.sh: the slope of host exits over window transactions,
# by reason, from irqpath-results/1 repetitions (synthetic ones here, with
# a fixed cost per repetition the means would fold in); and its refusals.
source "$(dirname "$0")/../lib.sh"
require_cmd jq
M=$IRQPATH_ROOT/vmm/linux-marginal.sh
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
rep() { # rep WINDOW_TXN: 1000 fixed exits (500 cpuid, 500 io) + 5 per txn (1 npf, 2 msr, 2 vintr)
	jq -n --argjson w "$1" '{status: "ok", window_transactions: $w, metrics: {trans_per_s: 100},
		raw: {trace: {totals: {exits: (1000 + 5 * $w), userspace_exits: 500},
		      exits_by_reason: {cpuid: 500, io: 500, npf: $w, msr: (2 * $w), vintr: (2 * $w)}}}}'
}
mkdir -p "$T/a" "$T/b" "$T/one"
jq -n --argjson a "$(rep 100)" --argjson b "$(rep 300)" '{repetitions: [$a, $b]}' >"$T/a/mmio-v3.json"
jq -n --argjson c "$(rep 1000)" '{repetitions: [$c, {status: "failed"}]}' >"$T/b/mmio-v3.json"
out=$("$M" "$T/a" "$T/b")
check_eq "slopes over pooled runs: exit 0" 0 $?
check "3 repetitions pooled (a failed one left out)" grep -q "mmio-v3: 3 repetitions" <<<"$out"
check "total: 5 per transaction, not the mean's 10 or 6 ($out)" grep -q "exits 5 (" <<<"$out"
check "by reason: fixed costs are 0, npf 1, msr 2" grep -q "cpuid 0, io 0, msr 2, npf 1, vintr 2" <<<"$out"
check "userspace exits: fixed, 0 per transaction" grep -q "userspace exits 0$" <<<"$out"
jq -n --argjson a "$(rep 100)" '{repetitions: [$a, $a]}' >"$T/one/pci.json"
"$M" "$T/one" >"$T/out" 2>&1
check_eq "equal transaction counts: no slope, exit 1" 1 $?
check "... and says so" grep -q "fewer than 2 repetitions with distinct" "$T/out"
"$M" "$T/nonexistent" >"$T/out" 2>&1
check_eq "a missing directory: exit 2" 2 $?
mkdir -p "$T/empty"
"$M" "$T/empty" >"$T/out" 2>&1
check_eq "no results in it: exit 2" 2 $?
done_testing
