#!/usr/bin/env bash
# irqpath-vmm --kernel: Debian's real bzImage through the Linux boot
# protocol (vmm/linuxboot). These nested hosts emulate guest ring-0 code and
# cannot run Linux far, so this checks the load path and its errors, and
# that a boot which never reaches the workload is a failure (2 s and no
# irqpath.server=: no agent report on any host). The run itself is
# linux-vmm-svm.sh, inside the emulated SVM host.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm
make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux >"$T/build" 2>&1 ||
	{ fail "make guest-linux: $(tail -3 "$T/build")"; done_testing; exit 1; }
K=$IRQPATH_BUILD/guest-linux/vmlinuz I=$IRQPATH_BUILD/guest-linux/initramfs.cpio.gz

"$VMM" --profile mmio-legacy --kernel /bin/true >"$T/out" 2>&1
check_eq "not a bzImage: exit 2" 2 $?
check "... and says why" grep -qiE "boot (flag|sector)|HdrS|too short|not a bzImage" "$T/out"
"$VMM" --profile mmio-legacy --kernel "$K" --mem 32 >"$T/out" 2>&1
check_eq "RAM too small for the kernel: exit 2" 2 $?
check "... and says how much it needs" grep -q "memory too small" "$T/out"
"$VMM" --profile mmio-legacy --kernel "$K" --transactions 5 >"$T/out" 2>&1
check_eq "--transactions with --kernel is a usage error" 2 $?
for p in mmio-legacy mmio-v3 pci; do
	"$VMM" --profile $p --kernel "$K" --initrd "$I" --mem 512 --duration 2 --timeout 30 \
		--append "quiet" --json "$T/r.json" >"$T/out" 2>&1
	rc=$?
	check "$p: Debian's kernel loaded with the boot protocol" grep -qE "Linux boot protocol 2\.[0-9]+: kernel at 0x" "$T/out"
	check "$p: command line names the device" grep -qE "irqpath_virtio_mmio.devices=4K@0xd0000000:5|pci=conf1" "$T/out"
	check_eq "$p: no agent report is a failure" 1 $rc
	check "$p: ... that says why" grep -qE "irqpath-vmm: Linux guest failed .*(serial console|agent report|IRQPATH-RESULT)" "$T/out"
	check_eq "$p: results written" "irqpath-vmm/1" "$(jq -r .schema "$T/r.json")"
	check "$p: status is not ok ($(jq -r .result.status "$T/r.json"))" \
		test "$(jq -r .result.status "$T/r.json")" != ok
	check_eq "$p: the verdict is in the results" "$(jq -r .result.status "$T/r.json")" \
		"$(jq -r .linux.verdict "$T/r.json")"
	check_eq "$p: an in-kernel PIT" true "$(jq -r .linux.pit "$T/r.json")"
	check_eq "$p: no guest mailbox for a Linux guest" null "$(jq -r .guest "$T/r.json")"
done
done_testing
