#!/usr/bin/env bash
# irqpath-vmm, per-queue MSI address/data pairs (profiles mmio-addrdata,
# mmio-addrdata-shared): 1000 transactions each with host counts equal to
# the guest's; no vector count or mapping registers, notifications through
# QueueNotify (an ioeventfd with the queue as datamatch); the shared mode
# gives both queues one message; mask without pending: the probe's event
# is lost.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_variants.sh"
need_kvm
require "$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq
T=$(mktemp -d "$IRQPATH_BUILD/variants-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
variants_run "$T" mmio-addrdata mmio-addrdata-shared
j() { jq -r "$2" "$T/$1.json"; }

variant_checks "$T" mmio-addrdata 3 lost
check_eq "mmio-addrdata: one MSI per response on rx's pair (0x41)" "$VARIANTS_N" "$(j mmio-addrdata '.guest.irqs_by_vector."65"')"
check_eq "mmio-addrdata: notify is QueueNotify with the queue as datamatch" "$((0xd0000050)) 0 1" \
	"$(jq -r '"\(.queues[0].notify.gpa) \(.queues[0].notify.datamatch) \(.queues[1].notify.datamatch)"' "$T/mmio-addrdata.layout.json")"
check_eq "mmio-addrdata: nothing collides" 0 "$(j mmio-addrdata '.vmm.variant.collides | length')"
check_eq "mmio-addrdata: each pair enabled once (2 queues + config)" 3 \
	"$(j mmio-addrdata '(.vmm.mmio_by_register.QueueMsiCtrl.writes) + (.vmm.mmio_by_register.ConfigMsiCtrl.writes) - 2')"

variant_checks "$T" mmio-addrdata-shared 2 lost
check_eq "mmio-addrdata-shared: rx and tx pairs carry the same vector" "65 65" \
	"$(jq -r '[.queues[].msi.vector] | map(tostring) | join(" ")' "$T/mmio-addrdata-shared.layout.json")"
check_eq "mmio-addrdata-shared: every response on 0x41" "$VARIANTS_N" "$(j mmio-addrdata-shared '.guest.irqs_by_vector."65"')"
done_testing
