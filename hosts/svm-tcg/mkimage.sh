#!/usr/bin/env bash
# Builds the L1 host image of the svm-tcg host kind from Debian packages
# only: Debian's kernel package (the one the Linux guest image uses, fetched
# with apt-get download by guest-agent/linux-image/fetch-kernel.sh) and
# busybox-static. Writes, under OUT (default BUILD/svm-tcg):
#   vmlinuz, KERNEL_VERSION       the L1 kernel
#   L1.cpio.gz                    busybox, /init (l1-init) and the modules
#                                 init loads itself (virtio-pci, 9p, kvm, kvm-amd)
#   modroot/lib/modules/KVER/     the package's whole module tree + depmod
#                                 output; L1 mounts it on /lib/modules so
#                                 modprobe works there (tun, veth, ...)
# A second run with the same inputs is a no-op.
#
# Usage: mkimage.sh [--build DIR] [--out DIR] [--force]
# Exit codes: 0 ok, 1 build failure, 2 usage.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "svm-tcg mkimage: $1" >&2; exit "${2:-1}"; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$root/build OUT= FORCE=0
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--build) BUILD=${2:?--build needs a directory}; shift 2 ;;
	--out) OUT=${2:?--out needs a directory}; shift 2 ;;
	--force) FORCE=1; shift ;;
	*) usage >&2; die "unknown argument '$1'" 2 ;;
	esac
done
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
: "${OUT:=$BUILD/svm-tcg}"

# The modules L1's init loads before anything else, in dependency order:
# virtio-pci and 9p to reach the host's files, then kvm and kvm-amd.
# tun: the tap backend (the host root has no module tree for L1's kernel).
WANTED="virtio_pci 9pnet_virtio 9p kvm_amd tun"

for c in dpkg-deb modinfo depmod cpio gzip file; do
	command -v "$c" >/dev/null || die "$c not found (install: kmod cpio gzip file dpkg)"
done
BUSYBOX=/bin/busybox
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	die "$BUSYBOX is not a static busybox (install busybox-static)"

# The kernel package: fetched (once) into the guest image's cache.
GL=$BUILD/guest-linux
bash "$root/guest-agent/linux-image/fetch-kernel.sh" "$GL/cache" "$GL" >&2 ||
	die "cannot fetch Debian's kernel package (see above)"
KVER=$(cat "$GL/KERNEL_VERSION")
deb=$(ls "$GL/cache/linux-image-${KVER}"_*.deb 2>/dev/null | head -n1 || true)
[ -n "$deb" ] || die "no linux-image-$KVER .deb in $GL/cache"

inputs=("$deb" "$here/l1-init" "$0" "$BUSYBOX")
if [ "$FORCE" = 0 ] && [ -f "$OUT/L1.cpio.gz" ] && [ "$(cat "$OUT/KERNEL_VERSION" 2>/dev/null)" = "$KVER" ] &&
	[ -f "$OUT/modroot/lib/modules/$KVER/modules.dep" ]; then
	fresh=1
	for i in "${inputs[@]}"; do [ "$i" -nt "$OUT/L1.cpio.gz" ] && fresh=0; done
	[ "$fresh" = 1 ] && exit 0
fi

mkdir -p "$OUT"
tmp=$(mktemp -d "$OUT/.mkimage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "svm-tcg mkimage: unpacking $(basename "$deb")" >&2
dpkg-deb -x "$deb" "$tmp/pkg" || die "cannot extract $deb"
[ -f "$tmp/pkg/boot/vmlinuz-$KVER" ] || die "$deb holds no /boot/vmlinuz-$KVER"
mdir=$tmp/pkg/lib/modules/$KVER
[ -d "$mdir/kernel" ] || die "$deb holds no modules for $KVER"

# the full module tree, with modules.dep for modprobe inside L1
mkdir -p "$tmp/modroot/lib/modules"
mv "$mdir" "$tmp/modroot/lib/modules/$KVER"
depmod -b "$tmp/modroot" "$KVER" || die "depmod failed on the $KVER module tree"
mdir=$tmp/modroot/lib/modules/$KVER

# find_mod NAME: the module file (modinfo names use '_', file names may use '-')
find_mod() {
	find "$mdir/kernel" \( -name "$1.ko*" -o -name "${1//_/-}.ko*" \) | head -n1
}
img=$tmp/img
mkdir -p "$img"/{bin,dev,proc,sys,tmp,run,newroot,ctl,modules}
declare -A seen=()
order=()
visit() {
	local m=$1 f dep
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	f=$(find_mod "$m")
	[ -n "$f" ] || return 0 # built into the kernel
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do visit "$dep"; done
	# busybox insmod takes plain ELF objects
	case "$f" in
	*.xz) xz -dc "$f" >"$img/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$img/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$img/modules/$m.ko" ;;
	*) cp "$f" "$img/modules/$m.ko" ;;
	esac
	order+=("$m")
}
for m in $WANTED; do visit "$m"; done
for m in kvm kvm_amd 9p virtio_pci; do
	[ -f "$img/modules/$m.ko" ] || die "$deb has no $m module (the L1 kernel needs it as a module)"
done
printf '%s\n' "${order[@]}" >"$img/modules/load-order"
cp "$BUSYBOX" "$img/bin/busybox"
ln -s busybox "$img/bin/sh"
install -m 755 "$here/l1-init" "$img/init"
echo "$KVER" >"$img/KERNEL_VERSION"
(cd "$img" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0) | gzip -6 >"$tmp/L1.cpio.gz"

# Replace OUT's files as a whole: nothing half-written on failure.
rm -rf "$OUT/modroot"
mv "$tmp/modroot" "$OUT/modroot"
cp "$tmp/pkg/boot/vmlinuz-$KVER" "$OUT/vmlinuz.tmp" && mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
echo "$KVER" >"$OUT/KERNEL_VERSION.tmp" && mv "$OUT/KERNEL_VERSION.tmp" "$OUT/KERNEL_VERSION"
mv "$tmp/L1.cpio.gz" "$OUT/L1.cpio.gz"
echo "svm-tcg mkimage: L1 $KVER ready in $OUT (${#order[@]} boot modules: ${order[*]})" >&2
