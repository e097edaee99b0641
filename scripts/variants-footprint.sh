#!/usr/bin/env bash
# Footprint and compatibility of each virtio-mmio profile, measured from
# a one-transaction run's layout and results files and counted from the
# source files:
#   registers        the register names the device's layout lists
#   registers_added  those mmio-legacy (version 2) does not have
#   window_bytes     the MMIO window the device claims; window_bytes_used:
#                    the highest byte a register, the config space or a
#                    doorbell occupies
#   loc              non-blank, non-comment lines: the device's register
#                    file and the micro-guest driver, each alone and with
#                    what the variants share (for mmio-legacy/mmio-v3 the
#                    one file holding versions 2 and 3)
#   stock_linux      measured where STOCK_LINUX_JSON (default
#                    DIR/../stock-linux/stock-linux.json, written by
#                    scripts/variants-stock-linux.sh) has the profile: Debian's
#                    kernel with its virtio_mmio bound virtio_net or not, and
#                    the device's /proc/interrupts lines; else derived: Linux's
#                    virtio_mmio probes Version 1..2 and requests one platform IRQ
# Usage: variants-footprint.sh DIR [PROFILE...]
#   DIR holds <profile>.json and <profile>.layout.json (irqpath-vmm --json
#   --layout); writes DIR/footprint.json. Profiles default to every pair there.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$1
shift
if [ $# -eq 0 ]; then
	set -- $(cd "$DIR" && ls *.layout.json | sed 's/\.layout\.json$//')
fi

# C lines that are code: drop blank lines, // lines and /* */ blocks.
loc() {
	[ $# -gt 0 ] || { echo 0; return; }
	cat "$@" | awk '
		{ line = $0 }
		incomment { if (sub(/.*\*\//, "", line)) incomment = 0; else next }
		{ while (match(line, /\/\*.*\*\//)) line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH) }
		{ if (sub(/\/\*.*/, "", line)) incomment = 1 }
		{ sub(/\/\/.*/, "", line) }
		line ~ /[^ \t]/ { n++ }
		END { print n + 0 }'
}

files_for() { # PROFILE -> "device-own|device-shared|guest-own|guest-shared"
	local v=vmm g=guest-agent/microguest
	case $1 in
	mmio-legacy | mmio-v3) echo "$v/transport_mmio.c||$g/virtio_mmio.c|" ;;
	mmio-draft*) echo "$v/transport_mmio_draft.c|$v/transport_mmio_variant.c|$g/virtio_mmio_draft.c|$g/virtio_mmio_variant.c" ;;
	mmio-addrdata*) echo "$v/transport_mmio_addrdata.c|$v/transport_mmio_variant.c|$g/virtio_mmio_addrdata.c|$g/virtio_mmio_variant.c" ;;
	mmio-dragonball*) echo "$v/transport_mmio_dragonball.c|$v/transport_mmio_variant.c|$g/virtio_mmio_dragonball.c|$g/virtio_mmio_variant.c" ;;
	pci) echo "$v/virtio_pci.c|$v/pci_config.c|$g/virtio_pci.c|" ;;
	*) echo "|||" ;;
	esac
}

SL=${STOCK_LINUX_JSON:-$DIR/../stock-linux/stock-linux.json}
stock='{}'
[ -s "$SL" ] && stock=$(jq -c '[.profiles[] | select(.booted) | {key: .profile, value: .}] | from_entries' "$SL")
base_regs=$(jq -c '[.registers[].name]' "$DIR/mmio-legacy.layout.json" 2>/dev/null || echo '[]')
out=$(mktemp)
echo '[]' >"$out"
for p in "$@"; do
	L=$DIR/$p.layout.json R=$DIR/$p.json
	[ -s "$L" ] && [ -s "$R" ] || { echo "variants-footprint: $p: no layout/results in $DIR" >&2; exit 1; }
	IFS='|' read -r dev devs gst gsts <<<"$(files_for "$p")"
	c() { local f=() x; for x in "$@"; do [ -n "$x" ] && f+=("$ROOT/$x"); done; loc "${f[@]}"; }
	ld=$(c "$dev") lds=$(c "$dev" "$devs") lg=$(c "$gst") lgs=$(c "$gst" "$gsts")
	# Version: the variant's report, else the profile's definition (mmio-v3 is 3)
	ver=$(jq -r --arg p "$p" '.vmm.variant.version // (if $p == "mmio-v3" then 3 else 2 end)' "$R")
	jq --arg p "$p" --argjson base "$base_regs" --argjson ver "$ver" \
		--argjson stock "$stock" --argjson ld "$ld" --argjson lds "$lds" --argjson lg "$lg" --argjson lgs "$lgs" \
		--slurpfile res "$R" '
		. as $l | $res[0] as $r |
		($l.window.gpa) as $w |
		{profile: $p,
		 design: ($r.vmm.variant.design // $p),
		 version: $ver,
		 registers: [$l.registers[].name],
		 registers_added: (if $p == "pci" then null else ([$l.registers[].name] - $base) end),
		 registers_redefined: ($r.vmm.variant.redefines // (if $p == "mmio-v3" then ["QueueNotify (readable)"] else [] end)),
		 window_bytes: $l.window.size,
		 window_bytes_used: ([([$l.registers[].offset] | max) + 4, 256 + 64,
			($l.queues[].notify | .gpa - $w + .len)] | max),
		 doorbells: [$l.queues[].notify | {offset: (.gpa - $w), datamatch}],
		 interrupts: {msi_entries: ($r.vmm.msi | length), vectors_used: $r.guest.msi_vectors,
			pin: ($l.ioapic_pin != null)},
		 mask_rule: ($r.vmm.variant.mask_rule // (if $p == "mmio-v3" then "pending" else "n/a" end)),
		 mask_probe: $r.vmm.variant.mask_probe,
		 collides: ($r.vmm.variant.collides // []),
		 loc: {device: $ld, device_with_shared: $lds, guest: $lg, guest_with_shared: $lgs},
		 stock_linux: (if $stock[$p] then $stock[$p] | {binds, interrupts, irq_lines, kernel,
				stock_driver_says, source: "measured: Debian kernel on irqpath-vmm, its virtio_mmio"}
			elif $p == "pci" then {binds: true, interrupts: $r.guest.msi_vectors,
				source: "virtio_pci (not virtio_mmio): MSI-X, one vector per queue + config"}
			else {binds: ($ver >= 1 and $ver <= 2), interrupts: (if $ver <= 2 then 1 else 0 end),
				source: ("derived: Version " + ($ver | tostring) +
					"; Linux virtio_mmio probes versions 1-2 and requests its one platform IRQ")} end)
		}' "$L" >"$out.one"
	jq --slurpfile one "$out.one" '. + $one' "$out" >"$out.new" && mv "$out.new" "$out"
done
jq '{schema: "irqpath-footprint/1", profiles: .}' "$out" >"$DIR/footprint.json"
rm -f "$out" "$out.one"
echo "$DIR/footprint.json"
