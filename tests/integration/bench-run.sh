#!/usr/bin/env bash
# End to end on real KVM + BPF: irqpath-bench runs every profile the VMM
# supports (mmio-legacy is required) under irqpath-trace, writes valid
# irqpath-results/1 files with host counts, and irqpath-report turns them
# into the three-profile table and charts. Also runs `make bench` itself.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
B=$BIN/irqpath-bench
R=$BIN/irqpath-report
GUEST=$IRQPATH_BUILD/guest/microguest.elf
T=$(tmpdir)
export TMPDIR=$T/tmp # where irqpath-bench keeps its scratch directory
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
for tool in "$B" "$R" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$GUEST"; do
	[ -e "$tool" ] || { fail "$tool missing: build with make"; done_testing; exit 1; }
done

# every transport must run
profiles=()
for p in mmio-legacy mmio-v3 pci; do
	msg=$("$BIN/irqpath-vmm" --profile "$p" --guest "$GUEST" --transactions 5 -q 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		profiles+=("$p")
	else
		fail "irqpath-vmm cannot run $p (status $rc): $msg"
	fi
done
list=$(IFS=,; echo "${profiles[*]}")

run=$("$B" --profile "$list" -r 2 -n 100 -w 10 --out "$T/results" --run-id t1 -q)
check_eq "bench exits 0" 0 $?
check_eq "bench prints the run directory" "$T/results/t1" "$run"
check "no work directory left" test -z "$(find "$T/results" "$TMPDIR" -maxdepth 1 -name 'irqpath-bench-*' 2>/dev/null)"
for p in "${profiles[@]}"; do
	f=$run/$p.json
	check "$p: results file valid" "$R" validate "$f"
	check_eq "$p: 2 repetitions ok" 2 "$(jq '[.repetitions[] | select(.status == "ok")] | length' "$f")"
	check_eq "$p: tracer used" true "$(jq .tracer.available "$f")"
	check_eq "$p: kvm_exit availability recorded" true "$(jq '.host.kvm_exit_available | type == "boolean"' "$f")"
	check_eq "$p: host exit counts present" true "$(jq '.summary["exits_per_txn.total"].mean > 0' "$f")"
	check_eq "$p: 100 transactions per repetition" 100 "$(jq '.repetitions[0].transactions' "$f")"
	check_eq "$p: trans/s recomputes from the VMM's report" true "$(jq '.repetitions[0] | (.metrics.trans_per_s - .raw.vmm.result.trans_per_s) | fabs < 1e-6' "$f")"
	bad=$(jq -r '[.agreement | to_entries[] | select(.value.agree != true) | .key] | join(",")' "$f")
	check_eq "$p: guest and host counts agree" "" "$bad"
done
f=$run/mmio-legacy.json
# what the transport must cost: legacy reads status, acks and EOIs the IOAPIC
check_eq "mmio-legacy: ~1 InterruptStatus read per transaction" true "$(jq '.summary.status_reads_per_txn.mean | . >= 0.9 and . < 1.5' "$f")"
check_eq "mmio-legacy: ~1 InterruptACK per transaction" true "$(jq '.summary.acks_per_txn.mean | . >= 0.9 and . < 1.5' "$f")"
check_eq "mmio-legacy: ~1 IOAPIC EOI per transaction" true "$(jq '.summary.ioapic_eoi_per_txn.mean | . >= 0.9 and . < 1.5' "$f")"
check_eq "mmio-legacy: no MSIs" 0 "$(jq '.summary["msis_per_txn.rx"].mean' "$f")"
for p in mmio-v3 pci; do
	f=$run/$p.json
	[ -e "$f" ] || continue
	check_eq "$p: ~1 MSI on rx per transaction" true "$(jq '.summary["msis_per_txn.rx"].mean | . >= 0.9 and . < 1.5' "$f")"
	check_eq "$p: no InterruptStatus reads" 0 "$(jq '.summary.status_reads_per_txn.mean' "$f")"
	check_eq "$p: no IOAPIC EOIs" 0 "$(jq '.summary.ioapic_eoi_per_txn.mean' "$f")"
done

"$R" "$run" >"$T/table.txt" 2>/dev/null
check_eq "report on the run exits 0" 0 $?
# the report puts the reference (pci) first, then the MMIO profiles
ordered=()
for p in pci mmio-legacy mmio-v3; do [[ " ${profiles[*]} " == *" $p "* ]] && ordered+=("$p"); done
hdr=$(printf ' %15s' "${ordered[@]}")
check "table has one column per profile" grep -qE "^ {22}${hdr}\$" "$T/table.txt"
check_eq "table fits 72 columns" 0 "$(awk 'length($0) > 72' "$T/table.txt" | wc -l)"
for c in transs exits exits-by-cause irqs; do
	check_eq "chart $c.png is a PNG" 89504e470d0a1a0a "$(od -An -tx1 -N8 "$run/charts/$c.png" | tr -d ' \n')"
done
# the MMIO cause by the host's name for it: derived (MMIO), SVM (npf), VMX (EPT_MISCONFIG);
# the chart prints causes in capitals (NPF)
check "exits-by-cause chart names the MMIO cause" grep -qiE '>(MMIO|npf|EPT_MISCONFIG)<' "$run/charts/exits-by-cause.svg"
check "exits chart splits userspace exits out" grep -q '>userspace exits (to the VMM)<' "$run/charts/exits.svg"

# without the tracer the results say so: host counts null, never zero
run=$("$B" --profile mmio-legacy -r 1 -n 50 -w 0 --trace "$T/no-such-tracer" \
	--out "$T/results" --run-id notrace -q 2>"$T/notrace.err")
check_eq "bench without a tracer still runs" 0 $?
f=$run/mmio-legacy.json
check "no-tracer results are valid" "$R" validate "$f"
check_eq "tracer marked unavailable" false "$(jq .tracer.available "$f")"
check "the reason is recorded" grep -q 'not found' <<<"$(jq -r .tracer.note "$f")"
check_eq "host exits are null, not zero" null "$(jq '.summary["exits_per_txn.total"].mean' "$f")"
check_eq "agreement unknown" null "$(jq .agreement.acks.agree "$f")"
check_eq "the VMM's own counts remain" true "$(jq '.summary["vmm.userspace_exits_per_txn"].mean > 0' "$f")"
check "a warning names the missing tracer" grep -q 'no-such-tracer not found' "$T/notrace.err"
check "the table shows n/a for host counts" grep -qE '^exits, all causes +n/a$' <<<"$("$R" table "$run")"

# README's first command, with a short workload, through make itself
mk=$(make -s -C "$IRQPATH_ROOT" -o all BUILD="$IRQPATH_BUILD" bench PROFILE=mmio-legacy \
	RESULTS="$T/mk" BENCH_ARGS="-r 2 -n 50 -w 0 -q" 2>&1)
check_eq "make bench exits 0" 0 $?
mkrun=$(ls -d "$T"/mk/*/ 2>/dev/null | head -n1)
check "make bench wrote a results file" test -s "${mkrun}mmio-legacy.json"
check "make bench wrote the HTML report" test -s "${mkrun}report.html"
check "make bench wrote the charts" test -s "${mkrun}charts/transs.png"
check "make bench says where the files are" grep -q "report: ${mkrun%/}/report.html" <<<"$mk"
done_testing
