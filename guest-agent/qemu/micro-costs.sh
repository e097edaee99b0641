#!/usr/bin/env bash
# micro-costs.sh: per-transaction host costs of the micro-guest's RR loop on
# QEMU's devices (irqpath-qemu-micro: microvm = virtio-mmio, q35 = virtio-pci)
# next to irqpath-vmm's (mmio-legacy, pci), all under irqpath-trace.
# Marginal counts: (N-transaction run - M-transaction run) / (N - M), which
# removes boot and set-up (SeaBIOS on q35 does thousands of exits).
# Usage: micro-costs.sh [--small M] [--large N] [--json FILE]   (root; figures, not a test)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
B=$BUILD/bin GUEST=$BUILD/guest/microguest.elf
SMALL=100 LARGE=1000 JSON=
while [ $# -gt 0 ]; do
	case $1 in
	--small) SMALL=$2; shift 2 ;;
	--large) LARGE=$2; shift 2 ;;
	--json) JSON=$2; shift 2 ;;
	-h | --help) sed -n '2,8p' "$0"; exit 0 ;;
	*) echo "micro-costs: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$LARGE" -gt "$SMALL" ] || { echo "micro-costs: --large must exceed --small" >&2; exit 2; }
for f in "$B/irqpath-qemu-micro" "$B/irqpath-vmm" "$B/irqpath-trace" "$GUEST"; do
	[ -e "$f" ] || { echo "micro-costs: $f is missing; run make" >&2; exit 2; }
done
T=$(mktemp -d); RUNNER= TRACER=
trap '[ -n "$TRACER" ] && kill $TRACER 2>/dev/null; [ -n "$RUNNER" ] && kill $RUNNER 2>/dev/null; rm -rf "$T"' EXIT

wait_for() { local i; for i in $(seq 300); do "$@" && return 0; sleep 0.1; done; return 1; }

# qemu_run MACHINE N TAG [RUNNER ARGS]: QEMU held until the tracer is attached to its pid.
# A run that stalls (QEMU's split IOAPIC loses a level interrupt now and then
# on this nested host: README.md) is reported and run once more.
qemu_run() {
	local m=$1 n=$2 tag=$3 try
	shift 3
	for try in 1 2; do
		qemu_try "$m" "$n" "$tag" "$@" && return 0
		echo "micro-costs: $tag: $(jq -r .error "$T/$tag/r.json" 2>/dev/null)" >&2
		grep -q "time limit" "$T/$tag/r.json" 2>/dev/null || break
		[ $try = 1 ] && echo "micro-costs: $tag: stalled; running it again" >&2
	done
	exit 1
}

qemu_try() {
	local d=$T/$3 m=$1 n=$2
	shift 3
	rm -rf "$d"
	mkdir -p "$d"
	"$B/irqpath-qemu-micro" --machine "$m" "$@" --transactions "$n" --hold --pid-file "$d/pid" \
		--layout "$d/layout.json" --json "$d/r.json" --timeout 30 -q 2>"$d/err" &
	RUNNER=$!
	wait_for test -s "$d/pid" || { echo "micro-costs: $3: no QEMU pid" >&2; exit 1; }
	"$B/irqpath-trace" record -p "$(cat "$d/pid")" --layout "$d/layout.json" -o "$d/trace.json" \
		2>"$d/terr" &
	TRACER=$!
	wait_for grep -qs attached "$d/terr" || { echo "micro-costs: tracer did not attach" >&2; exit 1; }
	kill -USR1 "$RUNNER"
	local rc=0
	wait "$RUNNER" || rc=1
	wait "$TRACER"
	RUNNER= TRACER=
	[ $rc = 0 ] || return 1
	jq '{trans_per_s: .result.trans_per_s, p50_us: .result.latency_us.p50, guest: .guest}' \
		"$d/r.json" >"$d/run.json"
}

# vmm_run PROFILE N TAG: the tracer starts irqpath-vmm itself (its pid is the child's).
vmm_run() {
	local d=$T/$3
	mkdir -p "$d"
	"$B/irqpath-trace" record -o "$d/trace.json" --layout "$d/layout.json" -- \
		"$B/irqpath-vmm" --profile "$1" --guest "$GUEST" --transactions "$2" -q \
		--json "$d/r.json" --layout "$d/layout.json" 2>"$d/err" ||
		{ echo "micro-costs: $3 failed:" >&2; tail -3 "$d/err" >&2; exit 1; }
	jq '{trans_per_s: .result.trans_per_s, p50_us: .result.latency_us.p50, guest: .guest}' \
		"$d/r.json" >"$d/run.json"
}

# Raw counts of one run (the debugcon report bytes, port 0xe9, are left out of PIO).
COUNTS='{
 exits: .t.totals.exits,
 userspace_exits: .t.totals.userspace_exits,
 mmio: (.t.exits_by_reason.MMIO // 0),
 pio: ((.t.exits_by_reason.IO // 0) - (.t.pio_by_port["0xe9"].writes // 0)),
 msr: (.t.exits_by_reason.MSR // 0),
 userspace_mmio: (.t.userspace_exits_by_reason.MMIO // 0),
 userspace_ioapic_eoi: (.t.userspace_exits_by_reason.IOAPIC_EOI // 0),
 status_reads_host: (.t.mmio_by_register.InterruptStatus.reads // .t.mmio_by_register.isr.reads // 0),
 acks_host: (.t.mmio_by_register.InterruptACK.writes // 0),
 doorbells_host: ((.t.notifies.rx // 0) + (.t.notifies.tx // 0)),
 x2apic_eois: (.t.totals.x2apic_eoi // 0),
 kernel_ioapic_eois: ([.t.ioapic[]?.eoi] | add // 0),
 msis: ([.t.msi_by_vector[]?.count] | add // 0),
 guest_interrupts: ([.g.irqs_by_vector[]] | add // 0),
 guest_status_reads: .g.status_reads,
 guest_status_zero: .g.status_zero
}'
per_tx() { # TAG_SMALL TAG_LARGE -> marginal per transaction + trans/s, p50 of the large run
	local a b
	a=$(jq -n --slurpfile t "$T/$1/trace.json" --slurpfile r "$T/$1/run.json" "{t: \$t[0], g: \$r[0].guest} | $COUNTS")
	b=$(jq -n --slurpfile t "$T/$2/trace.json" --slurpfile r "$T/$2/run.json" "{t: \$t[0], g: \$r[0].guest} | $COUNTS")
	jq -n --argjson a "$a" --argjson b "$b" --argjson n $((LARGE - SMALL)) \
		--slurpfile r "$T/$2/run.json" \
		'($b | with_entries(.value = ((.value - $a[.key]) / $n * 1000 | round / 1000)))
		 + {trans_per_s: ($r[0].trans_per_s | round), latency_p50_us: ($r[0].p50_us | round)}'
}

echo "micro-costs: $SMALL and $LARGE transactions each; QEMU microvm (split and in-kernel IOAPIC) and q35, irqpath-vmm mmio-legacy and pci" >&2
for m in microvm q35; do qemu_run $m $SMALL q-$m-s; qemu_run $m $LARGE q-$m-l; done
qemu_run microvm $SMALL q-on-s --irqchip on
qemu_run microvm $LARGE q-on-l --irqchip on
for p in mmio-legacy pci; do vmm_run $p $SMALL v-$p-s; vmm_run $p $LARGE v-$p-l; done
jq -n --argjson qm "$(per_tx q-microvm-s q-microvm-l)" --argjson qp "$(per_tx q-q35-s q-q35-l)" \
	--argjson qo "$(per_tx q-on-s q-on-l)" \
	--argjson vm "$(per_tx v-mmio-legacy-s v-mmio-legacy-l)" --argjson vp "$(per_tx v-pci-s v-pci-l)" \
	--argjson s "$SMALL" --argjson l "$LARGE" \
	'{schema: "irqpath-micro-costs/1", small: $s, large: $l,
	  columns: {"vmm mmio-legacy": $vm, "qemu microvm (irqchip on)": $qo,
	            "qemu microvm (split)": $qm, "vmm pci": $vp, "qemu q35 pci": $qp}}' \
	>"$T/summary.json"
jq -r '.columns | to_entries as $e | (["per transaction"] + ($e | map(.key))) | @tsv,
	(($e[0].value | keys_unsorted)[] as $k | [$k] + ($e | map(.value[$k] | tostring)) | @tsv)' \
	"$T/summary.json" | column -t -s $'\t'
[ -n "$JSON" ] && cp "$T/summary.json" "$JSON" && echo "wrote $JSON" >&2
exit 0
