#!/usr/bin/env bash
# A/B compare and CI history: identical inputs are "no significant change";
# a shifted copy is flagged by the permutation test (p < 0.01).
source "$(dirname "$0")/../lib.sh"
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
BASE=$FIX/ab-base.json

# a copy with every repetition's trans/s 10% lower (summary recomputed)
jq '.run_id = "shifted" |
    .repetitions[].metrics.trans_per_s *= 0.9 |
    .summary.trans_per_s.mean = ([.repetitions[].metrics.trans_per_s] | add / length) |
    .summary.trans_per_s.stddev *= 0.9' "$BASE" >"$T/shifted.json"
check "the shifted copy is itself valid" "$R" validate "$T/shifted.json"

out=$("$R" compare "$BASE" "$BASE" --json "$T/same.json")
check_eq "compare identical: exit 0" 0 $?
check "compare identical: no significant change" grep -q '^no significant change' <<<"$out"
check_eq "compare identical: JSON counts 0 significant" 0 "$(jq .significant "$T/same.json")"
check "compare identical: p = 1 for trans/s" grep -qE ' 1\.0000 +mmio-v3\.trans_per_s +no significant change$' <<<"$out"

out=$("$R" compare "$BASE" "$T/shifted.json" --json "$T/shift.json")
check_eq "compare shifted: exit 0" 0 $?
check "compare shifted: trans/s flagged as a regression" grep -qE -- '-10\.0% .*mmio-v3\.trans_per_s +REGRESSION$' <<<"$out"
check "compare shifted: one significant change" grep -q '^1 significant change' <<<"$out"
check_eq "compare shifted: JSON marks trans_per_s" true \
	"$(jq '.metrics[] | select(.metric == "trans_per_s") | .significant' "$T/shift.json")"
p=$(jq '.metrics[] | select(.metric == "trans_per_s") | .p < 0.01' "$T/shift.json")
check_eq "compare shifted: p < 0.01" true "$p"
check_eq "compare shifted: other metrics unchanged" 1 "$(jq '[.metrics[] | select(.significant)] | length' "$T/shift.json")"

# three repetitions each can never reach p < 0.01: say so instead of guessing
out=$("$R" compare "$FIX/run-a/mmio-v3.json" "$FIX/run-a/mmio-legacy.json")
check_eq "one profile each side: exit 0" 0 $?
check "one profile each side: the two are paired" grep -q '^comparing profiles: BASE mmio-v3 with NEW mmio-legacy' <<<"$out"
# two profiles on each side, no name in common: named, nothing guessed
mkdir -p "$T/ren"
for p in mmio-legacy mmio-v3; do
	jq --arg n "x-$p" '.profile.name = $n' "$FIX/run-a/$p.json" >"$T/ren/x-$p.json"
done
"$R" compare "$FIX/run-a" "$T/ren" >"$T/none.out" 2>"$T/none.err"
check_eq "two disjoint sets of profiles: nothing paired is bad input (2)" 2 $?
check "two disjoint sets: says nothing could be paired" grep -q 'could be paired' "$T/none.err"
check "two disjoint sets: names what BASE alone has" grep -q '^only in BASE, not compared: mmio-legacy' "$T/none.out"
check "two disjoint sets: names what NEW alone has" grep -q '^only in NEW, not compared: x-mmio-v3' "$T/none.out"
jq '.repetitions[].metrics.trans_per_s *= 0.5 | .summary.trans_per_s.mean *= 0.5 |
    .summary.trans_per_s.stddev *= 0.5' "$FIX/run-a/mmio-v3.json" >"$T/half.json"
out=$("$R" compare "$FIX/run-a/mmio-v3.json" "$T/half.json")
check "n=3 vs 3: no significant change even at -50%" grep -q '^no significant change' <<<"$out"
check "n=3 vs 3: explains the smallest possible p" grep -q 'smallest possible p is 0.100' <<<"$out"

# history: four steady runs, then the shifted one
H=$T/h/history.jsonl
mkdir -p "$T/h"
for i in 1 2 3 4; do
	"$R" history "$H" --append "$BASE" --commit "c$i" --date "2026-01-0${i}T00:00:00Z" >/dev/null 2>&1
done
check_eq "history: four lines appended" 4 "$(wc -l <"$H")"
out=$("$R" history "$H" --append "$T/shifted.json" --commit c5 --strict 2>/dev/null)
check_eq "history --strict: exit 3 on a regression at the newest run" 3 $?
check "history: the regression is named" grep -q '^REGRESSION mmio-v3 trans_per_s at c5' <<<"$out"
check_eq "history: only that point is flagged" 1 "$(grep -c '^REGRESSION' <<<"$out")"
check_eq "history: each line is irqpath-history/1" 5 "$(jq -r .schema "$H" | grep -c '^irqpath-history/1$')"
check_eq "history: samples kept per metric" 10 "$(tail -n1 "$H" | jq '.profiles["mmio-v3"].trans_per_s.samples | length')"
png=$T/h/history/history-trans_per_s.png
check_eq "history: trans/s chart is a PNG" 89504e470d0a1a0a "$(od -An -tx1 -N8 "$png" | tr -d ' \n')"
check "history: chart has the regression series" grep -q '>regression<' "$T/h/history/history-trans_per_s.svg"
out=$("$R" history "$H" 2>/dev/null)
check_eq "history without --strict: exit 0" 0 $?
# distinct points per run: commit + date, even for one commit run twice
"$R" history "$T/h/same.jsonl" --append "$BASE" --commit same --date 2026-02-01T08:00:00Z >/dev/null 2>&1
"$R" history "$T/h/same.jsonl" --append "$BASE" --commit same --date 2026-02-01T09:30:00Z >/dev/null 2>&1
labels=$(grep -o '"same [^"]*"' "$T/h/history/history-trans_per_s.dat" | sort -u | wc -l)
check_eq "history: one commit run twice is two labelled points" 2 "$labels"
check "history: the label carries the date" grep -q '"same 02-01 09:30"' "$T/h/history/history-trans_per_s.dat"
# the text table: the newest point of each headline series against the window
check "history: table header" grep -q '^newest run (c5 .*) against the previous 5' <<<"$out"
check "history: trans/s row flags the newest run" grep -qE '^mmio-v3 +trans/s +[0-9]+ +[0-9]+ +-10\.0% +[0-9.e-]+ REGRESSION$' <<<"$out"
check "history: an unchanged series says so" grep -qE '^mmio-v3 +exits, all causes .* no significant change$' <<<"$out"
echo 'not json' >>"$H"
"$R" history "$H" >/dev/null 2>"$T/err"
check_eq "history: a corrupt line is bad input (2)" 2 $?
check "history: names file:line" grep -q "history.jsonl:6" "$T/err"
done_testing
