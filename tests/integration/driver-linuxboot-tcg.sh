#!/usr/bin/env bash
# vmm/linuxboot end to end: Debian's kernel booted from the structures
# linuxboot writes (zero page, e820, command line, initramfs placement, GDT,
# page tables, MP table), under QEMU TCG since KVM here cannot run Linux.
# lb-image runs linuxboot_load as irqpath-vmm does and writes the guest
# memory as files; QEMU loads them (-device loader) and reset-stub.bin, a
# 64 KiB "BIOS", switches to long mode with linuxboot's GDT and page tables
# and jumps to the entry point with rsi = zero page. microvm runs with
# acpi=off, so the kernel finds its CPU and IOAPIC only in our MP table.
source "$(dirname "$0")/../lib.sh"

command -v qemu-system-x86_64 >/dev/null || {
	fail "qemu-system-x86_64 missing (install qemu-system-x86)"
	done_testing
	exit 1
}
if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux \
	"$IRQPATH_BUILD/linuxboot/lb-image" "$IRQPATH_BUILD/linuxboot/reset-stub.bin" \
	>"$IRQPATH_BUILD/test-logs/linuxboot-build.log" 2>&1; then
	tail -n 20 "$IRQPATH_BUILD/test-logs/linuxboot-build.log"
	fail "make guest-linux lb-image reset-stub.bin failed"
	done_testing
	exit 1
fi
GL=$IRQPATH_BUILD/guest-linux
LB=$IRQPATH_BUILD/linuxboot
T=$(tmpdir)
QPID=
trap '[ -n "$QPID" ] && kill "$QPID" 2>/dev/null; rm -rf "$T"' EXIT

# A hook that reports what the kernel got and stops the guest.
cat >"$T/hook.sh" <<'EOF'
echo "IRQPATH-LB-CMDLINE: $(cat /proc/cmdline)"
echo "IRQPATH-LB-MEMTOTAL: $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
echo "IRQPATH-LB-DONE"
halt_now
EOF
bash "$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh" "$T/initrd.cpio.gz" \
	--modules "$GL/modules" --bin "$GL/bin" --add "$T/hook.sh:/etc/irqpath/hooks/00-linuxboot.sh" \
	>"$T/mkinitramfs.log" 2>&1 || cat "$T/mkinitramfs.log"

CMDLINE="console=ttyS0 panic=-1 irqpath.linuxboot=1"
mkdir -p "$T/img"
"$LB/lb-image" "$GL/vmlinuz" "$T/initrd.cpio.gz" 256 "$LB/reset-stub.bin" "$T/img" "$CMDLINE" \
	>"$T/lb-image.log" 2>&1
check_eq "lb-image loads Debian's vmlinuz" 0 $?
sed 's/^/# /' "$T/lb-image.log"

# boot IMGDIR MARKER [QEMU ARGS...]: start QEMU on lb-image's files, wait
# for a console line starting with MARKER (the guest halts without ACPI, so
# QEMU is stopped here). Returns 0 when the line came. $NSEXEC may hold an
# "ip netns exec NS" prefix.
boot() {
	local img=$1 marker=$2 i
	shift 2
	mapfile -t qargs <"$img/qemu.args"
	: >"$T/console.log"
	${NSEXEC:-} qemu-system-x86_64 -M microvm,acpi=off -m 256 -smp 1 -nodefaults -no-user-config \
		-display none -no-reboot -serial "file:$T/console.log" "${qargs[@]}" "$@" \
		</dev/null >"$T/qemu.log" 2>&1 &
	QPID=$!
	for i in $(seq 900); do
		grep -aq "^$marker" "$T/console.log" && break
		kill -0 "$QPID" 2>/dev/null || break
		sleep 0.1
	done
	# the marker's line may still be arriving (a long JSON line on a
	# loaded host): wait until the console stops growing
	local size=-1
	for i in $(seq 100); do
		[ "$(stat -c %s "$T/console.log")" = "$size" ] && break
		size=$(stat -c %s "$T/console.log")
		sleep 0.3
	done
	kill "$QPID" 2>/dev/null
	wait "$QPID" 2>/dev/null
	QPID=
	grep -aq "^$marker" "$T/console.log"
}
# Debian's kernel now and then hangs under TCG before init (boot timing);
# only such a boot is tried again.
boot_retry() {
	local attempt
	for attempt in 1 2; do
		boot "$@" && return 0
		grep -aq 'IRQPATH-INIT: kernel' "$T/console.log" && return 1
		echo "# attempt $attempt: no init reached; retrying"
	done
	return 1
}
boot_retry "$T/img" IRQPATH-LB-DONE
c=$T/console.log

check "kernel started from linuxboot's entry (Linux version banner)" grep -aq 'Linux version 6\.' "$c"
check_eq "command line from the zero page" "$CMDLINE" \
	"$(grep -a -m1 'Command line: ' "$c" | sed 's/.*Command line: //; s/\r$//')"
e820=$(grep -a 'BIOS-e820:' "$c" | sed 's/.*BIOS-e820: //; s/\r$//')
check_eq "e820 entries" 7 "$(grep -c . <<<"$e820")"
check "e820: RAM below 640 KiB up to the MP table" grep -q '^\[mem 0x0000000000000000-0x000000000009fbff\] usable' <<<"$e820"
check "e820: MP table reserved" grep -q '^\[mem 0x000000000009fc00-0x000000000009ffff\] reserved' <<<"$e820"
check "e820: RAM from 1 MiB to 256 MiB" grep -q '^\[mem 0x0000000000100000-0x000000000fffffff\] usable' <<<"$e820"
check "e820: IOAPIC window reserved" grep -q '^\[mem 0x00000000fec00000-0x00000000fec00fff\] reserved' <<<"$e820"
check "MP table found and parsed (OEM IRQPATH)" grep -aq 'MPTABLE: OEM ID: IRQPATH' "$c"
check "IOAPIC from the MP table (id 1 at 0xfec00000, GSI 0-23)" \
	grep -aq 'IOAPIC\[0\]: apic_id 1, .*address 0xfec00000, GSI 0-23' "$c"
check "initramfs found where linuxboot put it: init ran" grep -aq '^IRQPATH-INIT: kernel 6\.' "$c"
check_eq "the guest's /proc/cmdline" "$CMDLINE" \
	"$(grep -a -m1 '^IRQPATH-LB-CMDLINE: ' "$c" | sed 's/^IRQPATH-LB-CMDLINE: //; s/\r$//')"
memkb=$(grep -a -m1 '^IRQPATH-LB-MEMTOTAL: ' "$c" | sed 's/[^0-9]//g')
check_ge "MemTotal reflects the 256 MiB e820 RAM (kB)" 200000 "${memkb:-0}"
check "MemTotal no more than the e820 RAM" [ "${memkb:-0}" -le 262144 ]
if grep -aq 'IRQPATH-LB-DONE' "$c"; then :; else
	tail -n 30 "$c" | sed 's/^/     | /'
fi

# The whole legacy interrupt path as irqpath-vmm's Linux guests take it, on
# QEMU's device: no ACPI, the virtio-mmio line described only by our MP
# table (microvm without ACPI: slot 7 at 0xfeb00e00 on IOAPIC pin 12,
# level, active high), irqpath_virtio_mmio given the device on the command
# line, and TCP_RR through a tap to an irqpath-rr server in a netns.
if [ "$(id -u)" -ne 0 ]; then
	skip "not root: the TCP_RR boot needs a tap in a network namespace"
else
	KO=$IRQPATH_BUILD/driver/irqpath_virtio_mmio.ko
	make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" driver >>"$IRQPATH_BUILD/test-logs/linuxboot-build.log" 2>&1 ||
		fail "make driver failed"
	bash "$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh" "$T/rr.cpio.gz" \
		--no-stock-virtio-mmio --modules "$GL/modules" --bin "$GL/bin" \
		--add "$KO:/lib/modules/irqpath/irqpath_virtio_mmio.ko" \
		--add "$IRQPATH_ROOT/guest-agent/linux-driver/guest-hook.sh:/etc/irqpath/hooks/20-irqpath-driver.sh" \
		>"$T/mkinitramfs.log" 2>&1 || cat "$T/mkinitramfs.log"
	mkdir -p "$T/rrimg"
	"$LB/lb-image" "$GL/vmlinuz" "$T/rr.cpio.gz" 256 "$LB/reset-stub.bin" "$T/rrimg" \
		"console=ttyS0 panic=-1 irqpath_virtio_mmio.devices=512@0xfeb00e00:12 irqpath.ip=10.201.0.2/30 irqpath.server=10.201.0.1 irqpath.duration=2" \
		12 >"$T/lb-image.log" 2>&1 || cat "$T/lb-image.log"
	NS=irqpath-lb$$
	TAP=iqlb$$
	trap '[ -n "$QPID" ] && kill "$QPID" 2>/dev/null; [ -n "${RRPID:-}" ] && kill "$RRPID" 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$T"' EXIT
	ip netns add "$NS" && ip -n "$NS" link set lo up &&
		ip -n "$NS" tuntap add dev "$TAP" mode tap &&
		ip -n "$NS" addr add 10.201.0.1/30 dev "$TAP" && ip -n "$NS" link set "$TAP" up ||
		fail "cannot set up tap $TAP in netns $NS"
	ip netns exec "$NS" "$BIN/irqpath-rr" -s -B 10.201.0.1 -p 7801 -q -P "$T/rr.port" >"$T/rr.log" 2>&1 &
	RRPID=$!
	NSEXEC="ip netns exec $NS"
	boot_retry "$T/rrimg" IRQPATH-RESULT -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" \
		-device virtio-net-device,netdev=n0
	NSEXEC=
	kill "$RRPID" 2>/dev/null
	wait "$RRPID" 2>/dev/null
	RRPID=
	c=$T/console.log
	check "rr: virtio-net bound to irqpath-virtio-mmio (IRQ 12 straight from the GSI, no ACPI)" \
		grep -aqE '^IRQPATH-DRIVER-BOUND: irqpath-virtio-mmio\.[0-9]+(\.auto)? virtio[0-9]+ virtio_net' "$c"
	res=$(grep -a -m1 '^IRQPATH-RESULT ' "$c" | sed 's/^IRQPATH-RESULT //; s/\r$//')
	check_eq "rr: guest result status" ok "$(jq -r .status <<<"$res" 2>/dev/null)"
	check_ge "rr: TCP_RR transactions" 100 "$(jq -r '.rr.transactions // 0' <<<"$res" 2>/dev/null)"
	line=$(jq -r '[.irq_lines[] | select(.name | test("^virtio[0-9]+$"))][0] | "\(.chip) \(.count)"' <<<"$res" 2>/dev/null)
	check "rr: the virtio line is IOAPIC pin 12, level (fasteoi) as the MP table says ($line)" \
		grep -qE '^IO-APIC +12-fasteoi [0-9]+$' <<<"$line"
	check_ge "rr: interrupts on that line" 100 "${line##* }"
	grep -aq '^IRQPATH-RESULT' "$c" || tail -n 30 "$c" | sed 's/^/     | /'
fi

# The tool refuses what linuxboot refuses, with its message.
"$LB/lb-image" /bin/true "$T/initrd.cpio.gz" 256 "$LB/reset-stub.bin" "$T/img" x >"$T/bad.log" 2>&1
check_eq "not a bzImage: lb-image fails" 1 $?
check "... naming the problem" grep -q 'linuxboot: not a bzImage' "$T/bad.log"

done_testing
