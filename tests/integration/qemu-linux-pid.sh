#!/usr/bin/env bash
# irqpath-qemu (Linux guests) reports QEMU's own pid (--pid-file) so a KVM
# run can be traced by it (irqpath-bench's qemu runner does exactly this).
# Debian's kernel cannot boot under KVM on these nested kvm_pvm hosts, so
# what runs here: QEMU started by irqpath-qemu with --accel kvm (the guest
# gets as far as it gets, the run then times out), the pid file names the
# QEMU process behind `ip netns exec`, and irqpath-trace -p on it records
# that QEMU's KVM exits. The use of such a snapshot in a record is
# test-bench-linuxrec's (kvm_run_traced_by_qemu_pid). About 20 s.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-qemu makes a netns; irqpath-trace needs BPF"
Q=$BIN/irqpath-qemu
require "$Q" "$BIN/irqpath-trace" "$BIN/irqpath-rr" "$IRQPATH_BUILD/guest-linux/vmlinuz" \
	"$IRQPATH_BUILD/guest-linux/initramfs.cpio.gz"
require_cmd jq qemu-system-x86_64
T=$(tmpdir)
RUNNER= TRACER=
trap '[ -n "$RUNNER" ] && kill "$RUNNER" 2>/dev/null; [ -n "$TRACER" ] && kill "$TRACER" 2>/dev/null; wait; rm -rf "$T"' EXIT
wait_for() { local i; for i in $(seq 300); do "$@" && return 0; sleep 0.1; done; return 1; }

"$Q" --profile pci --accel kvm --duration 1 --timeout 12 --pid-file "$T/pid" \
	--json "$T/r.json" 2>"$T/q.err" &
RUNNER=$!
RPID=$RUNNER # irqpath-qemu names its netns irqpath-q<its pid>
wait_for test -s "$T/pid" || fail "no pid file"
QPID=$(cat "$T/pid")
check_eq "the pid is QEMU's (ip netns exec execs it in place)" qemu-system-x86 \
	"$(ps -o comm= -p "$QPID" | cut -c1-15)"
check_eq "QEMU is irqpath-qemu's child" "$RUNNER" "$(ps -o ppid= -p "$QPID" | tr -d ' ')"
check "QEMU runs with -accel kvm" grep -q -- "-accel kvm" <<<"$(tr '\0' ' ' <"/proc/$QPID/cmdline")"
"$BIN/irqpath-trace" record -p "$QPID" -o "$T/trace.json" 2>"$T/trace.err" &
TRACER=$!
wait_for grep -qs attached "$T/trace.err" || fail "tracer did not attach"
wait "$RUNNER"
rc=$?
RUNNER=
check "irqpath-qemu ends (status $rc: the guest does not boot under KVM here)" test "$rc" -le 1
wait_for sh -c "! kill -0 $TRACER 2>/dev/null" || fail "tracer did not end with QEMU"
wait "$TRACER"
check_eq "tracer exit status" 0 $?
TRACER=
check "stderr names QEMU's pid" grep -q "qemu pid $QPID" "$T/q.err"
check_eq "the snapshot is of QEMU's pid" "$QPID" "$(jq .pid "$T/trace.json")"
check_ge "QEMU's KVM exits were counted" 1 "$(jq '.totals.exits' "$T/trace.json")"
check_ge "... including port I/O of the booting guest" 1 "$(jq '[.exits_by_reason | to_entries[] | select(.key | test("^(IO|io|IOIO)$")) | .value] | add // 0' "$T/trace.json")"
check "no netns left" test -z "$(ip netns list | grep -w "irqpath-q$RPID")"
check "no QEMU left" test ! -e "/proc/$QPID"

# a bad --pid-file is refused before anything starts
msg=$("$Q" --profile pci --pid-file "$T/no/such/dir/pid" --accel kvm --timeout 5 2>&1)
check_eq "unwritable --pid-file: runtime failure" 1 $?
check "unwritable --pid-file: says so" grep -q "cannot write --pid-file" <<<"$msg"
done_testing
