#!/usr/bin/env bash
# A test whose precondition is missing must fail cleanly: one "not ok"
# naming what is missing and a plan, exit 1, and no shell error from code
# that runs before its variables are set (set -u aborts on those). Runs
# driver-mmio-legacy.sh with a PATH that has no qemu-system-x86_64.
source "$(dirname "$0")/../lib.sh"
need_root "driver-mmio-legacy.sh needs root to get as far as its QEMU check"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
mkdir "$T/bin"
for c in bash dirname id mktemp cat; do ln -s "$(command -v "$c")" "$T/bin/$c"; done
PATH=$T/bin IRQPATH_BUILD=$IRQPATH_BUILD IRQPATH_ROOT=$IRQPATH_ROOT \
	"$T/bin/bash" "$IRQPATH_ROOT/tests/integration/driver-mmio-legacy.sh" >"$T/out" 2>"$T/err"
rc=$?
check_eq "no QEMU: exit 1" 1 "$rc"
check_eq "no QEMU: one failed check, then the plan" \
	"not ok 1 - qemu-system-x86_64 missing (install qemu-system-x86)|1..1" \
	"$(paste -sd'|' "$T/out")"
check "no QEMU: no shell error (unbound variable, command not found)" \
	bash -c "! grep -qE 'unbound variable|command not found' '$T/err'"
done_testing
