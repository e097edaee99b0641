#!/usr/bin/env bash
# Transports compared on a real run (KVM + BPF): mmio-legacy against mmio-v3
# must show a significant drop in exits with the difference attributed to
# the status reads and acks; a run compared with itself must show none;
# settings that differ and profiles on one side only are named.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
B=$BIN/irqpath-bench
R=$BIN/irqpath-report
T=$(tmpdir)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
require "$B" "$R" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$IRQPATH_BUILD/guest/microguest.elf"

# 5 + 5 repetitions: the smallest possible p (0.008) is below 0.01
run=$("$B" --profile mmio-legacy,mmio-v3 -r 5 -n 200 -w 10 --baseline-transactions 1 \
	--out "$T/results" --run-id cmp -q)
check_eq "bench exits 0" 0 $?
L=$run/mmio-legacy.json V=$run/mmio-v3.json

out=$("$R" compare "$L" "$V" --json "$T/lv.json")
check_eq "legacy vs v3: exit 0" 0 $?
check "legacy vs v3: the two profiles are paired" grep -q '^comparing profiles: BASE mmio-legacy with NEW mmio-v3' <<<"$out"
check_eq "legacy vs v3: exits per transaction significantly lower" "true true" \
	"$(jq -r '.metrics[] | select(.metric == "exits_per_txn.total") | "\(.significant) \(.p < 0.01)"' "$T/lv.json")"
check "legacy vs v3: the exits line says improvement" grep -qE 'mmio-v3\.exits_per_txn\.total +improvement$' <<<"$out"
check "legacy vs v3: %change and p on the line" grep -qE -- '-[0-9.]+% .* 0\.00[0-9]+ +mmio-v3\.exits_per_txn\.total' <<<"$out"
check "legacy vs v3: the transport is a setting that differs" grep -q '^note: mmio-v3: profile.transport differs: mmio-legacy (base) vs mmio-v3 (new)' <<<"$out"
check "legacy vs v3: attribution header" grep -q '^new mmio-v3 - base mmio-legacy, exits per transaction (host, marginal):' <<<"$out"
check "legacy vs v3: MMIO difference attributed to status reads and acks" \
	grep -qE '^  (MMIO|npf|NPF) +-[0-9.]+ +InterruptStatus reads -[0-9.]+' <<<"$out"
check "legacy vs v3: ... and InterruptACK writes" grep -qE 'InterruptACK writes -1\.00' <<<"$out"
check "legacy vs v3: the interrupt path's events listed" grep -qE '^  interrupt path: .*status reads -' <<<"$out"
check "legacy vs v3: ... with the MSIs v3 adds" grep -qE 'MSIs \+1\.00' <<<"$out"
check "legacy vs v3: userspace exits attributed" grep -qE '^  of which userspace +-[0-9.]+' <<<"$out"
# the attribution follows the counts: status reads + acks = the MMIO drop (up to "other")
sr=$(jq '.marginal_summary.status_reads_per_txn.mean' "$L")
check "legacy vs v3: the attributed status reads are the legacy file's" \
	grep -qF "InterruptStatus reads -$(printf '%.2f' "$sr")" <<<"$out"

out=$("$R" compare "$L" "$L" --json "$T/ll.json")
check_eq "legacy vs itself: exit 0" 0 $?
check_eq "legacy vs itself: nothing significant" 0 "$(jq .significant "$T/ll.json")"
check "legacy vs itself: says no significant change" grep -q '^no significant change' <<<"$out"
check_eq "legacy vs itself: no setting differs" 0 "$(jq '.pairs[0].settings_differ | length' "$T/ll.json")"
check_eq "legacy vs itself: every metric line says no significant change" \
	"$(grep -c '  mmio-legacy\.' <<<"$out")" "$(grep -c 'no significant change$' <<<"$out")"

# a setting changed on one side is a note; a profile on one side only is named
jq '.profile.notify = "exit"' "$V" >"$T/v3-exit.json"
out=$("$R" compare "$V" "$T/v3-exit.json")
check "notify differs: listed as a note" grep -q '^note: mmio-v3: profile.notify differs: ioeventfd (base) vs exit (new)' <<<"$out"
out=$("$R" compare "$run" "$V" --json "$T/dir.json")
check_eq "run vs one file: exit 0" 0 $?
check "run vs one file: mmio-legacy named as BASE only" grep -q '^only in BASE, not compared: mmio-legacy' <<<"$out"
check_eq "run vs one file: JSON names it" '["mmio-legacy"]' "$(jq -c .only_in_base "$T/dir.json")"

# the report of the run compares its profiles with each other
"$R" "$run" --no-charts -q 2>/dev/null
check "report: profiles compared section" grep -q '^Profiles compared' "$run/report.txt"
check "report: exits significant between the transports" \
	grep -qE '^  exits, all causes .* yes$' "$run/report.txt"
check "report: text within 72 columns" test "$(awk '{ if (length > m) m = length } END { print m }' "$run/report.txt")" -le 72
done_testing
