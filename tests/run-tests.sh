#!/usr/bin/env bash
# Runs every test and prints one closing line: "N passed, N failed, N skipped".
#
# A test is an executable in $BUILD/tests/ (cmocka unit tests, run with TAP
# output) or a script tests/integration/*.sh. Each prints TAP lines
# ("ok N - what", "not ok N - what", "ok N # SKIP why"); every such line is
# one test case. A test that exits non-zero without printing "not ok" counts
# as one failure, so a crash is never silent.
#
# Usage: tests/run-tests.sh [BUILD_DIR] [FILTER]   (FILTER: substring of a name)
set -u
BUILD=${1:-build}
FILTER=${2:-${TESTS:-}}
export IRQPATH_BUILD=$(cd "$BUILD" && pwd)
export IRQPATH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CMOCKA_MESSAGE_OUTPUT=TAP
LOG_DIR="$IRQPATH_BUILD/test-logs"
mkdir -p "$LOG_DIR"

pass=0 fail=0 skip=0
failed_names=()

run_one() {
	local name=$1; shift
	local log="$LOG_DIR/$(basename "$name").log"
	local start=$SECONDS
	"$@" >"$log" 2>&1
	local rc=$?
	local p f s
	# cmocka reports a skipped test as "not ok N # SKIP": a skip, not a failure.
	p=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
	s=$(grep -ciE '^(not )?ok [0-9]+.*# *skip' "$log" | tr -d ' ')
	f=$(grep -E '^not ok [0-9]+' "$log" | grep -civE '# *skip' | tr -d ' ')
	p=$((p - $(grep -ciE '^ok [0-9]+.*# *skip' "$log" | tr -d ' ')))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	local status=PASS
	[ "$f" -gt 0 ] && { status=FAIL; failed_names+=("$name"); }
	printf '%-4s %-45s %3d ok %2d failed %2d skipped (%ds)\n' "$status" "$name" "$p" "$f" "$s" $((SECONDS - start))
	if [ "$f" -gt 0 ] || [ "$s" -gt 0 ]; then
		grep -E '^not ok|# *[Ss][Kk][Ii][Pp]' "$log" | sed 's/^/     /'
	fi
	if [ "$f" -gt 0 ]; then
		echo "     --- last lines of $log:"
		tail -n 25 "$log" | sed 's/^/     | /'
	fi
}

shopt -s nullglob
for t in "$IRQPATH_BUILD"/tests/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	[ -n "$FILTER" ] && [[ "$t" != *"$FILTER"* ]] && continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$IRQPATH_ROOT"/tests/integration/*.sh; do
	[ -n "$FILTER" ] && [[ "$t" != *"$FILTER"* ]] && continue
	run_one "integration/$(basename "$t" .sh)" bash "$t"
done

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]} (logs in $LOG_DIR)"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
