#!/usr/bin/env bash
# Linux's SMP boot from the MP table irqpath-vmm gives its Linux guests
# (vmm/linuxboot, ncpus = the VMM's vCPU count): Debian's kernel booted
# from linuxboot's structures with 2 CPUs in the MP table, under QEMU TCG
# (microvm, acpi=off, -smp 2: the kernel knows the CPUs only from our
# table; QEMU leaves the AP waiting for INIT/SIPI as irqpath-vmm does).
# The kernel must list both processors, bring the AP up and run init on 2
# online CPUs. ~30 s.
source "$(dirname "$0")/../lib.sh"
require_cmd qemu-system-x86_64
mkdir -p "$IRQPATH_BUILD/test-logs"
if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux \
	"$IRQPATH_BUILD/linuxboot/lb-image" "$IRQPATH_BUILD/linuxboot/reset-stub.bin" \
	>"$IRQPATH_BUILD/test-logs/linux-mptable-smp.log" 2>&1; then
	fail "make guest-linux lb-image reset-stub.bin: $(tail -n 3 "$IRQPATH_BUILD/test-logs/linux-mptable-smp.log" | tr '\n' ' ')"
	done_testing; exit 1
fi
GL=$IRQPATH_BUILD/guest-linux
LB=$IRQPATH_BUILD/linuxboot
T=$(tmpdir)
QPID=
trap '[ -n "$QPID" ] && kill "$QPID" 2>/dev/null; rm -rf "$T"' EXIT

cat >"$T/hook.sh" <<'X'
echo "IRQPATH-LB-CPUS: $(grep -c ^processor /proc/cpuinfo) online $(cat /sys/devices/system/cpu/online)"
echo "IRQPATH-LB-DONE"
halt_now
X
bash "$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh" "$T/initrd.cpio.gz" \
	--modules "$GL/modules" --bin "$GL/bin" --add "$T/hook.sh:/etc/irqpath/hooks/00-smp.sh" \
	>"$T/mkinitramfs.log" 2>&1 || cat "$T/mkinitramfs.log"
mkdir -p "$T/img"
LB_NCPUS=2 "$LB/lb-image" "$GL/vmlinuz" "$T/initrd.cpio.gz" 256 "$LB/reset-stub.bin" "$T/img" \
	"console=ttyS0 panic=-1" >"$T/lb-image.log" 2>&1
check_eq "lb-image with a 2-CPU MP table" 0 $?

# boot: until the hook's DONE line (the guest halts without ACPI, so QEMU
# is stopped here); Debian's kernel now and then hangs under TCG before
# init, and only such a boot is tried again.
boot() {
	local i
	mapfile -t qargs <"$T/img/qemu.args"
	: >"$T/console.log"
	qemu-system-x86_64 -M microvm,acpi=off -m 256 -smp 2 -nodefaults -no-user-config \
		-display none -no-reboot -serial "file:$T/console.log" "${qargs[@]}" \
		</dev/null >"$T/qemu.log" 2>&1 &
	QPID=$!
	for i in $(seq 900); do
		grep -aq '^IRQPATH-LB-DONE' "$T/console.log" && break
		kill -0 "$QPID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$QPID" 2>/dev/null
	wait "$QPID" 2>/dev/null
	QPID=
	grep -aq '^IRQPATH-LB-DONE' "$T/console.log"
}
for attempt in 1 2; do
	boot && break
	grep -aq 'IRQPATH-INIT: kernel' "$T/console.log" && break
	echo "# attempt $attempt: no init reached; retrying"
done
c=$T/console.log
check "MP table parsed (OEM IRQPATH)" grep -aq 'MPTABLE: OEM ID: IRQPATH' "$c"
check "processor #0 is the boot CPU" grep -aq 'Processor #0 (Bootup-CPU)' "$c"
check "processor #1 listed" grep -aqE 'Processor #1(\s|$)' "$c"
check "IOAPIC id follows the CPUs (2)" grep -aq 'IOAPIC\[0\]: apic_id 2, .*address 0xfec00000' "$c"
check "the kernel allows 2 CPUs" grep -aq 'smpboot: Allowing 2 CPUs' "$c"
check "the AP came up through INIT/SIPI" grep -aq 'smp: Brought up 1 node, 2 CPUs' "$c"
check_eq "init sees 2 online CPUs" "2 online 0-1" \
	"$(grep -a -m1 '^IRQPATH-LB-CPUS: ' "$c" | sed 's/^IRQPATH-LB-CPUS: //; s/\r$//')"
grep -aq '^IRQPATH-LB-DONE' "$c" || tail -n 30 "$c" | sed 's/^/     | /'
done_testing
