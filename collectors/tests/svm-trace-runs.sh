#!/usr/bin/env bash
# Runs inside the svm-tcg L1 host (tests/integration/trace-svm.sh starts it
# through hosts/svm-tcg/irqpath-svmhost): micro-guest runs of each profile
# on irqpath-vmm with the BPF and the tracefs backend of irqpath-trace
# attached to the same run, and a third (BPF) in live --json-lines mode.
# Writes OUT/P-N.{vmm,bpf,tracefs}.json, OUT/P-N.live.jsonl and a copy of
# L1's kvm_exit format (OUT/kvm_exit.format).
#
# Usage: svm-trace-runs.sh BUILD OUT N[,N...] PROFILE...
# Exit status: 0 every run ok, 1 a run failed (its stderr is printed), 2 usage.
set -u
[ $# -ge 4 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
B=$1 OUT=$2 SIZES=$3
shift 3
VMM=$B/bin/irqpath-vmm TRACE=$B/bin/irqpath-trace GUEST=$B/guest/microguest.elf
mkdir -p "$OUT" || exit 2
cp /sys/kernel/tracing/events/kvm/kvm_exit/format "$OUT/kvm_exit.format" || exit 1
rc=0
for p in "$@"; do
	for n in ${SIZES//,/ }; do
		pre=$OUT/$p-$n
		rm -f "$pre.go"
		# the VM starts once both tracers are attached
		sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$pre.go" \
			"$VMM" --profile "$p" --guest "$GUEST" --transactions "$n" --json "$pre.vmm.json" \
			--layout "$pre.layout.json" --console /dev/null -q 2>"$pre.vmm.err" &
		vpid=$!
		pids=()
		for b in bpf tracefs; do
			"$TRACE" record --backend "$b" -p "$vpid" --layout "$pre.layout.json" \
				-o "$pre.$b.json" 2>"$pre.$b.err" &
			pids+=($!)
		done
		"$TRACE" live --json-lines -i 0.5 --backend bpf -p "$vpid" --layout "$pre.layout.json" \
			>"$pre.live.jsonl" 2>"$pre.live.err" &
		pids+=($!)
		for _ in $(seq 900); do
			grep -q attached "$pre.bpf.err" 2>/dev/null && grep -q attached "$pre.tracefs.err" 2>/dev/null &&
				grep -q attached "$pre.live.err" 2>/dev/null && break
			sleep 0.1
		done
		touch "$pre.go"
		wait "$vpid" || { echo "$p-$n: irqpath-vmm failed: $(tail -n 3 "$pre.vmm.err")" >&2; rc=1; }
		for i in 0 1 2; do
			wait "${pids[$i]}" || { echo "$p-$n: tracer $i failed: $(tail -n 5 "$pre".*.err)" >&2; rc=1; }
		done
		rm -f "$pre.go"
	done
done
exit $rc
