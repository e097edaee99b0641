#!/usr/bin/env bash
# Debian's kernel under QEMU (TCG here) with 2 CPUs and a 2-queue-pair
# virtio-net, on virtio-pci (q35, MSI-X, vectors=6) and virtio-mmio
# (microvm, one interrupt line): irqpath-rr --streams 2 (stream i pinned to
# CPU i) and the agent's per-CPU /proc/interrupts. pci: each queue pair's
# interrupts land on its own CPU (virtio_net's affinity hints, XPS, and the
# multi-queue tap answering on the queue the flow sent on); mmio: the one
# line lands on one CPU whatever queue the packet used. ~1 min.
source "$(dirname "$0")/../lib.sh"
jqe() { jq -e "$@" >/dev/null; }
need_root "the runner needs a network namespace and a tap device"
require_cmd qemu-system-x86_64 jq
QEMU_RUN=$BIN/irqpath-qemu
require "$QEMU_RUN"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

if ! make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux >"$T/make.log" 2>&1; then
	fail "make guest-linux: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"
	done_testing; exit 1
fi

# run PROFILE: one boot, 2 CPUs, 2 queue pairs, 2 streams, 1 s of TCP_RR
run() {
	# limits for a loaded host: 2 TCG vCPUs share its cores with the rest
	"$QEMU_RUN" --profile "$1" --smp 2 --queues 2 --duration 1 --accel tcg \
		--boot-wait 90 --timeout 240 \
		--json "$T/$1.json" --console "$T/$1.console" >"$T/$1.out" 2>&1
	local rc=$?
	check_eq "$1: irqpath-qemu --smp 2 --queues 2 exit status" 0 "$rc"
	[ $rc -eq 0 ] || sed 's/^/  | /' "$T/$1.out" | tail -n 20
}
common_checks() { # PROFILE
	local j=$T/$1.json
	check "$1: smp 2, 2 queue pairs, 2 streams recorded" \
		jqe '.smp == 2 and .queue_pairs == 2 and .workload.streams == 2' "$j"
	check "$1: the guest's eth0 has 2 tx and 2 rx queues" \
		jqe '.netdev.tx_queues == 2 and .netdev.rx_queues == 2' "$j"
	check "$1: stream i ran pinned on CPU i and completed transactions" \
		jqe '[.per_stream[] | .cpu == .stream and .cpu_end == .stream and .transactions > 0] == [true, true]' "$j"
	check "$1: aggregate = sum of the streams" \
		jqe '.transactions == ([.per_stream[].transactions] | add)' "$j"
	check "$1: per-CPU counts add up to each line's total" \
		jqe '. as $r | [.irqs | keys[] | . as $k | ([$r.irqs_per_cpu[][$k]] | add) == $r.irqs[$k]] | all' "$j"
}

run pci
J=$T/pci.json
common_checks pci
check_eq "pci: one MSI-X vector per queue plus config" \
	'["virtio0-config","virtio0-input.0","virtio0-input.1","virtio0-output.0","virtio0-output.1"]' \
	"$(jq -c '[.irqs | keys[]] | sort' "$J")"
for q in 0 1; do
	# Nearly all: a stray wake-up on the other CPU (1 in a few thousand) is possible.
	check "pci: queue $q's rx interrupts arrive on CPU $q (>= 95%, > 0)" \
		jqe --arg q "$q" '.irqs["virtio0-input.\($q)"] as $t | $t > 0 and
			.irqs_per_cpu[$q]["virtio0-input.\($q)"] >= 0.95 * $t' "$J"
	check "pci: queue $q's tx interrupts arrive on CPU $q (>= 95%)" \
		jqe --arg q "$q" '.irqs["virtio0-output.\($q)"] as $t |
			.irqs_per_cpu[$q]["virtio0-output.\($q)"] >= 0.95 * $t' "$J"
done
check "pci: the last packet of stream i came in on CPU i" \
	jqe '[.per_stream[] | .incoming_cpu == .stream] | all' "$J"

run mmio-legacy
J=$T/mmio-legacy.json
common_checks mmio-legacy
check_eq "mmio: one interrupt line for every queue" '["virtio0"]' "$(jq -c '[.irqs | keys[]]' "$J")"
check "mmio: the line fired, and on one CPU only" \
	jqe '.irqs.virtio0 > 0 and ([.irqs_per_cpu[].virtio0 | select(. > 0)] | length) == 1' "$J"
check "mmio: so some stream's packets came in on another CPU than its own" \
	jqe '[.per_stream[] | .incoming_cpu != .stream] | any' "$J"
grep -h -E '^(pci|mmio-legacy) |cpu [01] |stream ' "$T/pci.out" "$T/mmio-legacy.out" | sed 's/^/# /'
done_testing
