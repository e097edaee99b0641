#!/usr/bin/env bash
# Runs libFuzzer harnesses one after another, niced, and writes a summary.
#
# Usage: fuzz/run.sh BUILD_DIR SECONDS MODE HARNESS...
#   MODE smoke:    start from the committed seeds (fuzz/corpus/H), keep nothing new
#   MODE campaign: also grow BUILD_DIR/fuzz/corpus/H, kept across campaigns
# Crashing inputs land in OUT/crashes/, logs in OUT/logs/, per-harness
# figures in OUT/MODE-summary.tsv (harness, execs, edges, features, corpus,
# seconds, status); OUT is $FUZZ_RESULTS_DIR, default BUILD_DIR/fuzz (a test
# run gives its own, so concurrent runs do not mix). Exits 1 if any harness
# crashed or did not run.
set -u
[ $# -ge 4 ] || { echo "usage: $0 BUILD_DIR SECONDS smoke|campaign HARNESS..." >&2; exit 2; }
build=$1 secs=$2 mode=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
fz=$build/fuzz
res=${FUZZ_RESULTS_DIR:-$fz}
mkdir -p "$res/logs" "$res/crashes"
summary=$res/$mode-summary.tsv
printf 'harness\texecs\tedges\tfeatures\tcorpus\tseconds\tstatus\n' >"$summary"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/irqpath-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

bad=0 total=0
for h in "$@"; do
	bin=$fz/bin/$h
	log=$res/logs/$h-$mode.log
	seeds=$root/fuzz/corpus/$h
	if [ "$mode" = campaign ]; then
		out=$fz/corpus/$h
	else
		out=$scratch/$h
	fi
	mkdir -p "$out"
	if [ ! -x "$bin" ]; then
		printf '%s\t0\t0\t0\t0\t0\tmissing\n' "$h" >>"$summary"
		echo "$h: $bin not built" >&2
		bad=1
		continue
	fi
	start=$SECONDS
	# -close_fd_mask=2: the device model's warnings would slow every run;
	# libFuzzer and the sanitizers still report on a duplicate of stderr.
	nice -n 10 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$res/crashes/$h-" \
		"$out" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -n1)
	edges=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	feats=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	status=ok
	[ "$rc" -eq 0 ] || { status="crash(rc=$rc)"; bad=1; }
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$h" "${execs:-0}" "${edges:-0}" "${feats:-0}" \
		"${corp:-0}" $((SECONDS - start)) "$status" >>"$summary"
	total=$((total + ${execs:-0}))
	if [ "$rc" -ne 0 ]; then
		echo "$h crashed; log $log:" >&2
		grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -n 20 >&2
	fi
done
while IFS=$'\t' read -r a b c d e f g; do
	printf '%-16s %12s %6s %9s %7s %8s  %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g"
done <"$summary"
echo "total executions: $total"
exit $bad
