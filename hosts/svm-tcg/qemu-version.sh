# Sourced by irqpath-svmhost and its tests: which QEMU versions run KVM
# guests inside the svm-tcg L1.
#
# qemu_version_verdict VERSION: exit 0 if usable (prints a note when the
# version was never measured here), 1 if known bad (prints why).
# Measured: 7.2 (Debian 12) hangs 1000-transaction micro-guest runs in L1:
# its SVM VMRUN does not restore the guest's interrupt shadow, so an
# interrupt injected between `sti` and `hlt` is taken before the `hlt`,
# which then waits for ever. 10.0.2 (bookworm-backports): no hang.
qemu_version_verdict() {
	local major minor
	IFS=. read -r major minor _ <<<"$1"
	[[ "$major" =~ ^[0-9]+$ ]] || { echo "unparsable version '$1'"; return 1; }
	minor=${minor:-0}
	if [ "$major" -lt 8 ]; then
		echo "QEMU < 8 (Debian 12's 7.2 measured) hangs guests in L1: SVM VMRUN does not restore the interrupt shadow; install qemu-system-x86 from bookworm-backports (scripts/install-deps.sh)"
		return 1
	fi
	[ "$major" -lt 10 ] && echo "QEMU $1 was not measured here (7.2 hangs guests, 10.0.2 does not)"
	return 0
}
