#!/usr/bin/env bash
# A profile without KVM counters (a Linux guest under QEMU TCG) is marked
# "no KVM counters (TCG)" in every output: table, Markdown, HTML, charts,
# compare and history — never shown as n/a or zero host counts.
# Input: the synthetic fixture reports/tests/fixtures/linux-tcg.json.
source "$(dirname "$0")/../lib.sh"
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
mkdir "$T/run"
cp "$FIX/linux-tcg.json" "$T/run/pci.json"
cp "$FIX/run-a/mmio-legacy.json" "$FIX/run-a/mmio-v3.json" "$T/run/"

"$R" "$T/run" -q 2>"$T/err"
check_eq "report: exit 0" 0 $?
txt=$T/run/report.txt
check "table: host rows say no KVM counters" grep -Eq '^exits, all causes +no KVM counters' "$txt"
check "table: agreement row too" grep -Eq '^guest/host agree +no KVM counters' "$txt"
check "table: an accel row" grep -Eq '^accel +tcg +kvm +kvm' "$txt"
check "table: the KVM profiles keep their counts" grep -Eq '^exits, all causes +no KVM counters +[0-9.]+ +[0-9.]+' "$txt"
check "notes: pci: no KVM counters (TCG)" grep -q '^pci: no KVM counters (TCG)' "$txt"
check "attribution: pci is not attributed" grep -q '^  mmio-legacy: not compared, the reference has no KVM counters' "$txt"
check "text within 72 columns" test "$(awk '{ if (length > m) m = length } END { print m + 0 }' "$txt")" -le 72
check "markdown: agreement row" grep -q '| pci | all | n/a | no KVM counters (TCG) | n/a |' "$T/run/report.md"
# list items are wrapped at 100 columns: read them joined
check "markdown: provenance names the accelerator" grep -q 'guest linux on qemu, accel tcg: no KVM counters (TCG)' \
	<(tr '\n' ' ' <"$T/run/report.md" | tr -s ' ')
check "html: marked" grep -q 'no KVM counters (TCG)' "$T/run/report.html"
check "charts: trans/s legend" grep -q 'title "pci (no KVM counters (TCG))"' "$T/run/charts/charts.gp"
check "charts: exits data labels the profile" grep -q '^"pci (no KVM counters (TCG))"' "$T/run/charts/exits-by-cause.dat"
check "charts: in-kernel/userspace data: missing, not zero" grep -Eq '^[0-9]+ "pci \(no KVM counters \(TCG\)\)"( \?)+$' "$T/run/charts/exits.dat"
check "charts: the TCG column is missing, not zero" grep -Eq '^"pci \(no KVM counters \(TCG\)\)"( \?)+$' "$T/run/charts/irqs.dat"

# only TCG: the host charts say why they are empty (and gnuplot still draws)
mkdir "$T/tcg" && cp "$FIX/linux-tcg.json" "$T/tcg/pci.json"
"$R" "$T/tcg" -q 2>/dev/null
check_eq "TCG-only report: exit 0" 0 $?
check "TCG-only: exits chart says no KVM counters" grep -q 'no KVM counters (TCG): no host exit counts' "$T/tcg/charts/charts.gp"
check "TCG-only: irqs chart drawn" test -s "$T/tcg/charts/irqs.svg"

# compare: a KVM base against a TCG new
out=$("$R" compare "$FIX/run-a/pci.json" "$FIX/linux-tcg.json" --json "$T/cmp.json")
check_eq "compare: exit 0" 0 $?
check "compare: accelerators differ" grep -q '^note: pci: accel differs (base kvm, new tcg)' <<<"$out"
check "compare: no KVM counters in NEW" grep -q '^note: pci: no KVM counters (TCG) in NEW' <<<"$out"
check "compare: no host metric line" bash -c "! grep -q 'pci.exits_per_txn' <<<\"\$1\"" _ "$out"
check_eq "compare JSON: notes besides settings" 2 "$(jq '[.notes[] | select(test(" differs: ") | not)] | length' "$T/cmp.json")"

# history: TCG points are labelled and never pooled with KVM ones. The TCG
# run is ab-base (10 repetitions) made TCG: host counts null, latency x5 —
# against the KVM points that would be a regression, so a control run of
# the same lines without profile_info must flag it.
jq 'def host: (.key | test("^(guest[.]|vmm[.]|trans_per_s|latency_)") | not);
    .accel = "tcg" | .kvm_counters = false | .note = "no KVM counters (TCG)"
    | .tracer.available = false
    | .repetitions |= map(.metrics |= (with_entries(if host then .value = null else . end)
                                       | .latency_p50_us *= 5))
    | .agreement = {}
    | .summary |= with_entries(if host then .value = {mean: null, stddev: null, n: 0}
                               elif .key == "latency_p50_us" then .value.mean *= 5 | .value.stddev *= 5
                               else . end)' "$FIX/ab-base.json" >"$T/ab-tcg.json"
check "the TCG copy of ab-base is valid" "$R" validate "$T/ab-tcg.json"
H=$T/h/history.jsonl
mkdir "$T/h"
for i in 1 2 3; do "$R" history "$H" --append "$FIX/ab-base.json" --commit "k$i" >/dev/null 2>&1; done
out=$("$R" history "$H" --append "$T/ab-tcg.json" --commit t1 2>/dev/null)
check_eq "history: exit 0" 0 $?
check "history: says the newest run has no KVM counters" grep -q '^mmio-v3: no KVM counters (TCG) at the newest run' <<<"$out"
check_eq "history: the TCG point is not judged against KVM ones" 0 "$(grep -c '^REGRESSION' <<<"$out")"
check_eq "history: profile_info recorded" false "$(tail -n1 "$H" | jq '.profile_info["mmio-v3"].kvm_counters')"
check "history: series labelled" grep -q 'mmio-v3 (TCG runs: no KVM counters)' "$T/h/history/history.gp"
jq -c 'del(.profile_info)' "$H" >"$T/h/pooled.jsonl"
out=$("$R" history "$T/h/pooled.jsonl" --out "$T/h/pooled" 2>/dev/null)
check "control: pooled with the KVM points, the latency is flagged" \
	grep -q '^REGRESSION mmio-v3 latency_p50_us at t1' <<<"$out"
done_testing
