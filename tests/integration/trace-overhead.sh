#!/usr/bin/env bash
# collectors/bench-overhead.sh for real, one short round with both
# backends: plain and traced runs succeed, per backend a throughput ratio,
# the VMM's CPU per transaction traced/plain, the tracer's reading-loop
# share, the BPF programs' direct cost, and tracefs / bpf from the same
# round; irqpath-trace-overhead/2 JSON written; usage errors exit 2. (No
# timing is asserted: figures only have to be there and be positive.)
# Also record --cost-stats: the command's CPU time and the loop's.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
TRACE=$BIN/irqpath-trace
VMM=$BIN/irqpath-vmm
GUEST=$IRQPATH_BUILD/guest/microguest.elf
SCRIPT=$IRQPATH_ROOT/collectors/bench-overhead.sh
require "$TRACE" "$VMM" "$GUEST" "$SCRIPT"
require_cmd jq
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

bash "$SCRIPT" --backend bpf,tracefs --pairs 1 --transactions 200 --build "$IRQPATH_BUILD" \
	--json "$T/o.json" >"$T/o.txt" 2>"$T/o.err"
check_eq "bench-overhead --backend bpf,tracefs exits 0" 0 "$?"
sed 's/^/# /' "$T/o.txt"
check "a line per round" grep -q '^round 1: plain .* bpf .* tracefs ' "$T/o.txt"
check_eq "JSON schema" "irqpath-trace-overhead/2" "$(jq -r .schema "$T/o.json")"
for b in bpf tracefs; do
	check_eq "$b: positive throughput ratio" true "$(jq ".backends.$b.ratio.median > 0" "$T/o.json")"
	check_eq "$b: positive VMM CPU ratio" true "$(jq ".backends.$b.vmm_cpu_ratio_median > 0" "$T/o.json")"
	check_eq "$b: reading-loop share measured" true "$(jq ".backends.$b.tracer_loop_cpu_share_median >= 0" "$T/o.json")"
	check "$b: printed" grep -q "^$b: ratio traced/plain" "$T/o.txt"
done
check_eq "bpf: direct cost measured" true "$(jq '.backends.bpf.bpf_direct_share > 0' "$T/o.json")"
check_eq "tracefs / bpf from the same round" true "$(jq '.backends.tracefs.vs_first_backend_median > 0' "$T/o.json")"
check "tracefs / bpf printed" grep -q '^tracefs / bpf same round' "$T/o.txt"

bash "$SCRIPT" --backend ebpf >"$T/e.txt" 2>&1
check_eq "unknown backend: exit 2" 2 "$?"
check "unknown backend named" grep -q "unknown backend 'ebpf'" "$T/e.txt"

"$TRACE" record --backend tracefs --cost-stats -o "$T/c.json" -- "$VMM" --profile mmio-v3 --guest "$GUEST" \
	--transactions 200 --console /dev/null -q 2>"$T/c.err"
check_eq "record --cost-stats exits 0" 0 "$?"
check_eq "cost: the command's CPU time" true "$(jq '.cost.command_user_s + .cost.command_sys_s > 0' "$T/c.json")"
check_eq "cost: the reading loop's CPU time" true "$(jq '.cost.tracer_loop_cpu_s >= 0' "$T/c.json")"
done_testing
