#!/usr/bin/env bash
# The v3 driver with 2 queue pairs on irqpath-vmm's v3 device with 2 vCPUs,
# inside the emulated SVM host (hosts/svm-tcg): one L1 boot runs
# irqpath-vmm --profile mmio-v3 --vcpus 2 --queues 2 with Debian's kernel,
# the driver module and irqpath-rr --streams 2 through a multi-queue tap.
# Checks (TAP): the guest brought up 2 CPUs from the MP table; the driver
# bound with one VMMIO-MSI vector per queue (config, input.0/1, output.0/1,
# control); virtio_net's affinity for pair i reached queue i's vector (hint
# and effective affinity CPU i); pair i's interrupts were taken on CPU i.
# Long (minutes, TCG): `make test-linux-vmm-mq`, not part of `make test`.
# Skips while irqpath-vmm has no --vcpus (the smp-core work).
source "$(dirname "$0")/../../tests/lib.sh"
need_root "the svm-tcg runner exports this machine's root over 9p; taps"
RUNNER=${IRQPATH_SVMHOST:-$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost}
require "$RUNNER" "$BIN/irqpath-vmm" "$BIN/irqpath-rr"
require_cmd jq qemu-system-x86_64
jqe() { jq -e "$@" >/dev/null; }
if ! "$BIN/irqpath-vmm" --help 2>&1 | grep -q -- '--vcpus'; then
	skip "irqpath-vmm has no --vcpus/--queues yet"; done_testing; exit 0
fi
make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux-vmm >/dev/null 2>&1 ||
	{ fail "make guest-linux-vmm"; done_testing; exit 1; }
T=$(mktemp -d "$IRQPATH_BUILD/linux-vmm-mq.XXXXXX")
trap 'rm -rf "$T"' EXIT
GL=$IRQPATH_BUILD/guest-linux

# What runs in L1: a multi-queue tap (irqpath-vmm opens it with
# IFF_MULTI_QUEUE), the concurrent irqpath-rr server, the VM.
cat >"$T/l1.sh" <<X
set -u
ip tuntap add irqv0 mode tap multi_queue && ip addr add 10.201.0.1/30 dev irqv0 && ip link set irqv0 up || exit 3
"$BIN/irqpath-rr" -s -B 10.201.0.1 -p 7801 -q -j "$T/server.json" &
srv=\$!
"$BIN/irqpath-vmm" --profile mmio-v3 --vcpus 2 --queues 2 --kernel "$GL/vmlinuz" \\
	--initrd "$GL/vmm-initramfs.cpio.gz" --mem 256 --backend tap --tap irqv0 \\
	--append "irqpath.server=10.201.0.1 irqpath.duration=3 irqpath.streams=2" \\
	--console "$T/console.log" --json "$T/vmm.json" --timeout 900 >"$T/vmm.out" 2>&1
echo \$? >"$T/vmm.rc"
kill \$srv; wait \$srv
X
TMPDIR=$T "$RUNNER" --build "$IRQPATH_BUILD" --timeout 1500 --share "$T" -- bash "$T/l1.sh" \
	>"$T/run.out" 2>"$T/run.err"
check_eq "L1 ran the VM" 0 $?
check_eq "irqpath-vmm --vcpus 2 --queues 2 with a Linux guest" 0 "$(cat "$T/vmm.rc" 2>/dev/null)"
C=$T/console.log
check "the guest brought up 2 CPUs" grep -aq 'smp: Brought up 1 node, 2 CPUs' "$C"
R=$(grep -a -m1 '^IRQPATH-RESULT ' "$C" | sed 's/^IRQPATH-RESULT //; s/\r$//')
A=$(grep -a -m1 '^IRQPATH-AFFINITY ' "$C" | sed 's/^IRQPATH-AFFINITY //; s/\r$//')
check_eq "agent status" ok "$(jq -r .status <<<"$R" 2>/dev/null)"
check "both streams ran on their CPUs" \
	jqe '[.rr.per_stream[] | .cpu == .stream and .transactions > 0] == [true, true]' <<<"$R"
check_eq "one VMMIO-MSI vector per queue, plus config" \
	"virtio0-config virtio0-control virtio0-input.0 virtio0-input.1 virtio0-output.0 virtio0-output.1" \
	"$(jq -r '[.irq_lines[] | select(.chip | test("VMMIO-MSI")) | .name] | sort | join(" ")' <<<"$R")"
for q in 0 1; do
	mask=$((1 << q))
	check_eq "queue pair $q: rx vector's affinity hint is CPU $q (mask $mask)" "$mask" \
		"$(jq -r ".\"virtio0-input.$q\".hint" <<<"$A" | sed 's/^0*//')"
	check_eq "queue pair $q: rx vector's effective affinity is CPU $q" "$q" \
		"$(jq -r ".\"virtio0-input.$q\".effective" <<<"$A")"
	# x86 moves an MSI vector to its new CPU in the vector's next
	# interrupt: the first one after virtio_net set the affinity may still
	# arrive on the CPU it had before.
	check "queue pair $q: its rx interrupts were taken on CPU $q (all but the first at most)" \
		jqe --arg q "$q" '.irqs["virtio0-input.\($q)"] as $t | $t > 0 and
			.per_cpu[$q]["virtio0-input.\($q)"] >= $t - 1' <<<"$R"
done
grep -a -E 'VMMIO|per-queue MSI|IRQPATH-AFFINITY' "$C" | sed 's/^/# /'
done_testing
