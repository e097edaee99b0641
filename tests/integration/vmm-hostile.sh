#!/usr/bin/env bash
# Hostile guests: the micro-guest misprograms the device on purpose. The VMM
# must log the error, mark the device broken (DEVICE_NEEDS_RESET) or drop the
# request, never crash or touch memory outside the guest — so this runs the
# ASan/UBSan build — and the device must work again after a reset.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
GUEST=$IRQPATH_BUILD/guest/microguest.elf
# Use the sanitizer build of the VMM (build it if this is not one).
ASAN_BUILD=$IRQPATH_ROOT/build-asan
if [[ "$IRQPATH_BUILD" == *asan* ]]; then VMM=$BIN/irqpath-vmm
else
	make -s -C "$IRQPATH_ROOT" BUILD="$ASAN_BUILD" SAN=1 "$ASAN_BUILD/bin/irqpath-vmm" >"$T/build" 2>&1 ||
		{ fail "building the ASan VMM: $(tail -5 "$T/build")"; done_testing; exit 1; }
	VMM=$ASAN_BUILD/bin/irqpath-vmm
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run() { # PROFILE SCENARIO WANT_RESET
	local p=$1 s=$2 want=$3
	"$VMM" --profile "$p" --guest "$GUEST" --hostile "$s" --transactions 50 --json "$T/r.json" \
		-q --timeout 60 >"$T/out" 2>&1
	local rc=$?
	if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$T/out"; then
		fail "$p/$s: sanitizer report: $(grep -m3 -E 'ERROR|runtime error' "$T/out")"; return
	fi
	if [ $rc -ne 0 ]; then fail "$p/$s: VMM exit $rc: $(tail -3 "$T/out")"; return; fi
	local errs done reset
	errs=$(jq -r .vmm.device_errors "$T/r.json")
	done=$(jq -r .result.transactions "$T/r.json")
	reset=$(jq -r .hostile_result.needs_reset_seen "$T/r.json")
	if [ "$errs" -ge 1 ] && [ "$done" -eq 50 ] && { [ "$want" = any ] || [ "$reset" = "$want" ]; }; then
		ok "$p/$s: $errs device error(s) logged, needs_reset=$reset, 50 transactions after reset"
	else
		fail "$p/$s: errors=$errs transactions=$done needs_reset=$reset (want $want)"
	fi
}

for p in mmio-legacy mmio-v3 pci; do
	run $p desc-out-of-ram true
	run $p desc-loop true
	run $p zero-len true
	run $p huge-len true
	run $p ring-out-of-ram true
	run $p bad-queue-index false
done
run mmio-v3 msi-bad-vector false
run mmio-v3 doorbell-past false
check "the log names the problem" grep -q "is not a queue's" "$T/out"
run pci msi-bad-vector false
run pci doorbell-past false
run pci bar-past false
run pci msix-garbage false
done_testing
