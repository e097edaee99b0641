#!/usr/bin/env bash
# Micro-guest runs on irqpath-vmm traced by irqpath-trace, for the
# per-vCPU attribution tests (tests/integration/trace-vcpu.sh,
# trace-smp.sh). Runs natively, or, when this machine has no /dev/kvm,
# re-runs itself inside the svm-tcg L1 host (hosts/svm-tcg/irqpath-svmhost;
# OUT must then lie under the project or build directory, which L1 shares).
# Per SPEC "NAME:PROFILE:N[:VMM ARG,...]" one run with the BPF and the
# tracefs backend recording it at once (-p) and a third tracer in live
# --json-lines mode: OUT/NAME.{vmm,layout,bpf,tracefs}.json,
# OUT/NAME.live.jsonl. A SPEC starting with "cmd:" is run the way a user
# types it: irqpath-trace record --layout L -o T -- irqpath-vmm ... (NAME.cmd.json).
#
# Usage: vcpu-runs.sh BUILD OUT SPEC...
# Exit status: 0 every run ok, 1 a run failed (its stderr is printed), 2 usage,
# 77 no KVM here and no svm-tcg host either.
set -u
[ $# -ge 3 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
B=$1 OUT=$2
shift 2
if [ ! -e /dev/kvm ]; then
	[ "${IRQPATH_HOST_KIND:-}" != svm-tcg ] || { echo "no /dev/kvm in L1" >&2; exit 1; }
	runner=${IRQPATH_SVMHOST:-$(dirname "$0")/../../hosts/svm-tcg/irqpath-svmhost}
	[ -x "$runner" ] || exit 77
	mkdir -p "$OUT" && echo svm-tcg >"$OUT/host_kind"
	exec "$runner" --build "$B" --timeout 1500 -q -- bash "$0" "$B" "$OUT" "$@"
fi
mkdir -p "$OUT" && [ -e "$OUT/host_kind" ] || echo native >"$OUT/host_kind"
VMM=$B/bin/irqpath-vmm TRACE=$B/bin/irqpath-trace GUEST=$B/guest/microguest.elf
mkdir -p "$OUT" || exit 2
cp /sys/kernel/tracing/events/kvm/kvm_apic_ipi/format "$OUT/kvm_apic_ipi.format" 2>/dev/null
rc=0

run_cmd() { # NAME PROFILE N ARGS...
	local name=$1 pre=$OUT/$1 p=$2 n=$3
	shift 3
	rm -f "$pre.layout.json"
	"$TRACE" record --layout "$pre.layout.json" -o "$pre.cmd.json" -- "$VMM" --profile "$p" \
		--guest "$GUEST" --transactions "$n" --layout "$pre.layout.json" --json "$pre.vmm.json" \
		--console /dev/null -q "$@" 2>"$pre.cmd.err" ||
		{ echo "$name: traced command failed: $(tail -n 5 "$pre.cmd.err")" >&2; rc=1; }
}

run_both() { # NAME PROFILE N ARGS...
	local name=$1 pre=$OUT/$1 p=$2 n=$3
	shift 3
	rm -f "$pre.go" "$pre.layout.json"
	# the VM starts once every tracer is attached
	sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$pre.go" \
		"$VMM" --profile "$p" --guest "$GUEST" --transactions "$n" --json "$pre.vmm.json" \
		--layout "$pre.layout.json" --console /dev/null -q "$@" 2>"$pre.vmm.err" &
	local vpid=$! pids=()
	for b in bpf tracefs; do
		# --vm-wait: the VM starts once all three are attached (slow in L1)
		"$TRACE" record --backend "$b" -p "$vpid" --vm-wait 600 --layout "$pre.layout.json" \
			-o "$pre.$b.json" 2>"$pre.$b.err" &
		pids+=($!)
	done
	"$TRACE" live --json-lines -i 0.5 --backend bpf -p "$vpid" --vm-wait 600 --layout "$pre.layout.json" \
		--class vcpus,vectors,queues >"$pre.live.jsonl" 2>"$pre.live.err" &
	pids+=($!)
	for _ in $(seq 3000); do
		grep -q attached "$pre.bpf.err" 2>/dev/null && grep -q attached "$pre.tracefs.err" 2>/dev/null &&
			grep -q attached "$pre.live.err" 2>/dev/null && break
		sleep 0.1
	done
	touch "$pre.go"
	wait "$vpid" || { echo "$name: irqpath-vmm failed: $(tail -n 3 "$pre.vmm.err")" >&2; rc=1; }
	for i in 0 1 2; do
		wait "${pids[$i]}" || { echo "$name: tracer $i failed: $(tail -n 5 "$pre".*.err)" >&2; rc=1; }
	done
	rm -f "$pre.go"
}

for spec in "$@"; do
	cmd=0
	[ "${spec%%:*}" = cmd ] && { cmd=1; spec=${spec#cmd:}; }
	IFS=: read -r name p n extra <<<"$spec"
	IFS=, read -r -a args <<<"$extra"
	if [ $cmd -eq 1 ]; then run_cmd "$name" "$p" "$n" "${args[@]}"; else run_both "$name" "$p" "$n" "${args[@]}"; fi
done
exit $rc
