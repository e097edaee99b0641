#!/usr/bin/env bash
# Fetches Debian's kernel image package (the version linux-image-amd64
# depends on) with apt-get download, extracts it with dpkg-deb and lays out
# what a virtio-net guest needs:
#   OUT/vmlinuz  OUT/KERNEL_VERSION  OUT/config  OUT/modules/*.ko  OUT/modules/load-order
# The .deb is cached in CACHE; a second run with the same version is a no-op.
#
# Usage: fetch-kernel.sh CACHE_DIR OUT_DIR [PACKAGE]
# Exit codes: 0 ok, 1 download/extract failure, 2 usage.
set -euo pipefail

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
[ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ] && { usage; exit 0; }
[ $# -ge 2 ] && [ $# -le 3 ] || { usage >&2; exit 2; }
CACHE=$1 OUT=$2 PKG=${3:-}

die() { echo "fetch-kernel: $*" >&2; exit 1; }

# The modules a virtio-net guest needs, for virtio-mmio and virtio-pci;
# their dependencies are added from the modules' own "depends" field.
WANTED="virtio_mmio virtio_pci virtio_net"

if [ -z "$PKG" ]; then
	PKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {print $2; exit}') ||
		true
	[ -n "$PKG" ] || die "cannot find the kernel package linux-image-amd64 depends on" \
		"(is the Debian package index present? try: apt-get update)"
fi
KVER=${PKG#linux-image-}

if [ -f "$OUT/KERNEL_VERSION" ] && [ "$(cat "$OUT/KERNEL_VERSION")" = "$KVER" ] &&
	[ -f "$OUT/vmlinuz" ] && [ -f "$OUT/modules/load-order" ]; then
	exit 0 # cached
fi

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
deb=$(ls "$CACHE"/"${PKG}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	echo "fetch-kernel: downloading $PKG with apt-get download" >&2
	# apt drops privileges to _apt, which may not write to CACHE: download
	# in a private directory it can write, then move the file in.
	dl=$(mktemp -d)
	chmod 777 "$dl"
	(cd "$dl" && apt-get download -q "$PKG" >&2) ||
		{ rm -rf "$dl"; die "package $PKG is not available from apt (apt-get download failed)"; }
	mv "$dl"/*.deb "$CACHE"/
	rm -rf "$dl"
	deb=$(ls "$CACHE"/"${PKG}"_*.deb | head -n1)
fi

tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root" || die "cannot extract $deb"
[ -f "$tmp/root/boot/vmlinuz-$KVER" ] || die "$deb holds no /boot/vmlinuz-$KVER"
kdir=$tmp/root/lib/modules/$KVER/kernel
[ -d "$kdir" ] || die "$deb holds no modules for $KVER"

stage=$tmp/out
mkdir -p "$stage/modules"
cp "$tmp/root/boot/vmlinuz-$KVER" "$stage/vmlinuz"
cp "$tmp/root/boot/config-$KVER" "$stage/config"

# find_mod NAME -> path of NAME.ko[.xz|.zst|.gz] in the package
find_mod() {
	find "$kdir" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" -o -name "$1.ko.gz" \) |
		head -n1
}

# Depth-first: dependencies before the module itself. Modules built into
# the kernel (config =y) have no file and need nothing.
declare -A seen=()
order=()
visit() {
	local m=$1 f dep
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	f=$(find_mod "$m")
	[ -n "$f" ] || return 0
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do visit "$dep"; done
	# busybox insmod takes plain ELF objects: decompress here.
	case "$f" in
	*.xz) xz -dc "$f" >"$stage/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$stage/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$stage/modules/$m.ko" ;;
	*) cp "$f" "$stage/modules/$m.ko" ;;
	esac
	order+=("$m")
}
for m in $WANTED; do visit "$m"; done
printf '%s.ko\n' "${order[@]}" >"$stage/modules/load-order"
echo "$KVER" >"$stage/KERNEL_VERSION"

# Replace OUT's kernel files as a whole (no half-written state on failure).
mkdir -p "$OUT"
rm -rf "$OUT/modules"
mv "$stage/modules" "$OUT/modules"
mv "$stage/vmlinuz" "$OUT/vmlinuz.tmp" && mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
mv "$stage/config" "$OUT/config"
mv "$stage/KERNEL_VERSION" "$OUT/KERNEL_VERSION.tmp" && mv "$OUT/KERNEL_VERSION.tmp" "$OUT/KERNEL_VERSION"
echo "fetch-kernel: $KVER ready in $OUT (${#order[@]} modules)" >&2
