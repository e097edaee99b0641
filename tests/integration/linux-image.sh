#!/usr/bin/env bash
# make guest-linux and mkinitramfs.sh: the cached kernel + modules layout,
# --add / hooks / --no-stock-virtio-mmio as another component uses them, and
# one boot under QEMU (TCG) proving the hook runs and the stock
# virtio_mmio driver is really left out.
source "$(dirname "$0")/../lib.sh"
G=$IRQPATH_BUILD/guest-linux
MK=$IRQPATH_ROOT/guest-agent/linux-image/mkinitramfs.sh
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux >"$T/make.log" 2>&1; then
	fail "make guest-linux: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"
	done_testing; exit 1
fi
ok "make guest-linux"
make -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux >"$T/again.log" 2>&1
check "second make guest-linux is a no-op" grep -q "Nothing to be done" "$T/again.log"
check_eq "KERNEL_VERSION is what linux-image-amd64 depends on" \
	"$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')" \
	"$(cat "$G/KERNEL_VERSION")"
check "vmlinuz is a bzImage" sh -c "file '$G/vmlinuz' | grep -q 'Linux kernel x86 boot executable'"
for m in virtio_ring virtio virtio_mmio virtio_pci virtio_net; do
	check "load-order has $m.ko" grep -qx "$m.ko" "$G/modules/load-order"
done
check "dependencies before users (virtio_ring < virtio < virtio_net)" awk '
	{ pos[$1] = NR } END { exit !(pos["virtio_ring.ko"] < pos["virtio.ko"] && pos["virtio.ko"] < pos["virtio_net.ko"] &&
	  pos["net_failover.ko"] < pos["virtio_net.ko"]) }' "$G/modules/load-order"
check "modules are plain ELF (insmod-able by busybox)" sh -c "file '$G/modules/virtio_net.ko' | grep -q ELF"
check "static guest programs" sh -c "file -L '$G/bin/irqpath-rr' '$G/bin/irqpath-agent' | grep -c 'statically linked' | grep -qx 2"

# A derived image, the way the driver component builds one.
cat >"$T/hook.sh" <<'X'
if [ -d /sys/bus/platform/drivers/virtio-mmio ]; then m=loaded; else m=absent; fi
echo "IRQPATH-HOOK: stock-virtio-mmio=$m extra=$(cat /etc/irqpath/extra.txt)"
halt_now
X
echo "marker-$$" >"$T/extra.txt"
"$MK" "$T/d.cpio.gz" --modules "$G/modules" --bin "$G/bin" --no-stock-virtio-mmio \
	--add "$T/hook.sh:/etc/irqpath/hooks/50-test.sh" --add "$T/extra.txt:/etc/irqpath/extra.txt"
check_eq "mkinitramfs exit status" 0 $?
zcat "$T/d.cpio.gz" | cpio -t --quiet >"$T/list" 2>/dev/null
for f in init bin/busybox bin/irqpath-rr bin/irqpath-agent lib/modules/virtio_net.ko etc/irqpath/hooks/50-test.sh dev/console; do
	check "image holds $f" grep -qx "$f" "$T/list"
done
check "--no-stock-virtio-mmio leaves virtio_mmio.ko out" sh -c "! grep -q virtio_mmio.ko '$T/list'"
"$MK" "$T/e.cpio.gz" --add "nocolon" >/dev/null 2>&1; check_eq "bad --add exits 2" 2 $?
"$MK" "$T/f.cpio.gz" --modules /nonexistent 2>"$T/err"; check_eq "missing modules dir exits 2" 2 $?
check "and names it" grep -q /nonexistent "$T/err"

if command -v qemu-system-x86_64 >/dev/null; then
	# microvm under TCG needs the host TSC rate (see guest-agent/qemu/README.md)
	clock=$("$BIN/irqpath-qemu" --print-clock-args)
	timeout 90 qemu-system-x86_64 -M microvm -accel tcg -m 256 -nodefaults -no-user-config \
		-display none -no-reboot -serial "file:$T/console" -kernel "$G/vmlinuz" \
		-initrd "$T/d.cpio.gz" -append "console=ttyS0 quiet panic=-1 $clock" \
		-global virtio-mmio.force-legacy=false \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0 </dev/null >"$T/qemu.log" 2>&1
	check_eq "guest powered off by itself" 0 $?
	check "init reached and ran the added hook" grep -q "IRQPATH-HOOK: .*extra=marker-$$" "$T/console"
	check "stock virtio_mmio was not loaded" grep -q "stock-virtio-mmio=absent" "$T/console"
else
	skip "qemu-system-x86_64 not installed: boot of the derived image not tried"
fi
done_testing
