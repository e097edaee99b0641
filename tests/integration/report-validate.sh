#!/usr/bin/env bash
# irqpath-report validate: the schema is enforced, each broken rule named.
source "$(dirname "$0")/../lib.sh"
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

out=$("$R" validate "$FIX/run-a" "$FIX/ab-base.json" 2>&1)
check_eq "valid fixtures pass" 0 $?
check_eq "every file in the run directory is checked" 3 "$(grep -c 'run-a/.*valid' <<<"$out")"

expect_invalid() { # FILE MESSAGE-SUBSTRING
	local msg rc
	msg=$("$R" validate "$1" 2>&1)
	rc=$?
	check_eq "$(basename "$1"): exit status 2" 2 "$rc"
	if grep -qF -- "$2" <<<"$msg"; then ok "$(basename "$1"): says '$2'"; else fail "$(basename "$1"): message was: $msg"; fi
}
expect_invalid "$FIX/bad-summary-mean.json" "summary.trans_per_s.mean"
expect_invalid "$FIX/bad-missing-host.json" "host: expected an object"
expect_invalid "$FIX/bad-schema-major.json" 'expected "irqpath-results/1"'
expect_invalid "$FIX/bad-metric-type.json" "repetitions[1].metrics.acks_per_txn"
expect_invalid "$FIX/bad-rep-count.json" "workload.repetitions is 5"
# runs without KVM counters (QEMU TCG): host counts must be null, not zero
check "a TCG run with null host counts is valid" "$R" validate "$FIX/linux-tcg.json"
expect_invalid "$FIX/bad-tcg-host-zero.json" "kvm_counters is false, so host counts must be null"
expect_invalid "$FIX/bad-tcg-kvm-counters.json" 'kvm_counters: true, but accel is "tcg"'
echo '{"schema": "irqpath-results/1", ' >"$T/trunc.json"
expect_invalid "$T/trunc.json" "invalid JSON"
expect_invalid "$T/none.json" "No such file"

# the report refuses invalid input with status 2 and writes nothing
mkdir "$T/bad" && cp "$FIX/bad-summary-mean.json" "$T/bad/"
"$R" "$T/bad" >/dev/null 2>&1
check_eq "report on an invalid run: exit 2" 2 $?
check "report on an invalid run writes nothing" test ! -e "$T/bad/report.md"
"$R" compare 2>/dev/null
check_eq "compare without arguments: exit 2" 2 $?
done_testing
