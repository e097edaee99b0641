#!/usr/bin/env bash
# irqpath-trace where kvm:kvm_exit fires: inside the svm-tcg host (an L1
# Linux with kvm_amd under QEMU TCG, hosts/svm-tcg/irqpath-svmhost),
# micro-guest runs of each profile traced by the BPF and the tracefs
# backend at once (collectors/tests/svm-trace-runs.sh). Checks:
# - exit_source kvm_exit, names from L1's kvm_exit format (isa svm), and
#   every reason name is one of that format's names (never 0x..);
# - the doorbell NPF and the x2APIC EOI MSR of every transaction;
# - per reason, the latency histogram's total + the exits that never
#   re-entered = the exits (and "all" = totals.exits); per vCPU = total;
# - both backends give the same exits, per reason, per vCPU, histogram
#   totals and open exits; tracefs counts in kernel histograms there (L1's
#   kernel has hist triggers) and its whole snapshot equals the BPF one;
# - live --json-lines (a third tracer on the run): its intervals' exits and
#   latency counts per reason add up to record's;
# - with kvm_amd reloaded npt=0 (shadow paging), MMIO exits become #PF
#   exception exits: named "PF excp" as L1's table says (SVM exit 0x4e).
# Prints (TAP comments) exits per transaction by reason, 1000 minus 100
# transactions, and each reason's median latency bucket (TCG timings).
# IRQPATH_SVMHOST overrides the runner's path.
source "$(dirname "$0")/../lib.sh"
long_test
need_root "the svm-tcg host and tracing need root"
RUNNER=${IRQPATH_SVMHOST:-$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost}
TRACE=$BIN/irqpath-trace
VMM=$BIN/irqpath-vmm
GUEST=$IRQPATH_BUILD/guest/microguest.elf
require "$RUNNER" "$TRACE" "$VMM" "$GUEST"
require_cmd jq
# L1 mounts a tmpfs on /tmp: results go under the build directory, which
# the runner shares with L1
O=$(mktemp -d "$IRQPATH_BUILD/test-svm-trace.XXXXXX")
trap 'rm -rf "$O"' EXIT
PROFILES="mmio-legacy mmio-v3 pci"
SMALL=100 N=1000

# kvm_amd.ko of the L1 image (hosts/svm-tcg/mkimage.sh keeps its modules in
# svm-tcg/modroot), reloaded with npt=0 for the exception-exit runs
RUNS=$IRQPATH_ROOT/collectors/tests/svm-trace-runs.sh
"$RUNNER" --build "$IRQPATH_BUILD" --timeout 900 -q -- bash -c '
	set -e
	bash "$1" "$2" "$3" "$4,$5" mmio-legacy mmio-v3 pci
	ko=$(ls "$2"/svm-tcg/modroot/lib/modules/*/kernel/arch/x86/kvm/kvm-amd.ko)
	rmmod kvm_amd && insmod "$ko" npt=0
	echo "npt=$(cat /sys/module/kvm_amd/parameters/npt)" >"$3/npt0.txt"
	bash "$1" "$2" "$3/npt0" "$4" mmio-v3' svm "$RUNS" "$IRQPATH_BUILD" "$O" "$SMALL" "$N" \
	2>"$O/runner.err"
rc=$?
check_eq "runs in the svm-tcg host succeed" 0 "$rc"
[ "$rc" -eq 0 ] || { sed 's/^# \{0,1\}/# /' "$O/runner.err" | tail -n 15; done_testing; exit 1; }

# the names L1's kernel prints for exit reasons (both tables)
jq -Rn '[inputs | select(startswith("print fmt:")) | scan("\\{ [^,{}]+, \"([^\"]+)\" \\}") | .[0]]' \
	"$O/kvm_exit.format" >"$O/names.json"
check_ge "L1's kvm_exit format carries the reason tables" 100 "$(jq length "$O/names.json")"

# hist_sum JSON: {reason: histogram total} with "all"
hist='.exit_latency_log2_ns // {} | map_values([.[]] | add)'
for p in $PROFILES; do
	for b in bpf tracefs; do
		J=$O/$p-$N.$b.json
		h() { jq -r "$@" "$J"; }
		check_eq "$p/$b: exit_source" kvm_exit "$(h .exit_source)"
		check_eq "$p/$b: names from" "tracefs:kvm/kvm_exit/format svm" \
			"$(h '.exit_reason_names | "\(.source) \(.isa)"')"
		check_eq "$p/$b: every reason is a name of L1's table" "[]" \
			"$(h -c --slurpfile n "$O/names.json" '[.exits_by_reason | keys[] | select(. as $k | $n[0] | index($k) | not)]')"
		check_ge "$p/$b: npf (doorbell) exits >= transactions" $N "$(h '.exits_by_reason.npf // 0')"
		check_ge "$p/$b: msr exits >= x2APIC EOIs" "$(h .totals.x2apic_eoi)" "$(h '.exits_by_reason.msr // 0')"
		check_ge "$p/$b: an x2APIC EOI per transaction" $N "$(h .totals.x2apic_eoi)"
		check_eq "$p/$b: per reason, histogram total + not re-entered = exits" "[]" \
			"$(h -c "($hist) as \$l | .exits_without_entry as \$o | [.exits_by_reason | to_entries[] | select((\$l[.key] // 0) + (\$o[.key] // 0) != .value) | .key]")"
		check_eq "$p/$b: histogram 'all' + not re-entered = totals.exits" "$(h .totals.exits)" \
			"$(h "(($hist).all // 0) + ([.exits_without_entry[]] | add // 0)")"
		check_eq "$p/$b: vCPU 0 has every exit" "$(h -cS .exits_by_reason)" "$(h -cS '.per_vcpu["0"].exits_by_reason')"
		check_eq "$p/$b: no lost events" 0 "$(h .lost_events)"
	done
	L=$O/$p-$N.live.jsonl
	check_ge "$p: live printed interval lines" 1 "$(grep -c . "$L")"
	check_eq "$p: live exits by reason add up to record's" "$(jq -cS .exits_by_reason "$O/$p-$N.bpf.json")" \
		"$(jq -cS -n '[inputs | .vms[0].exits_by_reason // {} | to_entries[]] | group_by(.key) | map({key: .[0].key, value: (map(.value) | add)}) | from_entries' "$L")"
	check_eq "$p: live latency counts per reason add up to record's" \
		"$(jq -cS "$hist" "$O/$p-$N.bpf.json")" \
		"$(jq -cS -n '[inputs | .vms[0].exit_latency_log2_ns // {} | to_entries[] | {key, value: ([.value[]] | add)}] | group_by(.key) | map({key: .[0].key, value: (map(.value) | add)}) | from_entries' "$L")"
	for n in $SMALL $N; do
		k="{exits_by_reason, totals, open: .exits_without_entry, hist: ($hist), pv: (.per_vcpu | map_values(.exits_by_reason))}"
		check_eq "$p-$n: bpf and tracefs agree on exits, histogram totals, per vCPU" \
			"$(jq -cS "$k" "$O/$p-$n.bpf.json")" "$(jq -cS "$k" "$O/$p-$n.tracefs.json")"
		# L1's kernel has hist triggers: tracefs counts in kernel histograms,
		# and its snapshot equals the BPF one (exit latency buckets aside:
		# the two clocks differ)
		check "$p-$n: tracefs counted in kernel histograms" \
			grep -q 'counting in kernel histograms' "$O/$p-$n.tracefs.err"
		all='del(.backend, .duration_s, .exit_latency_log2_ns)'
		check_eq "$p-$n: bpf and tracefs (hist triggers) snapshots are identical" \
			"$(jq -cS "$all" "$O/$p-$n.bpf.json")" "$(jq -cS "$all" "$O/$p-$n.tracefs.json")"
	done
	# figures: marginal exits per transaction by reason; median latency bucket
	echo "# $p: exits per transaction by SVM reason (($N - $SMALL) transactions):" \
		"$(jq -rn --slurpfile a "$O/$p-$N.bpf.json" --slurpfile z "$O/$p-$SMALL.bpf.json" \
			'[$a[0].exits_by_reason | to_entries[] | "\(.key) \((((.value - ($z[0].exits_by_reason[.key] // 0)) / '$((N - SMALL))') * 100 | round) / 100)"] | join(", ")')"
	echo "# $p: median kvm_exit->kvm_entry latency by reason (bpf, $N transactions, TCG):" \
		"$(jq -r '.exit_latency_log2_ns | to_entries | map(.key as $r | .value | to_entries | map({k: (.key | tonumber), n: .value}) | sort_by(.k) | (map(.n) | add) as $t | reduce .[] as $b ({c: 0, m: null}; if .m == null and (.c + $b.n) * 2 >= $t then {c: (.c + $b.n), m: $b.k} else {c: (.c + $b.n), m: .m} end) | "\($r) [\(pow(2; .m) | floor), \(pow(2; .m + 1) | floor)) ns") | join(", ")' "$O/$p-$N.bpf.json")"
done

# shadow paging: the doorbell write is a #PF intercept (0x40 + 14)
check_eq "npt=0 in L1 for the exception-exit run" "npt=N" "$(cat "$O/npt0.txt")"
for b in bpf tracefs; do
	J=$O/npt0/mmio-v3-$SMALL.$b.json
	check_ge "npt=0/$b: doorbell writes are 'PF excp' exits" $SMALL "$(jq '.exits_by_reason["PF excp"] // 0' "$J")"
	check_eq "npt=0/$b: no npf exits" 0 "$(jq '.exits_by_reason.npf // 0' "$J")"
	check_eq "npt=0/$b: every reason is a name of L1's table" "[]" \
		"$(jq -c --slurpfile n "$O/names.json" '[.exits_by_reason | keys[] | select(. as $k | $n[0] | index($k) | not)]' "$J")"
done
check_eq "npt=0: bpf and tracefs agree on exits by reason" \
	"$(jq -cS .exits_by_reason "$O/npt0/mmio-v3-$SMALL.bpf.json")" "$(jq -cS .exits_by_reason "$O/npt0/mmio-v3-$SMALL.tracefs.json")"
done_testing
