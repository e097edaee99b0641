#!/usr/bin/env bash
# irqpath-report design-space on a fixture run (synthetic inputs, not
# measurements): one row per profile with its exits and footprint, the
# shared-vector cost against the per-queue sibling, the collision list,
# real PNG/SVG charts; a run without footprint still renders (columns
# empty) and a missing run is a usage error.
source "$(dirname "$0")/../lib.sh"
require_cmd jq
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
cp -r "$FIX/run-a" "$T/run"
# a "-shared" sibling of mmio-v3 (same numbers: its cost must read +0.00)
jq '.profile.name = "mmio-v3-shared"' "$FIX/run-a/mmio-v3.json" >"$T/run/mmio-v3-shared.json"
mkdir -p "$T/run/footprint"
cat >"$T/run/footprint/footprint.json" <<'JSON'
{"schema":"irqpath-footprint/1","profiles":[
 {"profile":"mmio-v3","version":3,"registers_added":["MsiStatus","MsiCommand","MsiAddressLow","MsiAddressHigh","MsiData"],
  "registers_redefined":["QueueNotify (readable)"],"window_bytes":4096,"window_bytes_used":2056,
  "interrupts":{"vectors_used":3},"mask_rule":"pending","collides":[],
  "mask_probe":{"masked_raises":1,"sent_on_unmask":1,"lost_while_masked":0},
  "loc":{"device":300,"device_with_shared":300,"guest":180,"guest_with_shared":180},
  "stock_linux":{"binds":false,"interrupts":0,"source":"measured: Debian kernel on irqpath-vmm"}},
 {"profile":"mmio-v3-shared","version":2,"registers_added":[],"registers_redefined":[],
  "window_bytes":4096,"window_bytes_used":320,"interrupts":{"vectors_used":2},"mask_rule":"lost",
  "mask_probe":{"masked_raises":1,"sent_on_unmask":0,"lost_while_masked":1},
  "collides":["feature bit 40 is VIRTIO_F_RING_RESET"],
  "loc":{"device":100,"device_with_shared":250,"guest":60,"guest_with_shared":200},
  "stock_linux":{"binds":true,"interrupts":1,"source":"derived: Version 2"}}]}
JSON

"$R" design-space "$T/run" >"$T/out.md" 2>"$T/err.txt"
check_eq "design-space exits 0" 0 $?
check "writes design-space.md" test -s "$T/run/design-space.md"
check_eq "one row per profile" 4 "$(grep -c '^| \(pci\|mmio-legacy\|mmio-v3\|mmio-v3-shared\) |' "$T/run/design-space.md")"
row() { grep "^| $1 |" "$T/run/design-space.md"; }
check "mmio-v3 row: 5 registers added, pending mask, refused by stock Linux" \
	bash -c "grep -q '| 5 (+1 redefined) |' <<<\"$(row mmio-v3)\" && grep -q 'pending' <<<\"$(row mmio-v3)\" && grep -q 'refused, 0 irq' <<<\"$(row mmio-v3)\""
check "mmio-v3 row: the probe's verdict, stock Linux measured" \
	bash -c "grep -q '| delivered on unmask (pending bit) |' <<<\"$(row mmio-v3)\" && grep -q 'refused, 0 irq |' <<<\"$(row mmio-v3)\""
check "shared sibling: stock Linux marked derived" grep -q 'binds, 1 irq (derived) |' <<<"$(row mmio-v3-shared)"
check "shared sibling: cost against mmio-v3" grep -q '+0.00 vs mmio-v3' <<<"$(row mmio-v3-shared)"
check "shared sibling: the probe's verdict" grep -q '| lost |' <<<"$(row mmio-v3-shared)"
check "collision listed under the table" grep -q 'mmio-v3-shared: collides: feature bit 40' "$T/run/design-space.md"
check_eq "json: exits by cause of mmio-legacy has mmio" true \
	"$(jq '.[] | select(.profile == "mmio-legacy") | .exits_by_cause | has("mmio")' "$T/run/design-space.json")"
check_eq "json: shared-vector cost names its sibling" mmio-v3 \
	"$(jq -r '.[] | select(.profile == "mmio-v3-shared") | .shared_vector_cost.against' "$T/run/design-space.json")"
for c in design-space-exits design-space-irqpath; do
	check_eq "$c.png has the PNG signature" 89504e470d0a1a0a \
		"$(od -An -tx1 -N8 "$T/run/$c.png" 2>/dev/null | tr -d ' \n')"
	check "$c.svg is an SVG document" grep -q '<svg' "$T/run/$c.svg"
done
check "exits chart stacks cause msr" grep -q '>msr<' "$T/run/design-space-exits.svg"

rm -rf "$T/run/footprint"
"$R" design-space "$T/run" >/dev/null 2>"$T/err.txt"
check_eq "no footprint: still renders" 0 $?
check "no footprint: says so" grep -q 'no footprint' "$T/err.txt"
"$R" design-space "$T/nothing" >/dev/null 2>&1
check_eq "missing run: usage error" 2 $?
done_testing
