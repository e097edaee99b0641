# Sourced by irqpath-svmhost: which QEMU versions run KVM guests inside the
# svm-tcg L1.
#
# qemu_version_verdict VERSION: exit 0 if usable (prints a note when the
# version was never measured here), 1 if known bad (prints why).
# Before 9.1, QEMU's TCG VMRUN did not load the guest's interrupt shadow
# from the VMCB (fixed by "target/i386: fix INHIBIT_IRQ/TF/RF handling for
# VMRUN", June 2024, in 9.1): an interrupt KVM injects between the guest's
# `sti` and `hlt` is taken before the `hlt`, which then waits for ever.
# Measured: 7.2 (Debian 12) hangs micro-guest runs in L1; 10.0.2
# (bookworm-backports) does not.
qemu_version_verdict() {
	local major minor
	IFS=. read -r major minor _ <<<"$1"
	[[ "$major" =~ ^[0-9]+$ ]] || { echo "unparsable version '$1'"; return 1; }
	[[ "$minor" =~ ^[0-9]+$ ]] || minor=0
	if [ "$major" -lt 9 ] || { [ "$major" -eq 9 ] && [ "$minor" -lt 1 ]; }; then
		echo "QEMU before 9.1 (Debian 12's 7.2 measured) hangs guests in L1: its SVM VMRUN does not restore the interrupt shadow; install qemu-system-x86 from bookworm-backports (scripts/install-deps.sh)"
		return 1
	fi
	[ "$major" -lt 10 ] && echo "QEMU $1 has the VMRUN interrupt-shadow fix but was not measured here (10.0.2 was)"
	return 0
}
