#!/usr/bin/env bash
# One metric registry (common/metrics.def): every metric name a real run's
# results, report, compare and history carry is a registry row; no tool
# spells a registry key outside metrics.def (code names rows by id); and
# every metric-like name any tool or test reads is in the registry.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
R=$BIN/irqpath-report
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
export TMPDIR=$T

"$R" metrics >"$T/registry.tsv"
check_eq "irqpath-report metrics prints the registry" 0 $?
check "the registry has rows" test "$(wc -l <"$T/registry.tsv")" -gt 10
check_eq "registry keys are unique" "" "$(cut -f1 "$T/registry.tsv" | sort | uniq -d)"

# a real short run of every profile, with a baseline (marginal figures too)
run=$("$BIN/irqpath-bench" --profile all -r 2 -n 50 -w 0 --baseline-transactions 1 \
	--out "$T/results" --run-id reg -q 2>"$T/bench.err")
check_eq "bench ran" 0 $?
"$R" "$run" >"$T/report.out" 2>&1
check_eq "report ran" 0 $?
"$R" compare --json "$T/cmp.json" "$run" "$run" >/dev/null
"$R" history "$T/h.jsonl" --append "$run" --out "$T/h" >/dev/null 2>&1
jq -r '(.repetitions[] | ((.metrics, .marginal, .counts) // {} | keys[])),
	(.summary, .marginal_summary // {} | keys[]), (.agreement | keys[])' "$run"/*.json \
	| sort -u >"$T/used"
jq -r '.metrics[].metric' "$T/cmp.json" >>"$T/used"
jq -r '.profiles[] | keys[]' "$T/h.jsonl" >>"$T/used"
check "the run produced metrics" test "$(sort -u "$T/used" | wc -l)" -gt 20
out=$(sort -u "$T/used" | xargs "$R" metrics --check 2>&1)
check_eq "every metric name in results, compare and history is a registry row" "" "$out"
# the table's rows are the registry's labels
check "report rows carry registry labels" grep -q "^irq-path exits/dev irq " "$run/report.txt"

# sources: string literals that look like metric names
literals() { # FILE... -> one literal per line
	grep -ho '"[a-z][a-z0-9_.%]*"' "$@" 2>/dev/null | tr -d '"' | sort -u
}
metricish='(_per_txn|_per_s$|^latency_.*_us$|_per_device_irq$)'
tools=$(ls "$IRQPATH_ROOT"/{bench,reports,common,collectors}/*.[ch] 2>/dev/null)
tests=$(ls "$IRQPATH_ROOT"/{bench,reports,common,collectors}/tests/*.c \
	"$IRQPATH_ROOT"/tests/integration/*.sh 2>/dev/null)
# keys and family prefixes (the text before the first %s) of the registry
cut -f1 "$T/registry.tsv" | tail -n +2 | sed 's/%s.*//' >"$T/keys"
spelled=$(literals $tools | grep -E "$metricish" | grep -vF '%s' |
	while read -r l; do grep -qxF "$l" "$T/keys" && echo "$l"; done)
check_eq "no tool source spells a registry key (rows are named by id)" "" "$spelled"
unknown=$(literals $tools $tests | grep -E "$metricish" | grep -v '%' | xargs -r "$R" metrics --check 2>&1)
check_eq "every metric-like name in tools and tests is a registry row" "" "$unknown"
# the scan can fail: a name the registry lacks is caught
printf 'const char *k = "%s";\n' "bogus_$(echo per_txn)" >"$T/probe.c"
check "a stray metric name is caught" test -n "$(literals "$T/probe.c" | grep -E "$metricish" | xargs "$R" metrics --check 2>&1)"
done_testing
