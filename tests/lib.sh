# Helpers for integration tests (sourced). Each check prints one TAP line.
# Exit status of the script: non-zero if any check failed.
set -u
: "${IRQPATH_BUILD:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../build" && pwd)}"
: "${IRQPATH_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BIN=$IRQPATH_BUILD/bin
_tap_n=0
_tap_failed=0

ok()   { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
fail() { _tap_n=$((_tap_n + 1)); _tap_failed=1; echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
# check DESC CMD...: ok if CMD succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1 ($3)"; else fail "$1: expected '$2', got '$3'"; fi
}
# check_ge DESC MIN ACTUAL (integers)
check_ge() {
	if [ "$3" -ge "$2" ] 2>/dev/null; then ok "$1 ($3 >= $2)"; else fail "$1: expected >= $2, got '$3'"; fi
}
# need_kvm: fail (not skip) when /dev/kvm is missing on a host that should have it;
# skip only where the facility is truly absent and say so.
# "need_kvm l1" marks a test that tests/run-tests.sh runs inside the emulated
# SVM host (hosts/svm-tcg) when this host has no /dev/kvm; `make test-l1`
# runs every KVM test there.
need_kvm() {
	if [ ! -e /dev/kvm ]; then
		skip "no /dev/kvm on this host: KVM tests not run here (make test-l1 runs them inside the emulated SVM host)"
		done_testing
		exit 0
	fi
}
# long_test: a test that boots the emulated SVM host for itself and
# overlaps what make test covers; it runs in `make test-l1` (IRQPATH_LONG=1).
long_test() {
	if [ -z "${IRQPATH_LONG:-}" ]; then
		skip "long test: make test-l1 runs it (IRQPATH_LONG=1)"
		done_testing
		exit 0
	fi
}
need_root() {
	if [ "$(id -u)" -ne 0 ]; then skip "not root: $*"; done_testing; exit 0; fi
}
tmpdir() { mktemp -d "${TMPDIR:-/tmp}/irqpath-test.XXXXXX"; }
done_testing() { echo "1..$_tap_n"; return $_tap_failed; }

# ---- BPF objects and our processes (tracer and fault tests) ----
# bpf_held PID prog|link: ids of the BPF programs / links process PID holds,
# from its fds' fdinfo (other tracers on the host are not ours).
bpf_held() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk -v k="$2_id:" '$1 == k { print $2 }' | sort -u; }
# bpf_live prog|link: ids of every BPF program / link loaded on the host.
bpf_live() { bpftool -j "$1" show 2>/dev/null | jq -r '.[].id' | sort -u; }
# pids_of TOOL SUBDIR: our irqpath-TOOL processes, by a path under $T/SUBDIR in argv.
pids_of() { pgrep -f -- "^[^ ]*irqpath-$1 .*$T/$2"; }

# ---- preconditions: `make test` builds and .ci/run installs all of these,
# so a missing one fails the test (it is never a skip on these machines) ----
# require FILE...: built artifacts the test needs.
require() {
	local f
	for f; do
		[ -e "$f" ] || { fail "missing $f (make builds it)"; done_testing; exit 1; }
	done
}
# require_cmd CMD...: host commands the test needs.
require_cmd() {
	local c
	for c; do
		command -v "$c" >/dev/null || { fail "$c is needed by this test"; done_testing; exit 1; }
	done
}
