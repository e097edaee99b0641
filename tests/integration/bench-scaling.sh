#!/usr/bin/env bash
# A sweep for real: irqpath-bench --profile all --queues 1,2 -r 1 -n 200
# (irqpath-vmm --queues Q --vcpus Q under irqpath-trace) and irqpath-report:
# one results file per profile and point (<profile>.json, <profile>-q2v2.json)
# with workload.queues/vcpus and the host's core count, the scaling table,
# its charts and the heat maps, and the table's numbers equal to the
# per-point results files. KVM is this machine's /dev/kvm, else the emulated
# SVM host (hosts/svm-tcg, 2 vCPUs: a core per guest vCPU). An irqpath-vmm
# without --queues: the single-queue path runs for real and a sweep point is
# refused naming the VMM; the scaling part is skipped, saying so.
source "$(dirname "$0")/../lib.sh"
need_root "irqpath-trace needs root for BPF"
require "$BIN/irqpath-bench" "$BIN/irqpath-report" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" \
	"$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq gnuplot
# under the build directory: the svm-tcg runner shares it with L1
T=$(mktemp -d "$IRQPATH_BUILD/bench-scaling-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
N=200
PROFILES="mmio-legacy mmio-v3 pci"

# where_kvm CMD...: CMD on this machine's KVM, or inside the svm-tcg L1
where_kvm() {
	if [ -e /dev/kvm ]; then
		TMPDIR=$T "$@"
	else
		TMPDIR=$T "$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost" --build "$IRQPATH_BUILD" \
			--smp 2 --timeout 1500 --share "$T" -q -- "$@"
	fi
}
if [ ! -e /dev/kvm ] && ! command -v qemu-system-x86_64 >/dev/null; then
	skip "no /dev/kvm and no QEMU for the svm-tcg host: nothing runs KVM here"
	done_testing
	exit 0
fi
[ -e /dev/kvm ] && echo "# KVM: this machine's /dev/kvm" ||
	echo "# KVM: the svm-tcg host (no /dev/kvm here)"

B="$BIN/irqpath-bench --out $T/results -r 1 -n $N -w 0"
if ! "$BIN/irqpath-vmm" --help 2>&1 | grep -q -- '--queues'; then
	# ---- the VMM has no --queues yet: the path as far as it exists ----
	where_kvm bash -c "$B -q --profile all --queues 1 --run-id one >$T/one.out 2>$T/one.err;
		echo \$? >$T/one.rc; $B --profile pci --queues 1,2 -n 50 --run-id two \
		>$T/two.out 2>$T/two.err; echo \$? >$T/two.rc" >/dev/null 2>"$T/runner.err"
	check_eq "--queues 1 runs every profile" 0 "$(cat "$T/one.rc" 2>/dev/null)"
	for p in $PROFILES; do
		check_eq "$p.json: workload.queues/vcpus" "1 1" \
			"$(jq -r '"\(.workload.queues) \(.workload.vcpus)"' "$T/results/one/$p.json" 2>/dev/null)"
	done
	"$BIN/irqpath-report" scaling "$T/results/one" >/dev/null 2>&1
	check_eq "one queue count: no scaling table (exit 2)" 2 $?
	check_eq "a q2 point on a VMM without --queues fails the bench" 1 "$(cat "$T/two.rc" 2>/dev/null)"
	check "the failed repetition names irqpath-vmm" grep -q "pci q2v2 repetition 1/1: FAILED: .*irqpath-vmm" "$T/two.err"
	check "pci.json written, pci-q2v2.json not" \
		test -s "$T/results/two/pci.json" -a ! -e "$T/results/two/pci-q2v2.json"
	skip "irqpath-vmm has no --queues: the scaling table, charts and heat maps are not run"
	done_testing
	exit
fi

# ---- the sweep ----
where_kvm bash -c "$B --profile all --queues 1,2 --run-id sweep >$T/bench.out 2>$T/bench.err;
	echo \$? >$T/bench.rc" >/dev/null 2>"$T/runner.err"
check_eq "irqpath-bench --profile all --queues 1,2 -r 1 -n $N" 0 "$(cat "$T/bench.rc" 2>/dev/null)"
R=$T/results/sweep
[ "$(cat "$T/bench.rc" 2>/dev/null)" = 0 ] || sed 's/^/# /' "$T/bench.err" "$T/runner.err" | tail -n 20
check_eq "the run directory on stdout" "$R" "$(cat "$T/bench.out")"
check "progress names each point" grep -q "pci q2v2 repetition 1/1" "$T/bench.err"
for p in $PROFILES; do
	for q in 1 2; do
		f=$R/$p.json
		[ "$q" = 1 ] || f=$R/$p-q${q}v$q.json
		check_eq "$(basename "$f"): workload.queues/vcpus" "$q $q" \
			"$(jq -r '"\(.workload.queues) \(.workload.vcpus)"' "$f" 2>/dev/null)"
		check_eq "$(basename "$f"): the VMM ran $q pairs on $q vCPUs" "$q $q" \
			"$(jq -r '.repetitions[0].raw.vmm | "\(.queue_pairs // 1) \(.vcpus // 1)"' "$f")"
		check "$(basename "$f"): host.cpus recorded" \
			test "$(jq -r '.host.cpus' "$f")" -ge 1
		check_eq "$(basename "$f"): $N transactions" $N \
			"$(jq -r '.repetitions[0].transactions' "$f")"
	done
	# each vCPU ran its own client: per-vCPU transactions add up, none idle
	f=$R/$p-q2v2.json
	check_eq "$p-q2v2: per-vCPU transactions sum to the total" $N \
		"$(jq -r '[.repetitions[0].counts | to_entries[] |
			select(.key | test("^guest\\.vcpu\\.[0-9]+\\.transactions$")) | .value] | add' "$f")"
	check "$p-q2v2: both vCPUs ran transactions" test "$(jq -r '[.repetitions[0].counts |
		to_entries[] | select(.key | test("^guest\\.vcpu\\.[0-9]+\\.transactions$")) |
		select(.value > 0)] | length' "$f")" = 2
done

"$BIN/irqpath-report" "$R" >"$T/report.out" 2>"$T/report.err"
check_eq "irqpath-report" 0 $?
check "report.txt has the scaling table" grep -q "^Scaling with queue pairs" "$R/report.txt"
check "report.md has the scaling section" grep -q "^## Scaling with queue pairs" "$R/report.md"
check "report.html has the scaling section" grep -q "<h2>Scaling with queue pairs</h2>" "$R/report.html"
check "the report says whether vCPUs exceed the host's cores" \
	grep -Eq "core per vCPU|not meaningful" <<<"$(tr '\n' ' ' <"$R/report.txt")"
for c in transs exits irqs ipis; do
	check "chart scaling-$c.png and .svg" test -s "$R/charts/scaling-$c.png" -a -s "$R/charts/scaling-$c.svg"
done
for p in $PROFILES; do
	f=$R/$p-q2v2.json
	cells=$(jq -r '[.repetitions[0].counts | keys[] |
		select(test("^vcpu\\.[0-9]+\\.interrupts_per_txn\\."))] | length' "$f")
	if [ "$cells" -gt 0 ]; then
		check "$p-q2v2: heat map png and svg" \
			test -s "$R/charts/heatmap-$p-q2v2.png" -a -s "$R/charts/heatmap-$p-q2v2.svg"
		check_eq "$p-q2v2: heat map cells sum to the host's per-vCPU per-vector counts" \
			"$(jq -r '[.repetitions[] | select(.status == "ok") | .counts | to_entries[] |
				select(.key | test("^vcpu\\.[0-9]+\\.interrupts_per_txn\\.")) | .value] | add' "$f")" \
			"$(awk '!/^#/ { s += $3 } END { print s }' "$R/charts/heatmap-$p-q2v2.dat")"
	else
		skip "$p-q2v2: the tracer has no per_vcpu apic_accept_by_vector: no heat map"
	fi
done

# the table's numbers are the per-point files' (marginal when present)
"$BIN/irqpath-report" scaling "$R" >"$T/scaling.txt"
check_eq "irqpath-report scaling" 0 $?
sed 's/^/# /' "$T/scaling.txt"
for p in $PROFILES; do
	for q in 1 2; do
		f=$R/$p.json
		[ "$q" = 1 ] || f=$R/$p-q${q}v$q.json
		# the file's figures at full precision; "g": the guest's count
		want=$(jq -r --arg p "$p" --argjson q "$q" '
			def m(k): ((.marginal_summary // {})[k].mean) // .summary[k].mean;
			def f(v): if v == null then "n/a" else v | tostring end;
			def g(h; g): if m(h) != null then f(m(h)) elif m(g) != null then f(m(g)) + "g" else "n/a" end;
			[$p, $q, $q, f(.summary.trans_per_s.mean), f(m("exits_per_txn.total")),
			 g("lapic_deliveries_per_txn"; "guest.interrupts_per_txn.all"),
			 g("ipis_per_txn"; "guest.ipis_per_txn")] | map(tostring) | join(" ")' "$f")
		got=$(awk -v p="$p" -v q="$q" '$1 == p && $2 == q {
			gsub(/\*/, "", $3); printf "%s %s %s %s %s %s %s", $1, $2, $3, $4, $5, $6, $7 }' \
			"$T/scaling.txt")
		# equal to the table's precision: trans/s 0.1, the others 0.01
		same=$(awk -v a="$want" -v b="$got" 'BEGIN { n = split(a, x, " "); m = split(b, y, " ");
			if (n != 7 || m != 7) { print "no"; exit }
			for (i = 1; i <= 7; i++) {
				if (x[i] == y[i]) continue
				if ((x[i] ~ /g$/) != (y[i] ~ /g$/) || x[i] == "n/a" || y[i] == "n/a") { print "no"; exit }
				d = x[i] - y[i]; if (d < 0) d = -d
				if (i < 4 || d > (i == 4 ? 0.05 : 0.005) + 1e-9) { print "no"; exit }
			}
			print "yes" }')
		check_eq "scaling row $p q$q = its results file ($got; file: $want)" yes "$same"
	done
done
done_testing
