#!/usr/bin/env bash
# irqpath-vmm, Dragonball's VendorID features (profiles mmio-dragonball,
# mmio-dragonball-fewer, mmio-dragonball-intx): 1000 transactions each
# with host counts equal to the guest's; VendorID 0xdbfcdb00 | features,
# per-queue doorbells in the window's second page; MSI per queue, or one
# vector for everything; INTR_USED on an edge pin: no InterruptStatus read
# and no ack per interrupt; no mask command (no probe).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_variants.sh"
need_kvm
require "$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq
T=$(mktemp -d "$IRQPATH_BUILD/variants-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
variants_run "$T" mmio-dragonball mmio-dragonball-fewer mmio-dragonball-intx
j() { jq -r "$2" "$T/$1.json"; }

variant_checks "$T" mmio-dragonball 3 none
check_eq "mmio-dragonball: VendorID carries INTR_USED|MSI_INTR|PER_QUEUE_NOTIFY" \
	$((0xdbfcdb07)) "$(j mmio-dragonball .vmm.variant.vendor_id)"
check_eq "mmio-dragonball: doorbells at 0x1000 + 4q" "$((0xd0001000)) $((0xd0001004))" \
	"$(jq -r '[.queues[].notify.gpa] | map(tostring) | join(" ")' "$T/mmio-dragonball.layout.json")"
check_eq "mmio-dragonball: 8 KiB window" 8192 "$(jq -r .window.size "$T/mmio-dragonball.layout.json")"
check_eq "mmio-dragonball: one MSI per response on 0x41" "$VARIANTS_N" "$(j mmio-dragonball '.guest.irqs_by_vector."65"')"

variant_checks "$T" mmio-dragonball-fewer 1 none
check_eq "mmio-dragonball-fewer: everything on 0x40" "$VARIANTS_N" "$(j mmio-dragonball-fewer '.guest.irqs_by_vector."64"')"
check_ge "mmio-dragonball-fewer: a ConfigGeneration read per interrupt" \
	"$VARIANTS_N" "$(j mmio-dragonball-fewer '.vmm.mmio_by_register.ConfigGeneration.reads')"

variant_checks "$T" mmio-dragonball-intx 0 none
check_eq "mmio-dragonball-intx: one pin interrupt per response (vector 0x30)" "$VARIANTS_N" \
	"$(j mmio-dragonball-intx '.guest.irqs_by_vector."48"')"
check_eq "mmio-dragonball-intx: the edge pin needs no resample" 0 "$(j mmio-dragonball-intx .vmm.resamples)"
check_eq "mmio-dragonball-intx: host saw no InterruptStatus or ACK access" "null null" \
	"$(j mmio-dragonball-intx '"\(.vmm.mmio_by_register.InterruptStatus) \(.vmm.mmio_by_register.InterruptACK)"')"
done_testing
