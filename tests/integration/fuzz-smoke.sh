#!/usr/bin/env bash
# Fuzz smoke run: every libFuzzer harness (fuzz/) a few seconds from its
# committed seeds, ASan + UBSan. Any crash, sanitizer report or broken
# invariant fails the test. Builds the harnesses with clang first (they
# are not part of `make all`).
source "$(dirname "$0")/../lib.sh"

secs=${FUZZ_SMOKE_SECONDS:-3}
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	fail "clang not installed (fuzz/debian-packages.txt lists it): harnesses not built"
	done_testing
	exit 1
fi
# A sub-make of its own: not the parent's jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
if make -s -j2 -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" fuzz-build >"$IRQPATH_BUILD/fuzz-build.log" 2>&1; then
	ok "harnesses build with clang -fsanitize=fuzzer,address,undefined"
else
	fail "harness build failed:"
	tail -n 20 "$IRQPATH_BUILD/fuzz-build.log" | sed 's/^/# /'
	done_testing
	exit 1
fi

harnesses=$(make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" fuzz-list)
# Logs, summary and any crashing input in a directory of this run's own.
export FUZZ_RESULTS_DIR=$IRQPATH_BUILD/fuzz/smoke-$$
rm -rf "$FUZZ_RESULTS_DIR"
bash "$IRQPATH_ROOT/fuzz/run.sh" "$IRQPATH_BUILD" "$secs" smoke $harnesses | sed 's/^/# /'
summary=$FUZZ_RESULTS_DIR/smoke-summary.tsv
for h in $harnesses; do
	line=$(grep -P "^$h\t" "$summary")
	status=$(cut -f7 <<<"$line")
	execs=$(cut -f2 <<<"$line")
	edges=$(cut -f3 <<<"$line")
	check_eq "$h: no crash in ${secs}s from the seeds" ok "$status"
	if [ "$status" != ok ]; then
		echo "# crashing input and log kept in $FUZZ_RESULTS_DIR"
		sed 's/^/# /' "$FUZZ_RESULTS_DIR/logs/$h-smoke.log" | grep -E 'ERROR|SUMMARY|invariant|#[0-9]+ in' | head -n 20
	fi
	# Every seed ran (libFuzzer runs the whole corpus first) and then some.
	seeds=$(find "$IRQPATH_ROOT/fuzz/corpus/$h" -type f | wc -l)
	check_ge "$h: executions" "$((seeds + 100))" "${execs:-0}"
	check_ge "$h: edges reached" 10 "${edges:-0}"
done
# Nothing to keep when every harness passed.
[ "$_tap_failed" -eq 0 ] && rm -rf "$FUZZ_RESULTS_DIR"
done_testing
