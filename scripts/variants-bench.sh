#!/usr/bin/env bash
# `make bench PROFILE=variants`: the design-space run. irqpath-bench over
# the reference transports and every virtio-mmio variant (interleaved,
# with a one-transaction baseline so set-up and boot cancel), then one
# one-transaction irqpath-vmm run per profile for its layout (footprint:
# scripts/variants-footprint.sh; mmio-v3's with --mask-probe, so the table
# reads its probed masked-interrupt behaviour), then Debian's kernel once per
# virtio-mmio profile under its stock virtio_mmio (scripts/variants-stock-linux.sh,
# RUN/stock-linux/stock-linux.json: binds or not, how many interrupts; skipped
# with a warning when the Linux image is not built: make guest-linux-vmm,
# or STOCK_LINUX=0). Prints the run directory on stdout as
# irqpath-bench does. Runs where irqpath-bench would (HOST_WRAP puts it
# inside the svm-tcg host).
# Usage: variants-bench.sh BUILD RESULTS [irqpath-bench options]
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$1 RESULTS=$2
shift 2
BIN=$BUILD/bin
PROFILES=${VARIANT_PROFILES:-mmio-legacy,mmio-v3,pci,mmio-draft,mmio-draft-shared,mmio-draft-fewer,mmio-addrdata,mmio-addrdata-shared,mmio-dragonball,mmio-dragonball-fewer,mmio-dragonball-intx}
run=$("$BIN/irqpath-bench" --profile "$PROFILES" --baseline-transactions 1 --out "$RESULTS" "$@")
rc=$?
[ -n "$run" ] || exit "${rc:-1}"
fp=$run/footprint
mkdir -p "$fp"
for p in ${PROFILES//,/ }; do
	probe=()
	[ "$p" = mmio-v3 ] && probe=(--mask-probe) # the variants probe in every run
	"$BIN/irqpath-vmm" --profile "$p" "${probe[@]}" --guest "$BUILD/guest/microguest.elf" --transactions 1 \
		--json "$fp/$p.json" --layout "$fp/$p.layout.json" --console "$fp/$p.console" -q \
		>"$fp/$p.out" 2>&1 || { echo "variants-bench: $p: one-transaction run failed" >&2; rc=1; }
done
mmio=$(tr ',' '\n' <<<"$PROFILES" | grep '^mmio-' | xargs)
if [ "${STOCK_LINUX:-1}" = 1 ] && [ -n "$mmio" ]; then
	if [ -s "$BUILD/guest-linux/vmlinuz" ] && [ -s "$BUILD/guest-linux/vmm-initramfs.cpio.gz" ]; then
		"$ROOT/scripts/variants-stock-linux.sh" "$BUILD" "$run/stock-linux" $mmio >/dev/null ||
			{ echo "variants-bench: stock Linux runs failed" >&2; rc=1; }
	else
		echo "variants-bench: no Linux image (make guest-linux-vmm): stock Linux derived" >&2
	fi
fi
"$ROOT/scripts/variants-footprint.sh" "$fp" ${PROFILES//,/ } >/dev/null || rc=1
echo "$run"
exit "$rc"
