#!/usr/bin/env bash
# irqpath-vmm, the seed's mmio-v3 under the masked-interrupt probe
# (--mask-probe: the micro-guest masks rx's vector with MSI_COMMAND MASK,
# makes the device raise one interrupt into the mask, unmasks): the device
# keeps the event pending and sends it on UNMASK, the guest takes it, and
# the results say so in the variants' shape (vmm.variant.mask_probe). The
# same run keeps host counts equal to the guest's for 1000 transactions.
# mmio-v3's normal runs (no --mask-probe) do not probe: their counts are
# those tests/integration/vmm-v3.sh checks.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_variants.sh"
need_kvm l1
require "$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq
T=$(mktemp -d "$IRQPATH_BUILD/variants-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
VARIANTS_ARGS="--mask-probe" variants_run "$T" mmio-v3
j() { jq -r "$1" "$T/mmio-v3.json"; }

variant_checks "$T" mmio-v3 3 pending 3
check_eq "mmio-v3: mask rule reported as pending" pending "$(j .vmm.variant.mask_rule)"
check_eq "mmio-v3: nothing merged or left pending" "0 false" \
	"$(j '"\(.vmm.variant.mask_probe.merged_while_masked) \([.vmm.msi[].pending > 0] | any)"')"
check_eq "mmio-v3: one MSI per response on rx's vector (0x41), + the probe's" "$((VARIANTS_N + 1))" \
	"$(j '.guest.irqs_by_vector."65"')"
check_eq "mmio-v3: MASK and UNMASK went through MSI_COMMAND (3 x UPDATE+UNMASK, + 2)" 8 \
	"$(j '.vmm.mmio_by_register.MsiCommand.writes')"
check_eq "--mask-probe refused off mmio-v3" 2 \
	"$("$BIN/irqpath-vmm" --profile mmio-legacy --guest "$IRQPATH_BUILD/guest/microguest.elf" --mask-probe -q >/dev/null 2>&1; echo $?)"
done_testing
