#!/usr/bin/env bash
# Every count reconciled on a real run (KVM + BPF): where host, VMM and
# guest count the same events they agree, or the difference carries its
# explanation; the IOAPIC line's raises, lowers, coalesced injections and
# deliveries are separate rows; a count changed by hand is caught.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
B=$BIN/irqpath-bench
R=$BIN/irqpath-report
T=$(tmpdir)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
require "$B" "$R" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$IRQPATH_BUILD/guest/microguest.elf"

run=$("$B" --profile mmio-legacy,mmio-v3,pci -r 2 -n 200 -w 10 --out "$T/results" --run-id rec -q)
check_eq "bench exits 0" 0 $?
out=$("$R" reconcile "$run")
check_eq "reconcile: every difference explained (exit 0)" 0 $?
check "reconcile: no UNEXPLAINED row" bash -c '! grep -q UNEXPLAINED <<<"$1"' _ "$out"
legacy=$(sed -n '/^Counts reconciled, mmio-legacy/,/^$/p' <<<"$out")
v3=$(sed -n '/^Counts reconciled, mmio-v3/,/^$/p' <<<"$out")
L=$run/mmio-legacy.json
sum() { jq "[.repetitions[] | select(.status == \"ok\") | .raw.$2] | add" "$1"; }

sr=$(sum "$L" trace.mmio_by_register.InterruptStatus.reads)
check "legacy: status reads host = VMM = guest, agree" \
	grep -qE "^InterruptStatus reads +$sr +$sr +$sr  agree$" <<<"$legacy"
check "legacy: acks agree" grep -qE '^InterruptACK writes +([0-9]+) +\1 +\1  agree$' <<<"$legacy"
check "legacy: userspace exits host = VMM" grep -qE '^userspace exits +([0-9]+) +\1 +-  agree$' <<<"$legacy"
# the LAPIC may accept one last interrupt the stopped guest never takes
check "legacy: deliveries = guest interrupts, or the difference explained" \
	grep -qE '^interrupts delivered +([0-9]+) +- +(\1  agree|[0-9]+  guest -[12])$' <<<"$legacy"
if ! grep -qE '^interrupts delivered .* agree$' <<<"$legacy"; then
	check "legacy: ... explained as not taken by the stopped guest" grep -q 'never taken' <<<"$legacy"
fi
raises=$(sum "$L" 'trace.set_irq_by_gsi["5"].raise')
vraises=$(sum "$L" vmm.vmm.pin_raises)
check "legacy: line raises row, host and VMM figures" grep -qE "^line raises +$raises +$vraises " <<<"$legacy"
if [ "$raises" != "$vraises" ]; then
	check "legacy: raise difference explained (irqfd merge)" grep -q 'inject work is still pending' <<<"$legacy"
fi
lowers=$(sum "$L" 'trace.set_irq_by_gsi["5"].lower')
eoi=$(sum "$L" trace.totals.ioapic_eoi)
check_eq "legacy: one host lower per IOAPIC EOI" "$eoi" "$lowers"
check "legacy: line lowers row" grep -qE "^line lowers +$lowers " <<<"$legacy"
check "legacy: teardown lower attributed" grep -q '^teardown lower .*1/run, no trace' <<<"$legacy"
check "legacy: irqfd_shutdown named" grep -q 'irqfd_shutdown' <<<"$legacy"
check "legacy: set_irq calls = raises + lowers" grep -qE "^IOAPIC set_irq calls +$((raises + lowers)) " <<<"$legacy"
check "legacy: coalesced row" grep -qE '^IOAPIC coalesced +[0-9]+' <<<"$legacy"
acc=$(sum "$L" trace.totals.apic_accept_irq)
check "legacy: undelivered raises explained" grep -qE "^ +$((raises - acc)) of the $raises raises delivered nothing" <<<"$legacy"
check "legacy: guest interrupts and callbacks are separate rows" \
	bash -c 'grep -q "^guest interrupts " <<<"$1" && grep -q "^callbacks tx " <<<"$1"' _ "$legacy"
check "legacy: EOI writes named (x2APIC)" grep -qE '^EOI writes \(x2APIC\) +([0-9]+) +- +\1  agree$' <<<"$legacy"
check "v3: MSIs host = VMM" grep -qE '^MSIs +([0-9]+) +\1 +-  agree$' <<<"$v3"
check "v3: no line rows (no pin)" bash -c '! grep -q "^line raises" <<<"$1"' _ "$v3"

# the report carries the same rows, within 72 columns
"$R" "$run" --no-charts -q 2>/dev/null
check "report.txt: reconciled rows" grep -q '^Counts reconciled, mmio-legacy' "$run/report.txt"
check "report.md: reconciled rows" grep -q '^line raises ' "$run/report.md"
long=$(awk 'length > 72' "$run/report.txt")
check "report.txt within 72 columns" test -z "$long"
[ -z "$long" ] || printf '# over 72: %s\n' "$long"

# a guest count one off from the host's, and a host lower too many: caught
jq '.repetitions[0].raw.vmm.guest.status_reads += 1' "$L" >"$T/bad-guest.json"
"$R" reconcile "$T/bad-guest.json" >"$T/bad.out" 2>"$T/bad.err"
check_eq "a guest count off by one: exit 4" 4 $?
check "... the row names the difference" grep -qE '^InterruptStatus reads .*guest \+1$' "$T/bad.out"
check "... and says it is unexplained" grep -q 'UNEXPLAINED' "$T/bad.out"
check "... stderr counts it" grep -q '1 count differ' "$T/bad.err"
jq '.repetitions[0].raw.trace.set_irq_by_gsi["5"].lower += 1' "$L" >"$T/bad-lower.json"
"$R" reconcile "$T/bad-lower.json" >"$T/bad2.out" 2>/dev/null
check_eq "a host lower not matched by an EOI: exit 4" 4 $?
done_testing
