#!/usr/bin/env bash
# Installed tools run every mode they offer: make install ships the
# micro-guest, the configs and the Linux guest; the installed irqpath-bench
# runs a micro-guest profile under the tracer and a Linux guest under QEMU,
# and the installed irqpath-report reads both. Without the Linux guest the
# message names the paths it looked in and the command that builds it.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
T=$(tmpdir)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
P=$T/usr

make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" install PREFIX="$P" >"$T/install.out" 2>&1
check_eq "make install: exit 0" 0 $?
check "make install: says where the Linux guest went" grep -q "^install: Linux guest in $P/share/irqpath/guest-linux" "$T/install.out"
for f in bin/irqpath-bench bin/irqpath-vmm bin/irqpath-trace bin/irqpath-report bin/irqpath-qemu \
	bin/irqpath-rr share/irqpath/guest/microguest.elf share/irqpath/configs/pci-linux.conf \
	share/irqpath/guest-linux/vmlinuz share/irqpath/guest-linux/initramfs.cpio.gz; do
	check "installed: $f" test -s "$P/$f"
done

cd "$T" || exit 1
run=$("$P/bin/irqpath-bench" --profile mmio-v3 -r 1 -n 20 -w 5 --out "$T/res" --run-id micro -q 2>"$T/micro.err")
check_eq "installed bench, micro-guest: exit 0" 0 $?
check "installed bench, micro-guest: valid results" "$P/bin/irqpath-report" validate "$run/mmio-v3.json"
check_eq "installed bench, micro-guest: host counts present" true \
	"$(jq '.summary["exits_per_txn.total"].mean > 0' "$run/mmio-v3.json")"

run=$("$P/bin/irqpath-bench" --profile pci --guest-kind linux --vmm-kind qemu -r 1 -d 1 \
	--out "$T/res" --run-id linux -q 2>"$T/linux.err")
check_eq "installed bench, Linux guest under QEMU: exit 0" 0 $?
check "installed bench, Linux guest: valid results" "$P/bin/irqpath-report" validate "$run/pci.json"
check_eq "installed bench, Linux guest: the guest is linux" linux "$(jq -r .profile.guest "$run/pci.json")"
"$P/bin/irqpath-report" "$run" -q 2>/dev/null
check_eq "installed report of the Linux run: exit 0" 0 $?

# no Linux guest shipped: a message with both paths and the command
rm -r "$P/share/irqpath/guest-linux"
"$P/bin/irqpath-bench" --profile pci --guest-kind linux --vmm-kind qemu -r 1 -d 1 \
	--out "$T/res" --run-id none -q 2>"$T/none.err"
rc=$?
check "no Linux guest: bench fails" test "$rc" -ne 0
check "no Linux guest: names the share path it looked in" grep -qF "$P/bin/../share/irqpath/guest-linux" "$T/none.err"
check "no Linux guest: names the command" grep -q 'make guest-linux' "$T/none.err"
check "no Linux guest: no blank path in the message" bash -c '! grep -qE "(or|nor) +(missing|exist)|  or " "$1"' _ "$T/none.err"
check "no Linux guest: nothing written" test ! -e "$T/res/none"
"$P/bin/irqpath-qemu" --profile pci --duration 1 2>"$T/qemu.err"
check_eq "installed irqpath-qemu without the guest: usage error (2)" 2 $?
check "installed irqpath-qemu: names the command" grep -q "run 'make guest-linux'" "$T/qemu.err"
done_testing
