#!/usr/bin/env bash
# Builds irqpath_virtio_mmio.ko against Debian's 6.1 kernel headers without
# installing anything into the system:
#   1. pick the kernel ABI (the guest image's KERNEL_VERSION when built,
#      else what linux-image-amd64 depends on; KVER=... overrides);
#   2. apt-get download the headers + kbuild packages into BUILD/driver-cache/
#      (kept: a second run downloads nothing);
#   3. dpkg-deb -x them into BUILD/driver-kheaders/ and point the headers'
#      hard-coded /usr/src path at the extracted tree;
#   4. copy the sources to BUILD/driver/src and run kbuild there, so the
#      source tree stays clean; the module lands in BUILD/driver/.
# Usage: build-module.sh BUILD_DIR
set -euo pipefail

die() { echo "build-module.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: build-module.sh BUILD_DIR"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$1"
build=$(cd "$1" && pwd)
cache=$build/driver-cache
kheaders=$build/driver-kheaders
out=$build/driver

for tool in apt-get apt-cache dpkg-deb make; do
	command -v "$tool" >/dev/null || die "$tool not found (Debian's apt/dpkg and make are required)"
done

# 1. Kernel ABI, e.g. 6.1.0-56-amd64.
kver=${KVER:-}
if [ -z "$kver" ] && [ -s "$build/guest-linux/KERNEL_VERSION" ]; then
	kver=$(tr -d ' \n' <"$build/guest-linux/KERNEL_VERSION")
fi
if [ -z "$kver" ]; then
	kver=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
fi
[ -n "$kver" ] || die "cannot tell which kernel to build for: apt-cache knows no linux-image-amd64 (run 'apt-get update') and $build/guest-linux/KERNEL_VERSION is absent"
case "$kver" in
*-amd64) ;;
*) die "kernel version '$kver' is not a Debian amd64 ABI name (like 6.1.0-56-amd64)" ;;
esac
abi=${kver%-amd64}            # 6.1.0-56
series=$(echo "$kver" | cut -d. -f1,2) # 6.1
pkgs=("linux-headers-$kver" "linux-headers-$abi-common" "linux-kbuild-$series")

# 2. Download (once).
mkdir -p "$cache"
for p in "${pkgs[@]}"; do
	ls "$cache/${p}_"*.deb >/dev/null 2>&1 && continue
	echo "build-module.sh: downloading $p"
	if ! (cd "$cache" && apt-get download -q -o APT::Sandbox::User=root "$p" >"$cache/download.log" 2>&1); then
		cat "$cache/download.log" >&2
		die "cannot download Debian package $p (is 'apt-get update' done and Debian's archive reachable?)"
	fi
done

# 3. Extract (once per ABI) and fix the absolute include of the common tree.
tree=$kheaders/$kver
hdr=$tree/usr/src/linux-headers-$kver
if [ ! -f "$tree/.extracted" ]; then
	rm -rf "$tree"
	mkdir -p "$tree"
	for p in "${pkgs[@]}"; do
		dpkg-deb -x "$(ls "$cache/${p}_"*.deb | head -n 1)" "$tree"
	done
	[ -f "$hdr/Makefile" ] || die "$hdr/Makefile missing after extraction"
	echo "include $tree/usr/src/linux-headers-$abi-common/Makefile" >"$hdr/Makefile"
	touch "$tree/.extracted"
fi

# Debian's headers name their compiler in .kernelvariables (gcc-12 for 6.1).
cc=$(sed -n 's/^CC = .*)\(gcc-[0-9]*\)$/\1/p' "$hdr/.kernelvariables" | head -n 1)
[ -z "$cc" ] || command -v "$cc" >/dev/null ||
	die "the headers want $cc, which is not installed (apt-get install $cc)"

# 4. Build out of tree from a copy of the sources (timestamps kept, so an
# unchanged tree rebuilds nothing).
mkdir -p "$out/src"
cp -p "$here"/Kbuild "$here"/*.c "$here"/*.h "$out/src/"
make -s -C "$hdr" M="$out/src" IRQPATH_INCLUDE="$root/include" modules
cp -p "$out/src/irqpath_virtio_mmio.ko" "$out/irqpath_virtio_mmio.ko"
echo "$kver" >"$out/KERNEL_VERSION"
echo "build-module.sh: $out/irqpath_virtio_mmio.ko (for $kver)"
