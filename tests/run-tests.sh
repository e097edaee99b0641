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
#
# A host without /dev/kvm (a kvm-pvm guest kernel does not bind it) still
# runs KVM tests for real: those marked "need_kvm l1" (IRQPATH_KVM_VIA_L1=core,
# the default) or all that need KVM (=all, `make test-l1`) run together
# inside one boot of the emulated SVM host (hosts/svm-tcg: L1 Linux with
# kvm_amd under QEMU TCG, 2 vCPUs); =0 runs none there. The others skip,
# saying so.
# IRQPATH_ONLY="a.sh b.sh" limits the integration tests to those names
# (how the batch runs inside L1).
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
ONLY=${IRQPATH_ONLY:-}
# The KVM tests that go to the L1 batch (none where /dev/kvm exists).
L1_MODE=${IRQPATH_KVM_VIA_L1:-core}
l1_tests=()
if [ ! -e /dev/kvm ] && [ -z "${IRQPATH_IN_L1:-}" ] && [ "$L1_MODE" != 0 ]; then
	for t in "$IRQPATH_ROOT"/tests/integration/*.sh; do
		[ -n "$FILTER" ] && [[ "$t" != *"$FILTER"* ]] && continue
		if grep -qE '^need_kvm l1' "$t" || { [ "$L1_MODE" = all ] && grep -qE '^need_kvm' "$t"; }; then
			l1_tests+=("$(basename "$t")")
		fi
	done
fi
in_l1_batch() { [[ " ${l1_tests[*]} " == *" $(basename "$1") "* ]]; }

for t in "$IRQPATH_BUILD"/tests/*; do
	[ -n "$ONLY" ] && break
	[ -x "$t" ] && [ -f "$t" ] || continue
	[ -n "$FILTER" ] && [[ "$t" != *"$FILTER"* ]] && continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$IRQPATH_ROOT"/tests/integration/*.sh; do
	[ -n "$FILTER" ] && [[ "$t" != *"$FILTER"* ]] && continue
	[ -n "$ONLY" ] && [[ " $ONLY " != *" $(basename "$t") "* ]] && continue
	in_l1_batch "$t" && continue
	run_one "integration/$(basename "$t" .sh)" bash "$t"
done

# The L1 batch: one boot, this script inside it on the listed tests; its
# per-test lines stream through and its closing counts add to ours.
if [ ${#l1_tests[@]} -gt 0 ]; then
	echo "# no /dev/kvm on this host: ${#l1_tests[@]} KVM tests run inside the emulated SVM host (hosts/svm-tcg, one L1 boot)"
	l1_log=$LOG_DIR/l1-batch.log
	start=$SECONDS
	IRQPATH_IN_L1=1 IRQPATH_ONLY="${l1_tests[*]}" "$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost" \
		--build "$IRQPATH_BUILD" --smp 2 --timeout "${IRQPATH_L1_TIMEOUT:-1800}" -q -- \
		bash "$IRQPATH_ROOT/tests/run-tests.sh" "$IRQPATH_BUILD" "$FILTER" 2>"$l1_log.err" | tee "$l1_log"
	rc=${PIPESTATUS[0]}
	counts=$(tail -n 1 "$l1_log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
	if [ -n "$counts" ]; then
		read -r p f s <<<"$counts"
		pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
		[ "$f" -gt 0 ] && failed_names+=($(sed -n 's/^failed: \(.*\) (logs in.*/\1/p' "$l1_log"))
	else
		fail=$((fail + 1))
		failed_names+=("l1-batch")
		echo "FAIL l1-batch: the emulated SVM host ended with status $rc and no counts ($((SECONDS - start))s):"
		tail -n 15 "$l1_log.err" | sed 's/^/     | /'
	fi
	echo "# L1 batch: $((SECONDS - start))s"
fi

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]} (logs in $LOG_DIR)"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
