#!/usr/bin/env bash
# Whether stock Linux binds each virtio-mmio profile's device, and with how
# many interrupts: measured, not derived. Boots Debian's kernel (the
# project's Linux guest, `make guest-linux-vmm`) on irqpath-vmm once per
# profile with irqpath.driver_args=stock=1: the project's module only
# declares the platform device under the stock driver's name (Debian's
# kernel has no virtio_mmio.device=) and Debian's virtio_mmio probes it.
# Per profile it records from the console: the IRQPATH-DRIVER-BOUND line
# (virtio_net bound or not), whether eth0 came up, the stock driver's own
# words (e.g. "Version 3 not supported!"), and the guest's /proc/interrupts
# lines for the device at power-off (IRQPATH-IRQS): interrupts = their
# number. No workload (no irqpath.server=): binding is the question.
# Where /dev/kvm is absent, all profiles run in one boot of the emulated SVM
# host (hosts/svm-tcg).
# Usage: variants-stock-linux.sh BUILD OUT [PROFILE...]
#   writes OUT/stock-linux.json (schema irqpath-stock-linux/1) and per
#   profile OUT/<profile>.{json,console,out}; STOCK_LINUX_PARSE_ONLY=1
#   re-reads the consoles already in OUT without booting
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
shift 2
[ $# -gt 0 ] || set -- mmio-legacy mmio-v3 mmio-draft mmio-draft-shared mmio-draft-fewer \
	mmio-addrdata mmio-addrdata-shared mmio-dragonball mmio-dragonball-fewer mmio-dragonball-intx
KERNEL=${STOCK_LINUX_KERNEL:-$BUILD/guest-linux/vmlinuz}
INITRD=${STOCK_LINUX_INITRD:-$BUILD/guest-linux/vmm-initramfs.cpio.gz}
for f in "$BUILD/bin/irqpath-vmm" "$KERNEL" "$INITRD"; do
	[ -s "$f" ] || { echo "variants-stock-linux: missing $f (make all guest-linux-vmm)" >&2; exit 2; }
done

# One profile's boot (in L1 or on a host with /dev/kvm).
boot_one() {
	local p=$1 win=4K
	# the hook declares the device: the profile's window (Dragonball's doorbell page: 8 KiB)
	case $p in mmio-dragonball*) win=8K ;; esac
	timeout 300 "$BUILD/bin/irqpath-vmm" --profile "$p" --kernel "$KERNEL" --initrd "$INITRD" \
		--mem 256 --append "irqpath.driver_devices=$win@0xd0000000:5 irqpath.driver_args=stock=1" --timeout 240 \
		--json "$OUT/$p.json" --console "$OUT/$p.console" -q >"$OUT/$p.out" 2>&1
	echo $? >"$OUT/$p.rc"
}

if [ "${STOCK_LINUX_INNER:-0}" = 1 ]; then
	for p in "$@"; do boot_one "$p"; done
	exit 0
fi
if [ "${STOCK_LINUX_PARSE_ONLY:-0}" = 1 ]; then
	: # re-read the consoles of an earlier run
elif [ -e /dev/kvm ]; then
	STOCK_LINUX_INNER=1 "$0" "$BUILD" "$OUT" "$@"
else
	TMPDIR=$OUT "$ROOT/hosts/svm-tcg/irqpath-svmhost" --build "$BUILD" --timeout 3000 \
		--share "$OUT" -q -- env STOCK_LINUX_INNER=1 STOCK_LINUX_KERNEL="$KERNEL" \
		STOCK_LINUX_INITRD="$INITRD" bash "$0" "$BUILD" "$OUT" "$@" >"$OUT/svmhost.out" 2>&1 ||
		{ echo "variants-stock-linux: the svm-tcg host failed:" >&2; tail -n 20 "$OUT/svmhost.out" >&2; }
fi

# Per profile, from its console (CRs dropped).
one_json() {
	local p=$1 c=$OUT/$p.console
	local txt bound eth0 irqs why kver
	txt=$(tr -d '\r' <"$c" 2>/dev/null)
	bound=$(sed -n 's/^IRQPATH-DRIVER-BOUND: //p' <<<"$txt" | head -n 1)
	eth0=$(grep -c '^IRQPATH-INIT: eth0 .* up' <<<"$txt")
	irqs=$(sed -n 's/^IRQPATH-IRQS //p' <<<"$txt" | tail -n 1)
	jq -e . >/dev/null 2>&1 <<<"$irqs" || irqs=null
	why=$(grep -a -o 'virtio-mmio [^ ]*: .*' <<<"$txt" | head -n 3 | jq -R . | jq -s .)
	kver=$(sed -n 's/^IRQPATH-INIT: kernel //p' <<<"$txt" | head -n 1)
	# the draft's bits 39/40 (today NOTIF_CONFIG_DATA / RING_RESET): did Linux ack them?
	bits=$(jq -c '.vmm.variant.transport_bits_accepted // null' "$OUT/$p.json" 2>/dev/null)
	[ -n "$bits" ] || bits=null
	jq -n --arg p "$p" --arg bound "$bound" --argjson eth0 "$eth0" --argjson irqs "$irqs" \
		--argjson why "$why" --arg kver "$kver" --argjson bits "$bits" --arg rc "$(cat "$OUT/$p.rc" 2>/dev/null)" \
		--arg err "$(sed -n 's/^IRQPATH-ERROR: //p' <<<"$txt" | head -n 1)" '
		($bound | split(" ")) as $b |
		{profile: $p, booted: ($kver != ""), kernel: $kver, vmm_rc: ($rc | tonumber? // null),
		 driver: (if $bound == "" then null else $b[2] end),
		 binds: ($bound != "" and $b[2] == "virtio_net" and $eth0 > 0),
		 eth0_up: ($eth0 > 0),
		 irq_lines: (if $irqs == null then [] else [$irqs | keys[] | select(startswith("virtio"))] end),
		 interrupts: (if $irqs == null then 0 else [$irqs | keys[] | select(startswith("virtio"))] | length end),
		 irqs_at_halt: $irqs,
		 stock_driver_says: $why,
		 transport_bits_accepted: $bits,
		 error: (if $err == "" then null else $err end)}'
}

for p in "$@"; do one_json "$p"; done | jq -s '{schema: "irqpath-stock-linux/1",
	how: "Debian kernel on irqpath-vmm, irqpath.driver_args=stock=1: Debian virtio_mmio probes the device",
	profiles: .}' >"$OUT/stock-linux.json"
echo "$OUT/stock-linux.json"
jq -e '[.profiles[] | select(.booted)] | length > 0' "$OUT/stock-linux.json" >/dev/null
