# Guest hook (busybox sh, sourced by guest-agent/linux-image/init as
# /etc/irqpath/hooks/20-irqpath-driver.sh): loads irqpath_virtio_mmio.ko
# in place of the stock virtio_mmio and prints what it bound, as
# IRQPATH-DRIVER lines the host checks.
#
# Devices: irqpath.driver_devices=SIZE@BASE:GSI[,...] or the module's own
# irqpath_virtio_mmio.devices=... on the kernel command line (busybox insmod
# does not apply module options from the command line, so the hook does),
# else QEMU microvm's ACPI-declared slots (LNRO0005 in /proc/iomem): slot n
# sits at 0xfeb00000 + n * 512 and, with microvm's second IOAPIC, raises
# GSI <second IOAPIC base> + n (else 5 + n).
# irqpath.driver=off skips all of it (one image serves the pci profile too).
# Uses the init's param() and fail().

irqpath_driver_ko=/lib/modules/irqpath/irqpath_virtio_mmio.ko

# The guest's virtio interrupt counts since boot, per /proc/interrupts line
# (CPU columns summed), as JSON members: "virtio0-input.0":N,...
irqpath_virtio_irqs() {
	awk 'NR == 1 { n = NF; next }
	     $NF ~ /^virtio/ { s = 0; for (i = 2; i <= n + 1; i++) s += $i
	                       printf "%s\"%s\":%d", (c++ ? "," : ""), $NF, s }' /proc/interrupts
}
# Where each virtio interrupt may and does go: "virtio0-input.0":{"irq":25,
# "hint":"0","effective":"0"} (CPU lists from /proc/irq/N/affinity_hint,
# empty when no driver set one, and effective_affinity_list).
irqpath_virtio_affinity() {
	awk 'NR > 1 && $NF ~ /^virtio/ { sub(":", "", $1); print $1, $NF }' /proc/interrupts |
		while read -r irq name; do
			hint=$(cat "/proc/irq/$irq/affinity_hint" 2>/dev/null | tr -d '\n')
			# the hint is a hex mask; 0 (none) prints as an empty list
			case "$hint" in "" | *[!0,]*) ;; *) hint= ;; esac
			eff=$(cat "/proc/irq/$irq/effective_affinity_list" 2>/dev/null | tr -d '\n')
			printf '%s"%s":{"irq":%s,"hint":"%s","effective":"%s"}' "${sep:-}" "$name" "$irq" "$hint" "$eff"
			sep=,
		done
}
# The init's halt_now, first printing those counts as they stand at the end
# (IRQPATH-IRQS), for an exact comparison with the EOIs KVM saw per vector —
# unless irqpath-agent printed them already from its settled closing sample
# (the counts as the host tracer's window closed; guest-agent/irqstat) —
# and the interrupts' CPU affinity (IRQPATH-AFFINITY).
halt_now() {
	[ -e /tmp/irqpath-irqs-printed ] || echo "IRQPATH-IRQS {$(irqpath_virtio_irqs)}"
	echo "IRQPATH-AFFINITY {$(irqpath_virtio_affinity)}"
	sync
	poweroff -f 2>/dev/null
	reboot -f
}
# irqpath.settle=S: wait S seconds before the workload, so a host tracer
# attached by pid (irqpath-bench's Linux runner) counts the workload, not
# the boot. Runs after the driver is loaded (at the end of this hook).
irqpath_settle() {
	s=$(param settle 0)
	[ "$s" = 0 ] && return 0
	echo "IRQPATH-SETTLE: $s"
	sleep "$s"
}

# irqpath.driver=off: a guest that needs no virtio-mmio driver (pci)
if [ "$(param driver on)" = off ]; then
	echo "IRQPATH-DRIVER: off"
	irqpath_settle
	return 0
fi

irqpath_driver_microvm_devices() {
	gsi_base=$(dmesg | sed -n 's/.*IOAPIC\[1\].*GSI \([0-9]*\)-[0-9]*.*/\1/p' | head -n 1)
	[ -n "$gsi_base" ] || gsi_base=5
	# A bound stock driver adds a nested line for the same range: sort -u.
	grep 'LNRO0005' /proc/iomem | sed 's/^ *//; s/ .*//' | sort -u | while IFS=- read -r lo hi; do
		base=$((0x$lo))
		size=$((0x$hi - 0x$lo + 1))
		slot=$(((base - 0xfeb00000) / 512))
		printf '%d@0x%x:%d\n' "$size" "$base" $((gsi_base + slot))
	done | paste -sd, -
}

irqpath_driver_devices=$(param driver_devices "")
[ -n "$irqpath_driver_devices" ] ||
	irqpath_driver_devices=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^irqpath_virtio_mmio\.devices=//p' | tail -n 1)
[ -n "$irqpath_driver_devices" ] || irqpath_driver_devices=$(irqpath_driver_microvm_devices)
[ -n "$irqpath_driver_devices" ] || fail "irqpath driver: no devices (no irqpath.driver_devices= and no LNRO0005 in /proc/iomem)"
[ -d /sys/module/virtio_mmio ] && echo "IRQPATH-DRIVER-STOCK: loaded" || echo "IRQPATH-DRIVER-STOCK: absent"
echo "IRQPATH-DRIVER: insmod devices=$irqpath_driver_devices $(param driver_args "")"
# shellcheck disable=SC2046 # driver_args is a list of module parameters
insmod "$irqpath_driver_ko" devices="$irqpath_driver_devices" $(param driver_args "") ||
	fail "insmod irqpath_virtio_mmio failed"

# our driver's devices, or the stock driver's with driver_args=stock=1
for d in /sys/bus/platform/drivers/irqpath-virtio-mmio/irqpath-virtio-mmio.* \
	/sys/bus/platform/drivers/virtio-mmio/virtio-mmio.*; do
	[ -d "$d" ] || continue
	for v in "$d"/virtio*; do
		[ -d "$v" ] || continue
		drv=$(basename "$(readlink "$v/driver" 2>/dev/null)" 2>/dev/null)
		echo "IRQPATH-DRIVER-BOUND: $(basename "$d") $(basename "$v") ${drv:-none}"
	done
done
dmesg | grep -a 'irqpath-virtio-mmio' | sed 's/^\[[^]]*\] */IRQPATH-DRIVER-LOG: /'
irqpath_settle
