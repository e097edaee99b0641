#!/usr/bin/env bash
# Debian's kernel under QEMU (TCG here): irqpath-qemu for mmio-legacy
# (microvm, stock virtio_mmio) and pci (q35, MSI-X), TCP_RR 32/1024 for 3 s,
# trans/s and per-queue interrupt counts through the guest agent; accel and
# "no KVM counters" recorded; no netns/tap/QEMU left after a normal run, a
# timeout, or a SIGINT to the runner mid-run.
source "$(dirname "$0")/../lib.sh"
jqe() { jq -e "$@" >/dev/null; }
need_root "the runner needs a network namespace and a tap device"
if ! command -v qemu-system-x86_64 >/dev/null; then
	skip "qemu-system-x86_64 is not installed"; done_testing; exit 0
fi
QEMU_RUN=$BIN/irqpath-qemu
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
KVM_PVM=0
[ -d /sys/module/kvm_pvm ] && KVM_PVM=1

if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux >"$T/make.log" 2>&1; then
	fail "make guest-linux: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"
	done_testing; exit 1
fi
ok "make guest-linux"

# leftovers RUNNER_PID: what a runner with that pid could have left behind
leftovers() {
	ip netns list | grep -q "^irqpath-q$1\b" && echo "netns irqpath-q$1"
	pgrep -f "ifname=iqtap$1," >/dev/null && echo "qemu on iqtap$1"
	ip link show "iqtap$1" >/dev/null 2>&1 && echo "tap iqtap$1"
}

# run_profile PROFILE ARGS...: one boot + 3 s TCP_RR, checks on the JSON.
run_profile() {
	local p=$1; shift
	local j=$T/$p.json
	"$QEMU_RUN" --profile "$p" --duration 3 --req 32 --resp 1024 --json "$j" \
		--console "$T/$p.console" "$@" >"$T/$p.out" 2>&1 &
	local pid=$!
	wait $pid
	local rc=$?
	cat "$T/$p.out"
	check_eq "$p: runner exit status" 0 $rc
	if [ ! -f "$j" ]; then
		fail "$p: no JSON written"; tail -n 20 "$T/$p.console" 2>/dev/null
		return
	fi
	check_eq "$p: schema" irqpath-linux/1 "$(jq -r .schema "$j")"
	check_eq "$p: guest status" ok "$(jq -r .status "$j")"
	check_eq "$p: kernel version from the guest" "$(cat "$IRQPATH_BUILD/guest-linux/KERNEL_VERSION")" \
		"$(jq -r .kernel_version "$j")"
	check "$p: trans/s > 0" jqe '.trans_per_s > 0 and .transactions > 0' "$j"
	check "$p: guest clock finer than jiffies ($(jq -r .guest_clocksource "$j"))" \
		jqe '.guest_clocksource != null and (.guest_clocksource | test("jiffies") | not)' "$j"
	check "$p: latency p50 <= p90 <= p99" jqe '.latency_us | .p50 > 0 and .p50 <= .p90 and .p90 <= .p99' "$j"
	check_eq "$p: server saw 32-byte requests" 32 "$(jq -r .server.bytes_received_per_transaction "$j")"
	check "$p: accel recorded, kvm_counters consistent with it" \
		jqe '(.accel == "tcg" and .kvm_counters == false and (.note | test("no KVM counters"))) or
		     (.accel == "kvm" and .kvm_counters == true)' "$j"
	if [ $KVM_PVM = 1 ]; then
		check_eq "$p: TCG on this nested kvm_pvm host" tcg "$(jq -r .accel "$j")"
	fi
	check "$p: human summary says it" grep -q "trans/s" "$T/$p.out"
	check_eq "$p: nothing left behind" "" "$(leftovers $pid)"
}

# mmio-legacy: one interrupt line for the device. --accel probe tries KVM
# first where /dev/kvm exists, exercising the fall-back path on hosts where
# KVM cannot boot Linux.
PROBE=()
if [ -w /dev/kvm ]; then PROBE=(--accel probe --kvm-probe 6); fi
run_profile mmio-legacy "${PROBE[@]}"
j=$T/mmio-legacy.json
if [ -f "$j" ]; then
	check_eq "mmio-legacy: exactly one virtio interrupt line" 1 "$(jq '.irqs | length' "$j")"
	check "mmio-legacy: it is an IO-APIC line with interrupts" \
		jqe '(.irq_lines[0].chip | test("IO-APIC")) and .irq_lines[0].count > 0' "$j"
	check "mmio-legacy: microvm, virtio-mmio" jqe '.machine == "microvm" and (.transport | test("virtio-mmio"))' "$j"
	if [ $KVM_PVM = 1 ] && [ ${#PROBE[@]} -gt 0 ]; then
		check "mmio-legacy: KVM probe fell back to TCG and says why" \
			jqe '.accel == "tcg" and (.accel_reason | test("KVM did not boot"))' "$j"
	fi
fi

run_profile pci
j=$T/pci.json
if [ -f "$j" ]; then
	check "pci: input queue interrupts > 0" jqe '.irqs["virtio0-input.0"] > 0' "$j"
	check "pci: output queue interrupts > 0" jqe '.irqs["virtio0-output.0"] > 0' "$j"
	check "pci: MSI lines" jqe '[.irq_lines[] | .chip | test("MSI")] | all' "$j"
	check "pci: irqs per transaction derived" jqe '.irqs_per_transaction["virtio0-input.0"] > 0' "$j"
fi

# A timeout too short for the boot: exit 1, the error says so, clean-up.
"$QEMU_RUN" --profile pci --duration 3 --timeout 2 >"$T/to.out" 2>&1 &
pid=$!
wait $pid; check_eq "timeout: runner exits 1" 1 $?
check "timeout: reported" grep -qiE 'did not boot|timed out' "$T/to.out"
check_eq "timeout: nothing left behind" "" "$(leftovers $pid)"

# SIGINT mid-run. Job control gives the background runner a default SIGINT
# disposition, as it has when started from a terminal.
set -m
"$QEMU_RUN" --profile mmio-legacy --duration 30 >"$T/int.out" 2>&1 &
pid=$!
set +m
pids=
for _ in $(seq 100); do
	pids=$(ip netns pids "irqpath-q$pid" 2>/dev/null | tr '\n' ' ')
	[ "$(echo $pids | wc -w)" -ge 2 ] && break
	sleep 0.1
done
check "SIGINT: QEMU and the server run in the runner's netns" test "$(echo $pids | wc -w)" -ge 2
sleep 3
kill -INT $pid
wait $pid; check_eq "SIGINT: runner exits 1" 1 $?
check "SIGINT: reported" grep -q 'interrupted' "$T/int.out"
alive=
for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
check_eq "SIGINT: QEMU and server stopped" "" "$alive"
check_eq "SIGINT: nothing left behind" "" "$(leftovers $pid)"

# A guest that does not reach its init in --boot-wait is restarted once.
"$QEMU_RUN" --profile mmio-legacy --duration 2 --boot-wait 1 --json "$T/retry.json" >"$T/retry.out" 2>&1
check_eq "boot retry: runner exits 0" 0 $?
check "boot retry: says it restarted" grep -q 'restarting it once' "$T/retry.out"
check_eq "boot retry: two boot attempts recorded" 2 "$(jq -r .boot_attempts "$T/retry.json")"
check "boot retry: the run still measured" jq -e '.trans_per_s > 0' "$T/retry.json"

"$QEMU_RUN" --profile bogus >/dev/null 2>&1; check_eq "unknown profile exits 2" 2 $?
"$QEMU_RUN" --profile pci --kernel /nonexistent 2>"$T/err"; check_eq "missing kernel exits 2" 2 $?
check "missing kernel is named" grep -q /nonexistent "$T/err"
done_testing
