#!/usr/bin/env bash
# irqpath-report against results that cannot be true or are cut short:
#  - the validator refuses values that are not finite or absurd (a sum of
#    1e308s overflows), repetition transaction counts that are negative,
#    zero or strings, and says plainly when a run has more repetitions than
#    it checks;
#  (the text table printing wide values whole: reports/tests/test_tab.c)
#  - an interrupted report leaves no half-written charts/ or temp files.
source "$(dirname "$0")/../lib.sh"
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
require "$R"
require_cmd jq gnuplot
T=$(tmpdir)
RP=
trap '[ -n "$RP" ] && kill -KILL "$RP" 2>/dev/null; rm -rf "$T"' EXIT
SRC=$FIX/run-a/mmio-v3.json

expect_invalid() { # NAME MESSAGE-SUBSTRING (the file is $T/NAME.json)
	local msg rc
	msg=$("$R" validate "$T/$1.json" 2>&1)
	rc=$?
	check_eq "$1: exit status 2" 2 "$rc"
	if grep -qF -- "$2" <<<"$msg"; then ok "$1: says '$2'"; else fail "$1: message was: $msg"; fi
}
mk() { jq "$2" "$SRC" >"$T/$1.json"; }

# 1e308 everywhere: the mean overflows to infinity and compares as NaN.
mk huge '.repetitions |= map(.metrics.trans_per_s = 1e308) | .summary.trans_per_s.mean = 1e308'
expect_invalid huge "repetitions[0].metrics.trans_per_s: 1e+308 is not a plausible value"
mk neg '.repetitions[0].transactions = -5'
expect_invalid neg "repetitions[0].transactions: expected a positive integer"
mk zero '.repetitions[1].transactions = 0'
expect_invalid zero "repetitions[1].transactions: expected a positive integer"
mk str '.repetitions[2].transactions = "1000"'
expect_invalid str "repetitions[2].transactions: expected a positive integer"
# More repetitions than the validator handles: the message says that, not a wrong n.
mk many '.repetitions = [range(1100) as $i | (.repetitions[0] | .index = $i + 1)] | .workload.repetitions = 1100'
expect_invalid many "repetitions: 1100 entries, more than the 1024"

# ---- interrupted while drawing charts: nothing half-written is left ----
mkdir "$T/int"
cp "$FIX/run-a/"*.json "$T/int/"
export TMPDIR=$T/tmp
mkdir "$TMPDIR"
# A gnuplot that never finishes: the report is interrupted while it waits.
mkdir "$T/bin"
NAP=597.$$ # a sleep only this test runs
printf '#!/bin/sh\ntouch "%s/gnuplot-started"\nexec sleep %s\n' "$T" "$NAP" >"$T/bin/gnuplot"
chmod +x "$T/bin/gnuplot"
PATH=$T/bin:$PATH "$R" "$T/int" >"$T/int.out" 2>&1 &
RP=$!
while [ ! -e "$T/gnuplot-started" ] && kill -0 "$RP" 2>/dev/null; do sleep 0.05; done
kill -INT "$RP"
wait "$RP"
rc=$?
RP=
check_eq "interrupted report: exit 130" 130 "$rc"
check "interrupted report: no charts/ directory" [ ! -e "$T/int/charts" ]
check_eq "interrupted report: no temp files left" "" "$(ls -A "$TMPDIR" "$T/int" | grep -vE '^(mmio-legacy|mmio-v3|pci)\.json$|^$|:$')"
check "interrupted report: no gnuplot left running" bash -c "! pgrep -fx 'sleep $NAP'"
done_testing
