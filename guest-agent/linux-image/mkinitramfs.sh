#!/usr/bin/env bash
# Builds a gzip'd newc initramfs for a Debian-kernel virtio-net guest:
# busybox-static, the kernel's virtio modules (with their load order), the
# static irqpath programs and an init that loads the modules, runs hooks,
# configures eth0 and runs the TCP_RR agent (see README.md).
#
# Usage: mkinitramfs.sh OUT.cpio.gz [options]
#   --init FILE             use FILE as /init instead of the default init
#   --add SRC:DEST          copy SRC into the image at DEST (repeatable); a .ko
#                           added under /lib/modules/extra/ is insmod'ed by the
#                           default init after the stock modules; a script
#                           added under /etc/irqpath/hooks/ is sourced by it
#   --no-stock-virtio-mmio  leave Debian's virtio_mmio.ko out (and out of the
#                           load order), e.g. to load another virtio-mmio driver
#   --modules DIR           kernel modules + load-order (default: OUT's dir/modules)
#   --bin DIR               static programs copied to /bin (default: OUT's dir/bin)
#   --busybox FILE          static busybox (default: /bin/busybox)
# Exit codes: 0 ok, 1 build failure, 2 usage / missing input.
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "mkinitramfs: $1" >&2; exit "${2:-1}"; }

OUT= INIT= MODS= BINDIR= BUSYBOX=/bin/busybox NO_MMIO=0
ADDS=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--init) INIT=${2:?--init needs a file}; shift 2 ;;
	--add) ADDS+=("${2:?--add needs SRC:DEST}"); shift 2 ;;
	--no-stock-virtio-mmio) NO_MMIO=1; shift ;;
	--modules) MODS=${2:?}; shift 2 ;;
	--bin) BINDIR=${2:?}; shift 2 ;;
	--busybox) BUSYBOX=${2:?}; shift 2 ;;
	-*) usage >&2; die "unknown option $1" 2 ;;
	*) [ -z "$OUT" ] || die "more than one output given ($OUT, $1)" 2; OUT=$1; shift ;;
	esac
done
[ -n "$OUT" ] || { usage >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
outdir=$(mkdir -p "$(dirname "$OUT")" && cd "$(dirname "$OUT")" && pwd)
: "${MODS:=$outdir/modules}" "${BINDIR:=$outdir/bin}" "${INIT:=$here/init}"

[ -f "$MODS/load-order" ] || die "no $MODS/load-order: run 'make guest-linux' first (or pass --modules)" 2
[ -f "$INIT" ] || die "init $INIT not found" 2
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	die "$BUSYBOX is not a static busybox (install busybox-static)" 2

root=$(mktemp -d "$outdir/.initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,etc/irqpath/hooks,lib/modules/extra}
cp "$BUSYBOX" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$INIT" "$root/init"
# The kernel opens /dev/console before init runs; the default init also
# reopens it after mounting devtmpfs, so an unprivileged build still works.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

while read -r ko; do
	[ -n "$ko" ] || continue
	[ "$NO_MMIO" = 1 ] && [ "$ko" = virtio_mmio.ko ] && continue
	cp "$MODS/$ko" "$root/lib/modules/" || die "module $ko listed in load-order is missing"
	echo "$ko" >>"$root/lib/modules/load-order"
done <"$MODS/load-order"
[ -f "$MODS/../KERNEL_VERSION" ] && cp "$MODS/../KERNEL_VERSION" "$root/etc/irqpath/KERNEL_VERSION"

if [ -d "$BINDIR" ]; then
	for f in "$BINDIR"/*; do [ -f "$f" ] && install -m 755 "$f" "$root/bin/"; done
fi
for a in ${ADDS[@]+"${ADDS[@]}"}; do
	src=${a%%:*} dest=${a#*:}
	[ "$src" != "$a" ] && [ -n "$dest" ] || die "--add wants SRC:DEST, got '$a'" 2
	[ -e "$src" ] || die "--add: $src does not exist" 2
	mkdir -p "$root/$(dirname "$dest")"
	cp -a "$src" "$root/$dest"
done

tmp_out=$(mktemp "$outdir/.cpio.XXXXXX")
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -9n >"$tmp_out" ||
	{ rm -f "$tmp_out"; die "cpio/gzip failed"; }
chmod 644 "$tmp_out"
mv "$tmp_out" "$OUT"
