#!/usr/bin/env bash
# irqpath-vmm, the 2020 spec draft's virtio-mmio MSI (profiles mmio-draft,
# mmio-draft-shared, mmio-draft-fewer): 1000 transactions each with host
# counts equal to the guest's, one MSI per response and no status read or
# ack; the draft's feature bits are offered and accepted and reported as
# colliding with today's spec; sharing mode maps queues as the driver
# asks; with one vector config shares it and costs a ConfigGeneration read
# per interrupt; masking has no pending bit (the probe's event is lost).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_variants.sh"
need_kvm
require "$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq
T=$(mktemp -d "$IRQPATH_BUILD/variants-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
variants_run "$T" mmio-draft mmio-draft-shared mmio-draft-fewer
j() { jq -r "$2" "$T/$1.json"; }

variant_checks "$T" mmio-draft 3 lost
check_eq "mmio-draft: one MSI per response on vector 1 (0x41)" "$VARIANTS_N" "$(j mmio-draft '.guest.irqs_by_vector."65"')"
check_eq "mmio-draft: the driver accepted bits 39/40 (the device, not the net model, keeps them)" "39 40" \
	"$(j mmio-draft '.vmm.variant.transport_bits_accepted | map(tostring) | join(" ")')"
check_eq "mmio-draft: MsiVecNum and MsiState read once each" "1 1" \
	"$(j mmio-draft '"\(.vmm.mmio_by_register.MsiVecNum.reads) \(.vmm.mmio_by_register.MsiState.reads)"')"
check_eq "mmio-draft: collisions with today's spec reported" 3 "$(j mmio-draft '.vmm.variant.collides | length')"
check_eq "mmio-draft: doorbell at notify base 0x800" $((0xd0000800)) \
	"$(jq -r '.queues[0].notify.gpa' "$T/mmio-draft.layout.json")"
check_eq "mmio-draft: layout names MsiCmd at 0x0c8" MsiCmd \
	"$(jq -r '.registers[] | select(.offset == 200) | .name' "$T/mmio-draft.layout.json")"

variant_checks "$T" mmio-draft-shared 2 lost
check_eq "mmio-draft-shared: device in sharing mode, 2 vectors" "queues-shared 2" \
	"$(j mmio-draft-shared '"\(.vmm.variant.share) \(.vmm.variant.entries)"')"
check_eq "mmio-draft-shared: rx and tx mapped to one entry (MAP_QUEUE)" "1 1" \
	"$(jq -r '[.queues[].msi.index] | map(tostring) | join(" ")' "$T/mmio-draft-shared.layout.json")"
check_eq "mmio-draft-shared: responses on the shared vector 0x41" "$VARIANTS_N" "$(j mmio-draft-shared '.guest.irqs_by_vector."65"')"

variant_checks "$T" mmio-draft-fewer 1 lost
check_eq "mmio-draft-fewer: everything on vector 0 (0x40)" "$VARIANTS_N" "$(j mmio-draft-fewer '.guest.irqs_by_vector."64"')"
check_ge "mmio-draft-fewer: a ConfigGeneration read per interrupt (config shares the vector)" \
	"$VARIANTS_N" "$(j mmio-draft-fewer '.vmm.mmio_by_register.ConfigGeneration.reads')"
check_eq "mmio-draft-fewer: no config change seen" 0 "$(j mmio-draft-fewer .guest.config_interrupts)"
done_testing
