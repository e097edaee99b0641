#!/usr/bin/env bash
# The micro-guest on QEMU's own virtio devices under KVM (irqpath-qemu-micro):
# microvm (virtio-mmio, one level IOAPIC line) and q35 (virtio-pci, MSI-X),
# each traced by irqpath-trace on QEMU's pid. What the guest counted (its
# debugcon report) must equal what the tracer saw for the registers QEMU
# handles (InterruptStatus reads, InterruptACK writes, notifies per queue)
# and the MSIs per vector. Then the error paths: hold + SIGINT, time limit,
# bad arguments; nothing may be left behind.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "network namespaces, tap devices and BPF need root"
require "$BIN/irqpath-qemu-micro" "$BIN/irqpath-trace" "$BIN/irqpath-reflect" \
	"$IRQPATH_BUILD/guest/microguest.elf"
require_cmd qemu-system-x86_64 jq ip
T=$(tmpdir)
RUNNER= TRACER=
cleanup() {
	[ -n "$TRACER" ] && kill "$TRACER" 2>/dev/null
	[ -n "$RUNNER" ] && kill "$RUNNER" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
N=300

# wait_for COND_CMD...: up to 20 s
wait_for() { local i; for i in $(seq 200); do "$@" && return 0; sleep 0.1; done; return 1; }

# traced_run MACHINE [RUNNER ARGS]: runner held, tracer attached to QEMU's pid, then go.
traced_run() {
	local m=$1 d=$T/$1
	shift
	mkdir -p "$d"
	"$BIN/irqpath-qemu-micro" --machine "$m" "$@" --transactions $N --hold --pid-file "$d/pid" \
		--layout "$d/layout.json" --json "$d/r.json" --timeout 50 2>"$d/runner.err" &
	RUNNER=$!
	wait_for test -s "$d/pid" || { fail "$m: no pid file"; return; }
	QPID=$(cat "$d/pid")
	check_eq "$m: QEMU is the runner's direct child" "$RUNNER" "$(ps -o ppid= -p "$QPID" | tr -d ' ')"
	check_eq "$m: the pid is QEMU's" qemu-system-x86 "$(ps -o comm= -p "$QPID" | cut -c1-15)"
	"$BIN/irqpath-trace" record -p "$QPID" --layout "$d/layout.json" -o "$d/trace.json" \
		2>"$d/trace.err" &
	TRACER=$!
	wait_for grep -qs attached "$d/trace.err" || fail "$m: tracer did not attach"
	kill -USR1 "$RUNNER"
	wait "$RUNNER"
	check_eq "$m: runner exit status" 0 $?
	RUNNER=
	wait "$TRACER"
	check_eq "$m: tracer exit status" 0 $?
	TRACER=
	check "$m: stderr names QEMU's pid" grep -q "qemu pid $QPID" "$d/runner.err"
}

# g KEY / h KEY: the guest's report / the tracer's snapshot
g() { jq -r "$1" "$T/$M/r.json"; }
h() { jq -r "$1" "$T/$M/trace.json"; }

common_checks() {
	check_eq "$M: status" ok "$(g .status)"
	check_eq "$M: JSON pid is QEMU's" "$QPID" "$(g .pid)"
	check_eq "$M: transactions" $N "$(g .result.transactions)"
	check_eq "$M: the reflector answered every request" $N "$(g .peer.answered)"
	check_eq "$M: guest state" done "$(g .guest.state)"
	check_eq "$M: rx buffers used == transactions" $N "$(g .guest.queues.rx.used)"
	check_eq "$M: tracer decoded with the runner's layout" "$1" "$(h .layout)"
	check_eq "$M: QEMU confirms the guest's device window (QMP)" true "$(g .device.window_confirmed_by_qemu)"
	check_eq "$M: host rx notifies == guest's" "$(g .guest.queues.rx.notifies)" "$(h .notifies.rx)"
	check_eq "$M: host tx notifies == guest's" "$(g .guest.queues.tx.notifies)" "$(h .notifies.tx)"
	check_ge "$M: a tx notify per transaction at least" $N "$(g .guest.queues.tx.notifies)"
	check_ge "$M: the vCPU's TSC rate from QMP" 1 "$(g .result.tsc_khz)"
	check_eq "$M: a latency per transaction (guest RAM)" $N "$(g .result.latency_us.n)"
	check "$M: p50 <= p99" jq -e '.result.latency_us | .p50 <= .p99 and .p50 > 0' "$T/$M/r.json"
}

M=microvm
# The in-kernel IOAPIC: with QEMU's default for microvm (split, IOAPIC in
# QEMU) about 1 run in 12 of 1000 transactions stalls on this nested host, a
# level interrupt lost (guest-agent/qemu/README.md); this test must not flake.
traced_run $M --irqchip on
common_checks mmio-legacy
check_eq "$M: the JSON records the irqchip" on "$(g .qemu.irqchip)"
check_eq "$M: IOAPIC EOIs in KVM == guest's interrupts" "$(g '.guest.irqs_by_vector["48"]')" \
	"$(h '[.ioapic[]?.eoi] | add')"
sr=$(g .guest.status_reads) sz=$(g .guest.status_zero) acks=$(g .guest.acks)
check_eq "$M: acks == nonzero InterruptStatus reads" "$acks" $((sr - sz))
check_ge "$M: an interrupt per transaction at least" $N "$(g '.guest.irqs_by_vector["48"]')"
check_eq "$M: every interrupt read InterruptStatus" "$(g '.guest.irqs_by_vector["48"]')" "$sr"
check_eq "$M: host InterruptStatus reads == guest's" "$sr" "$(h '.mmio_by_register.InterruptStatus.reads')"
check_eq "$M: host InterruptACK writes == guest's" "$acks" "$(h '.mmio_by_register.InterruptACK.writes')"
check_eq "$M: host QueueNotify writes == guest's notifies" \
	$(($(g .guest.queues.rx.notifies) + $(g .guest.queues.tx.notifies))) \
	"$(h '.mmio_by_register.QueueNotify.writes')"
check_eq "$M: no MSI-X programmed" 0 "$(g .guest.msi_vectors)"
check_eq "$M: window from QEMU's command line" "$(g .device.window)" "$(jq .window.gpa "$T/$M/layout.json")"

M=q35
traced_run $M
common_checks pci
rxv=$(g .device.vectors.rx)
check_eq "$M: three MSI-X vectors (config, rx, tx)" 3 "$(g .guest.msi_vectors)"
check_eq "$M: no InterruptStatus/ISR reads with MSI-X" 0 "$(g .guest.status_reads)"
check_eq "$M: host ISR reads" 0 "$(h '.mmio_by_register.isr.reads // 0')"
check_eq "$M: one rx MSI per rx interrupt (guest)" "$(g .guest.queues.rx.interrupts)" \
	"$(g ".guest.irqs_by_vector[\"$rxv\"]")"
check_eq "$M: host MSIs on the rx vector == guest's interrupts" \
	"$(g ".guest.irqs_by_vector[\"$rxv\"]")" "$(h ".msi_by_vector[\"$rxv\"].count")"
check_eq "$M: the tracer names the rx vector" rx "$(h ".msi_by_vector[\"$rxv\"].queue")"
check_eq "$M: no tx interrupts (suppressed)" 0 "$(g .guest.queues.tx.interrupts)"

# ---- the guest's own failure reports (QEMU run directly; no peer needed) ----
# guest_alone NAME MACHINE APPEND: exit status of QEMU, debugcon in $T/NAME.dbg
guest_alone() {
	timeout 60 qemu-system-x86_64 -accel kvm -M "$2" -m 64 -nodefaults -no-user-config \
		-display none -no-reboot -kernel "$IRQPATH_BUILD/guest/microguest.elf" -append "$3" \
		-global virtio-mmio.force-legacy=false -device virtio-net-device \
		-chardev file,id=r,path="$T/$1.dbg" -device isa-debugcon,iobase=0xe9,chardev=r \
		-device isa-debug-exit,iobase=0xf4,iosize=4 2>"$T/$1.err"
}
# microvm with ACPI on lists its devices in the DSDT only: the guest must say so.
guest_alone acpi microvm ""
check_eq "ACPI on: QEMU exit is the guest's status 1 via isa-debug-exit" 3 $?
check "ACPI on: the guest reports failure" grep -q "state=failed" "$T/acpi.dbg"
check "ACPI on: ... naming the missing command-line device" grep -q "error=no_virtio_mmio.device" "$T/acpi.dbg"
guest_alone badarg microvm,acpi=off "irqpath.transactions=0"
check_eq "bad irqpath.transactions=0: guest fails" 3 $?
check "bad irqpath.transactions=0: named" grep -q "error=bad_irqpath.transactions" "$T/badarg.dbg"

# ---- error paths ----
d=$T/int; mkdir -p "$d"
"$BIN/irqpath-qemu-micro" --machine microvm --hold --pid-file "$d/pid" --json "$d/r.json" \
	2>"$d/err" &
RUNNER=$!
wait_for test -s "$d/pid"
QPID=$(cat "$d/pid")
RPID=$RUNNER
kill -INT "$RUNNER"; wait "$RUNNER"
check_eq "SIGINT: exit status" 130 $?
RUNNER=
check "SIGINT: QEMU is gone" bash -c "! kill -0 $QPID 2>/dev/null"
check "SIGINT: no result written" test ! -e "$d/r.json"
check "SIGINT: its namespace is removed" bash -c "! ip netns list | grep -qw irqpath-mg$RPID"

"$BIN/irqpath-qemu-micro" --machine microvm --hold --timeout 2 --json "$d/t.json" 2>"$d/terr"
check_eq "time limit: exit status" 1 $?
check_eq "time limit: JSON status" error "$(jq -r .status "$d/t.json")"
check "time limit: JSON names it" grep -q "time limit" "$d/t.json"

"$BIN/irqpath-qemu-micro" --machine microvm --qemu /bin/false --json "$d/f.json" 2>"$d/ferr"
check_eq "QEMU that dies at once: exit status" 1 $?
check "QEMU that dies at once: JSON says so" grep -q "QEMU exited before" "$d/f.json"

"$BIN/irqpath-qemu-micro" --machine microvm --qemu "$d/no-qemu" 2>"$d/u0"
check_eq "missing QEMU: exit 2" 2 $?
check "missing QEMU: message" grep -q "QEMU not found" "$d/u0"
"$BIN/irqpath-qemu-micro" --machine pc 2>"$d/u1"
check_eq "bad --machine: exit 2" 2 $?
check "bad --machine: message" grep -q "microvm or q35" "$d/u1"
"$BIN/irqpath-qemu-micro" --machine q35 --transactions 0 2>"$d/u2"
check_eq "bad --transactions: exit 2" 2 $?
"$BIN/irqpath-qemu-micro" --machine q35 --guest "$d/none.elf" 2>"$d/u3"
check_eq "missing guest: exit 2" 2 $?
check "missing guest: message" grep -q "no micro-guest ELF" "$d/u3"
# (the [4] keeps pgrep from matching its own bash -c command line)
check "nothing left: no QEMU on our taps" bash -c "! pgrep -f 'qemu-system-x86_6[4].*ifname=mgtap' >/dev/null"
done_testing
