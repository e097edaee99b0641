#!/usr/bin/env bash
# irqpath-bench with GUEST=linux VMM=qemu: the pci profile's Linux guest
# under irqpath-qemu, 2 repetitions x 3 s. Results are valid irqpath-results/1,
# trans/s > 0, and under TCG (always, on nested hosts) host counts are null
# and every output says "no KVM counters (TCG)". mmio-v3 on qemu is a config
# error (file:line, exit 2). SIGINT mid-run leaves no QEMU, no netns and no
# results.
source "$(dirname "$0")/../lib.sh"
need_root "irqpath-qemu needs root (netns, tap)"
B=$BIN/irqpath-bench
R=$BIN/irqpath-report
GL=$IRQPATH_BUILD/guest-linux
if [ ! -f "$GL/vmlinuz" ] || [ ! -f "$GL/initramfs.cpio.gz" ]; then
	# the bench must say what to do
	msg=$("$B" --profile pci --guest-kind linux --vmm-kind qemu --out /nonexistent 2>&1)
	check_eq "without the guest image: exit 1" 1 $?
	check "without the guest image: names make guest-linux" grep -q 'make guest-linux' <<<"$msg"
	# make test builds it first: its absence here is a failure, not a skip
	fail "the Linux guest is not built (make guest-linux): runs not tested"
	done_testing
	exit
fi
command -v qemu-system-x86_64 >/dev/null || { fail "qemu-system-x86_64 missing (debian-packages.txt lists it)"; done_testing; exit; }
T=$(tmpdir)
# irqpath-qemu's work directory (and QEMU's command line) then names $T:
# that is how our QEMU is told from other people's
export TMPDIR=$T
trap 'rm -rf "$T"' EXIT
mkdir "$T/cfg"

# ---- 1. two repetitions ----
"$B" --profile pci --guest-kind linux --vmm-kind qemu -r 2 -d 3 --out "$T/res" --run-id lin \
	>"$T/stdout" 2>"$T/stderr"
rc=$?
check_eq "bench exits 0" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/stderr"
F=$T/res/lin/pci.json
check "results file written" test -s "$F"
check "validates as irqpath-results/1" "$R" validate "$F"
check_eq "profile.guest" linux "$(jq -r .profile.guest "$F")"
check_eq "profile.vmm" qemu "$(jq -r .profile.vmm "$F")"
check_eq "runner" qemu "$(jq -r .profile.runner "$F")"
check_eq "two ok repetitions" 2 "$(jq '[.repetitions[] | select(.status == "ok")] | length' "$F")"
check_eq "trans/s > 0 in every repetition" 2 \
	"$(jq '[.repetitions[] | select(.metrics.trans_per_s > 0)] | length' "$F")"
check_eq "latency p50 measured" 2 \
	"$(jq '[.repetitions[] | select(.metrics.latency_p50_us > 0)] | length' "$F")"
check_eq "guest rx interrupts per transaction > 0 (MSI-X input queue)" 2 \
	"$(jq '[.repetitions[] | select(.metrics["guest.interrupts_per_txn.rx"] > 0)] | length' "$F")"
check_eq "workload duration 3 s" 3 "$(jq .workload.duration_s "$F")"
accel=$(jq -r .accel "$F")
raw_accel=$(jq -r '.repetitions[0].raw.linux.accel' "$F")
check_eq "accel is what irqpath-qemu reported" "$raw_accel" "$accel"
# host counts: null in every repetition, never a number (TCG: none exist;
# KVM: QEMU is not traced, see bench/README.md)
check_eq "host counts are null, not zero" 0 \
	"$(jq '[.repetitions[].metrics | to_entries[] | select(.key | test("^(guest[.]|trans_per_s|latency_)") | not) | select(.value != null)] | length' "$F")"
check_eq "summary of host counts: n = 0" 0 "$(jq '.summary["exits_per_txn.total"].n' "$F")"
check_eq "no tracer" false "$(jq .tracer.available "$F")"
if [ "$accel" = tcg ]; then
	check_eq "accel tcg: kvm_counters false" false "$(jq .kvm_counters "$F")"
	check_eq "accel tcg: note" "no KVM counters (TCG)" "$(jq -r .note "$F")"
	check_eq "accel tcg: every repetition says so" 2 \
		"$(jq '[.repetitions[] | select(.accel == "tcg" and .kvm_counters == false and .note == "no KVM counters (TCG)")] | length' "$F")"
	table=$("$R" table "$T/res/lin")
	check "the report table says no KVM counters" grep -q 'no KVM counters' <<<"$table"
	check "the table marks host rows, not n/a or 0" \
		grep -Eq '^exits, all causes +no KVM counters' <<<"$table"
	check "table lines fit 72 columns" test "$(awk '{ if (length > m) m = length } END { print m + 0 }' <<<"$table")" -le 72
	"$R" "$T/res/lin" -q 2>/dev/null
	check "report.md says no KVM counters (TCG)" grep -q 'no KVM counters (TCG)' "$T/res/lin/report.md"
	check "report.html says no KVM counters (TCG)" grep -q 'no KVM counters (TCG)' "$T/res/lin/report.html"
else
	skip "accel $accel: the TCG marking is not exercised on this host"
fi
check_eq "stdout is the run directory" "$T/res/lin" "$(cat "$T/stdout")"

# ---- 2. QEMU has no virtio-mmio v3 device ----
printf '[profile]\ntransport = mmio-v3\nguest = linux\nvmm = qemu\n[workload]\nduration = 3\ntransactions = 0\n' \
	>"$T/cfg/v3q.conf"
msg=$("$B" --config "$T/cfg" --profile v3q --out "$T/err" 2>&1)
check_eq "mmio-v3 + qemu config: exit 2" 2 $?
check "mmio-v3 + qemu config: names file:line" grep -qF "$T/cfg/v3q.conf:4: transport mmio-v3 cannot run on vmm qemu" <<<"$msg"
check "mmio-v3 + qemu config: nothing written" test ! -e "$T/err"
msg=$("$B" --profile mmio-v3 --guest-kind linux --vmm-kind qemu --out "$T/err" 2>&1)
check_eq "mmio-v3 with --vmm-kind qemu: exit 2" 2 $?
check "mmio-v3 with --vmm-kind qemu: names the profile's transport line" \
	grep -qE "configs/mmio-v3.conf:[0-9]+: transport mmio-v3 cannot run on vmm qemu" <<<"$msg"

# ---- 3. SIGINT while QEMU runs ----
our_qemu() { pgrep -f -- "qemu-system-x86_64 .*$T/" ; }
"$B" --profile pci --guest-kind linux --vmm-kind qemu -r 2 -d 30 --out "$T/res" --run-id sig -q \
	>"$T/sig.out" 2>"$T/sig.err" &
bench=$!
for _ in $(seq 150); do [ -n "$(our_qemu)" ] && break; sleep 0.2; done
q=$(our_qemu | head -n1)
check "QEMU was running" test -n "$q"
runner=$(pgrep -P "$bench" | head -n1) # irqpath-qemu: its netns is irqpath-q<pid>
ns=irqpath-q$runner
check "its netns $ns exists" grep -qx "$ns" <(ip netns list | awk '{print $1}')
sleep 2
kill -INT "$bench"
wait "$bench"
check_eq "SIGINT: bench exits 130" 130 $?
check_eq "SIGINT: no QEMU left" "" "$(our_qemu)"
check "SIGINT: QEMU pid $q is gone" test ! -e "/proc/$q"
check "SIGINT: netns $ns removed" bash -c "! ip netns list | awk '{print \$1}' | grep -qx '$ns'"
# irqpath-qemu got SIGTERM once and removed its netns itself (the bench's
# fallback for a SIGKILLed irqpath-qemu says so when it has to act)
check "SIGINT: irqpath-qemu cleaned up itself" bash -c "! grep -q 'that irqpath-qemu left' '$T/sig.err'"
check_eq "SIGINT: no irqpath-qemu left" "" "$(pgrep -f -- "irqpath-qemu .*$T/" )"
check_eq "SIGINT: no results file" "" "$(find "$T/res/sig" -name '*.json' 2>/dev/null)"
check "SIGINT: run directory removed" test ! -e "$T/res/sig"
check_eq "SIGINT: nothing on stdout" "" "$(cat "$T/sig.out")"
done_testing
