#!/usr/bin/env bash
# The irqpath virtio-mmio driver module carries the mmio-legacy TCP_RR run:
# Debian's 6.1 kernel under QEMU microvm (TCG), the stock virtio_mmio left
# out of the initramfs, irqpath_virtio_mmio.ko loaded with devices= by a
# guest hook, irqpath-rr TCP_RR through a tap in a private netns.
# Runs QEMU's Version 2 device, then its Version 1 device (with the MSI
# self-test), then a run whose devices= names an empty slot, which must
# fail (nothing bound, no eth0), then one where the stock driver holds the
# device and ours must keep out.
source "$(dirname "$0")/../lib.sh"
need_root "QEMU runs need a tap device in a network namespace"

command -v qemu-system-x86_64 >/dev/null || {
	fail "qemu-system-x86_64 missing (install qemu-system-x86)"
	done_testing
	exit 1
}

# The module and the guest image are not part of `make all` (both download
# Debian packages once); build them here, a no-op when up to date.
if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux driver >"$IRQPATH_BUILD/test-logs/driver-build.log" 2>&1; then
	tail -n 20 "$IRQPATH_BUILD/test-logs/driver-build.log"
	fail "make guest-linux driver failed (log: $IRQPATH_BUILD/test-logs/driver-build.log)"
	done_testing
	exit 1
fi
GL=$IRQPATH_BUILD/guest-linux
KO=$IRQPATH_BUILD/driver/irqpath_virtio_mmio.ko
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

kver=$(cat "$GL/KERNEL_VERSION")
vermagic=$(modinfo -F vermagic "$KO" 2>/dev/null)
check "module built for the guest kernel $kver (vermagic '$vermagic')" [ "${vermagic%% *}" = "$kver" ]

bash "$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh" "$T/drv.cpio.gz" \
	--no-stock-virtio-mmio --modules "$GL/modules" --bin "$GL/bin" \
	--add "$KO:/lib/modules/irqpath/irqpath_virtio_mmio.ko" \
	--add "$IRQPATH_ROOT/guest-agent/linux-driver/guest-hook.sh:/etc/irqpath/hooks/20-irqpath-driver.sh" \
	>"$T/mkinitramfs.log" 2>&1 || cat "$T/mkinitramfs.log"
files=$(zcat "$T/drv.cpio.gz" | cpio -t 2>/dev/null)
check "initramfs holds irqpath_virtio_mmio.ko" grep -q 'irqpath_virtio_mmio.ko$' <<<"$files"
check "initramfs has no stock virtio_mmio.ko" bash -c '! grep -q "/virtio_mmio.ko$" <<<"$1"' _ "$files"

# run NAME ARGS...: one irqpath-qemu run; leaves $T/NAME.{json,console,log,rc}.
# The deadline is generous: a run ends when the guest reports, and a TCG boot
# on a loaded 2-core host took over 45 s (wall) to reach its 16 s (guest) result.
# Debian's kernel sometimes hangs under TCG before it reaches init (a jiffies
# wait with every timer source masked; it depends on boot timing, not on
# this driver, which loads later). Such a run is tried again, at most
# twice, with a marker that shifts the timing; a run that reached init is
# never retried.
run() {
	local name=$1 attempt
	shift
	for attempt in 1 2 3; do
		"$BIN/irqpath-qemu" --profile mmio-legacy --initrd "$T/drv.cpio.gz" --timeout 120 \
			--json "$T/$name.json" --console "$T/$name.console" "$@" \
			--append "irqpath.attempt=$attempt $APPEND_EXTRA" >"$T/$name.log" 2>&1
		echo $? >"$T/$name.rc"
		grep -aq 'IRQPATH-INIT: kernel' "$T/$name.console" 2>/dev/null && return
		echo "# $name: attempt $attempt: the guest kernel did not reach init (TCG boot hang); retrying"
	done
}
APPEND_EXTRA=

# check_run NAME VERSION: the run was carried by our driver.
check_run() {
	local name=$1 version=$2 c=$T/$1.console j=$T/$1.json
	check_eq "$name: irqpath-qemu exit status" 0 "$(cat "$T/$name.rc")"
	[ "$(cat "$T/$name.rc")" = 0 ] || sed 's/^/     | /' "$T/$name.log" | tail -n 20
	check_eq "$name: stock virtio_mmio not loaded in the guest" "IRQPATH-DRIVER-STOCK: absent" \
		"$(grep -a -m1 '^IRQPATH-DRIVER-STOCK' "$c" | tr -d '\r')"
	check "$name: virtio-net bound to a device of irqpath-virtio-mmio" \
		grep -aqE '^IRQPATH-DRIVER-BOUND: irqpath-virtio-mmio\.[0-9]+(\.auto)? virtio[0-9]+ virtio_net' "$c"
	check "$name: driver drove a version $version device" \
		grep -aq "virtio-mmio version $version, device id 1" "$c"
	check_eq "$name: result status" ok "$(jq -r .status "$j" 2>/dev/null)"
	check_ge "$name: TCP_RR transactions" 100 "$(jq -r '.transactions // 0 | floor' "$j" 2>/dev/null)"
	# The interrupt line counted in /proc/interrupts is the one our driver requested.
	local drv_irq line_irq count
	drv_irq=$(grep -a -m1 'irqpath-virtio-mmio: declared' "$c" | sed -n 's/.*(IRQ \([0-9]*\)).*/\1/p')
	line_irq=$(jq -r '[.irq_lines[] | select(.name | test("^virtio[0-9]+$"))][0].irq' "$j" 2>/dev/null)
	count=$(jq -r '[.irq_lines[] | select(.name | test("^virtio[0-9]+$"))][0].count // 0' "$j" 2>/dev/null)
	check_eq "$name: /proc/interrupts virtio line is the driver's IRQ" "${drv_irq:-?}" "$line_irq"
	check_ge "$name: interrupts on that line" 100 "$count"
}

run v2 --duration 2
check_run v2 2
echo "# v2: $(jq -c '{trans_per_s, irqs_per_transaction}' "$T/v2.json" 2>/dev/null)"

# The v1 run also loads the module with selftest=3: the version 3 MSI path
# (platform MSI domain on x86_vector_domain, message composition, UPDATE /
# MASK / UNMASK commands, delivery of each vector to its handler) checked
# against a RAM-backed register window, since QEMU has no version 3 device.
APPEND_EXTRA="irqpath.driver_args=selftest=3"
run v1 --duration 1 --mmio-version 1
APPEND_EXTRA=
check_run v1 1
check "v1: MSI self-test passed for 3 vectors" \
	grep -aq 'irqpath-virtio-mmio: MSI self-test passed: 3 vectors' "$T/v1.console"

# Negative: an empty microvm slot (no device behind it) binds nothing, so
# the guest finds no eth0 and the run must fail.
# (Named the way irqpath-vmm names its device: the module's own option.)
APPEND_EXTRA="irqpath_virtio_mmio.devices=512@0xfeb00000:24"
run empty --duration 1
APPEND_EXTRA=
check "empty slot: the hook took devices= from the command line" \
	grep -aq '^IRQPATH-DRIVER: insmod devices=512@0xfeb00000:24' "$T/empty.console"
check "empty slot: irqpath-qemu fails" [ "$(cat "$T/empty.rc")" != 0 ]
check "empty slot: nothing bound" bash -c '! grep -aq "^IRQPATH-DRIVER-BOUND" "$1"' _ "$T/empty.console"
check "empty slot: guest reports no eth0" grep -aq 'IRQPATH-ERROR: no eth0' "$T/empty.console"

# The stock virtio_mmio loaded first (an image that keeps it) holds the
# device's registers: our probe must refuse it (EBUSY) and leave it alone.
bash "$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh" "$T/drv.cpio.gz" \
	--modules "$GL/modules" --bin "$GL/bin" \
	--add "$KO:/lib/modules/irqpath/irqpath_virtio_mmio.ko" \
	--add "$IRQPATH_ROOT/guest-agent/linux-driver/guest-hook.sh:/etc/irqpath/hooks/20-irqpath-driver.sh" \
	>"$T/mkinitramfs.log" 2>&1 || cat "$T/mkinitramfs.log"
run stock --duration 1
check_eq "stock first: the run still works on the stock driver" 0 "$(cat "$T/stock.rc")"
check_eq "stock first: stock virtio_mmio loaded" "IRQPATH-DRIVER-STOCK: loaded" \
	"$(grep -a -m1 '^IRQPATH-DRIVER-STOCK' "$T/stock.console" | tr -d '\r')"
check "stock first: our probe refused the busy device (EBUSY)" \
	grep -aqE 'probe of irqpath-virtio-mmio\.[0-9.a-z]+ failed with error -16' "$T/stock.console"
check "stock first: nothing bound to irqpath-virtio-mmio" \
	bash -c '! grep -aq "^IRQPATH-DRIVER-BOUND" "$1"' _ "$T/stock.console"

done_testing
