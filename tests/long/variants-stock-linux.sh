#!/usr/bin/env bash
# Stock Linux against the virtio-mmio variants, measured: Debian's kernel on
# irqpath-vmm with its own virtio_mmio (scripts/variants-stock-linux.sh)
# refuses the seed's mmio-v3 (Version 3: no virtio_net, no interrupt line)
# and binds mmio-addrdata (Version 2) with one interrupt line, eth0 up.
# Long (one svm-tcg boot and two Linux boots under TCG, ~3-4 min): not part
# of `make test`; run it with `make test-variants-stock-linux`, or point
# STOCK_LINUX_JSON at a run's stock-linux.json (make bench PROFILE=variants:
# RUN/stock-linux/stock-linux.json) to check that one without booting.
source "$(dirname "$0")/../lib.sh"
require_cmd jq
J=${STOCK_LINUX_JSON:-}
if [ -z "$J" ]; then
	[ -e /dev/kvm ] || need_root "no /dev/kvm: the boots run in the svm-tcg host"
	require "$BIN/irqpath-vmm" "$IRQPATH_BUILD/guest-linux/vmlinuz" \
		"$IRQPATH_BUILD/guest-linux/vmm-initramfs.cpio.gz"
	T=$(mktemp -d "$IRQPATH_BUILD/stock-linux-test.XXXXXX")
	trap 'rm -rf "$T"' EXIT
	"$IRQPATH_ROOT/scripts/variants-stock-linux.sh" "$IRQPATH_BUILD" "$T" mmio-v3 mmio-addrdata >"$T/run.out" 2>&1
	check_eq "variants-stock-linux.sh ran" 0 $?
	J=$T/stock-linux.json
fi
check "stock-linux.json written" test -s "$J"
s() { jq -r --arg p "$1" ".profiles[] | select(.profile == \$p) | $2" "$J"; }
for p in mmio-v3 mmio-addrdata; do
	check_eq "$p: Debian's kernel booted" true "$(s $p .booted)"
done
check_eq "mmio-v3: virtio_net not bound" false "$(s mmio-v3 .binds)"
check_eq "mmio-v3: no interrupt line" 0 "$(s mmio-v3 .interrupts)"
check_eq "mmio-v3: the stock driver refused Version 3" 1 \
	"$(s mmio-v3 '[.stock_driver_says[] | select(test("Version 3 not supported"))] | length')"
check_eq "mmio-addrdata: virtio_net bound by the stock driver" "true virtio_net" \
	"$(s mmio-addrdata '"\(.binds) \(.driver)"')"
check_eq "mmio-addrdata: eth0 up" true "$(s mmio-addrdata .eth0_up)"
check_eq "mmio-addrdata: one interrupt line (virtio0)" "1 virtio0" \
	"$(s mmio-addrdata '"\(.interrupts) \(.irq_lines | join(","))"')"
done_testing
