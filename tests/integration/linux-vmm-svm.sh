#!/usr/bin/env bash
# A Linux guest on irqpath-vmm inside the emulated SVM host (hosts/svm-tcg):
# one L1 boot runs irqpath-bench's Linux runner on mmio-v3 with the
# project's v3 driver, and on mmio-addrdata (the per-queue address/data
# design, docs/variants.md) with the same module's addrdata registers
# (Debian's kernel, the driver module, a short TCP_RR to
# an irqpath-rr server behind a tap in L1, irqpath-trace attached by pid
# over the workload). Checks: transactions > 0; the v3 driver bound with one
# MSI vector per queue in the guest's /proc/interrupts; the guest's final
# per-queue interrupt counts equal the EOIs KVM saw on that queue's vector
# (exact; MSIs merged into a pending one are reported apart); host exits per
# transaction by SVM reason from kvm_exit; the results file validates.
# LINUX_VMM_PROFILES="mmio-legacy mmio-v3 mmio-addrdata mmio-addrdata-shared pci"
# (make test-linux-vmm-all)
# runs all three in the same L1 boot.
source "$(dirname "$0")/../lib.sh"
need_root "the svm-tcg runner exports this machine's root over 9p; taps and netns"
PROFILES=${LINUX_VMM_PROFILES:-mmio-v3 mmio-addrdata}
RUNNER=${IRQPATH_SVMHOST:-$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost}
require "$RUNNER" "$BIN/irqpath-bench" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$BIN/irqpath-rr" \
	"$BIN/irqpath-report"
require_cmd jq qemu-system-x86_64
make -s -C "$IRQPATH_ROOT" BUILD="$IRQPATH_BUILD" guest-linux-vmm >/dev/null 2>"$IRQPATH_BUILD/linux-vmm-build.log" ||
	{ fail "make guest-linux-vmm: $(tail -3 "$IRQPATH_BUILD/linux-vmm-build.log")"; done_testing; exit 1; }
# results go under the build directory: the runner shares it with L1
T=$(mktemp -d "$IRQPATH_BUILD/linux-vmm-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

# QEMU that cannot start at all is the only skip
if ! qemu-system-x86_64 -accel tcg -cpu max -display none -S -nodefaults \
	-monitor none -no-user-config -daemonize -pidfile "$T/probe.pid" >/dev/null 2>&1; then
	skip "qemu-system-x86_64 -accel tcg -cpu max cannot start here"
	done_testing
	exit 0
fi
kill "$(cat "$T/probe.pid")" 2>/dev/null

jqt() { jq -e "$@" >/dev/null; } # a jq test, quiet
plist=$(echo "$PROFILES" | tr ' ' ',')
TMPDIR=$T "$RUNNER" --build "$IRQPATH_BUILD" --timeout 1500 --share "$T" -- \
	"$BIN/irqpath-bench" --profile "$plist" --guest-kind linux --vmm-kind irqpath-vmm \
	-r 1 -d 3 --out "$T/res" --run-id t >"$T/run.out" 2>"$T/run.err"
rc=$?
check_eq "irqpath-bench runs the Linux guest on irqpath-vmm in L1" 0 "$rc"
[ "$rc" -eq 0 ] || tr '\r' '\n' <"$T/run.err" | grep -v '^\s*$' | tail -n 15 | sed 's/^/# /'

for p in $PROFILES; do
	R=$T/res/t/$p.json
	rep() { jq -r ".repetitions[0]$1" "$R" 2>/dev/null; }
	lx() { jq -r ".repetitions[0].raw.vmm.linux$1" "$R" 2>/dev/null; }
	check "$p: results written" test -s "$R"
	check_eq "$p: the repetition succeeded" ok "$(rep .status)"
	check_ge "$p: TCP_RR transactions" 1 "$(rep .transactions)"
	check_eq "$p: a Linux guest on irqpath-vmm" "linux irqpath-vmm" "$(jq -r '"\(.profile.guest) \(.profile.vmm)"' "$R")"
	check_eq "$p: the guest used kvm-clock" kvm-clock "$(lx .clocksource)"
	check_eq "$p: irqpath-vmm offered TSC-deadline" true "$(lx .cpuid.tsc_deadline)"
	check_ge "$p: the UART's transmit interrupt was used" 1 "$(lx .uart.tx_interrupts)"
	# the tracer's counts are over the workload: exits per transaction by reason
	check "$p: host exits per transaction measured ($(rep '.metrics["exits_per_txn.total"]'))" \
		jqt '.repetitions[0].metrics["exits_per_txn.total"] > 0' "$R"
	check_eq "$p: exits from kvm_exit (SVM reasons)" kvm_exit "$(jq -r .tracer.exit_source "$R")"
	check "$p: an npf exit per transaction at least (the doorbell)" \
		jqt '.repetitions[0].metrics["exits_per_txn.npf"] >= 1' "$R"
	check "$p: the run says how it ended ($(lx .end))" test "$(lx .end)" != null
	# the guest's final counts come from a quiet closing sample (no interrupt
	# for 300 ms), taken before the line that ends the tracer's window
	check_eq "$p: the agent's closing sample settled ($(lx .agent.closing_sample.waited_ms) ms)" \
		true "$(lx .agent.closing_sample.settled)"
	case $p in
	mmio-v3 | mmio-addrdata | pci)
		# one MSI vector per queue: three lines of the MSI chip, distinct IRQs
		lines=$(lx '.agent.irq_lines[] | select(.chip | test("MSI")) | "\(.irq) \(.name)"' | sort -u)
		check_eq "$p: one guest MSI line per queue + config" \
			"virtio0-config virtio0-input.0 virtio0-output.0" "$(echo "$lines" | awk '{print $2}' | sort | xargs)"
		check_eq "$p: ... each its own IRQ" 3 "$(echo "$lines" | awk '{print $1}' | sort -u | wc -l)"
		[ $p != pci ] && check "$p: the project driver's own MSI domain (VMMIO-MSI)" \
			jqt '[.repetitions[0].raw.vmm.linux.agent.irq_lines[].chip | test("VMMIO-MSI")] | all' "$R"
		for q in rx tx; do
			a=".agreement[\"interrupts.$q\"]"
			check_ge "$p: guest interrupts on $q" 1 "$(rep "$a.guest")"
			check_eq "$p: guest $q interrupts == KVM's EOIs of its vector ($(rep "$a.guest") / $(rep "$a.host"); MSIs merged: $(rep ".msi_merged.$q"))" \
				true "$(rep "$a.agree")"
			check "$p: host MSIs per transaction on $q ($(rep ".metrics[\"msis_per_txn.$q\"]"))" \
				jqt ".repetitions[0].metrics[\"msis_per_txn.$q\"] > 0" "$R"
		done
		check_eq "$p: config interrupts agree" true "$(rep '.agreement["interrupts.config"].agree')"
		;;
	mmio-addrdata-shared)
		# the driver gives rx and tx one message (msi_vectors=2): one line for both
		lines=$(lx '.agent.irq_lines[] | select(.chip | test("VMMIO-MSI")) | "\(.irq) \(.name)"' | sort -u)
		check_eq "$p: config + one shared MSI line" "virtio0-config virtio0-queues0-1" \
			"$(echo "$lines" | awk '{print $2}' | sort | xargs)"
		a='.agreement["interrupts.rx+tx"]'
		check_ge "$p: guest interrupts on the shared vector" 1 "$(rep "$a.guest")"
		check_eq "$p: guest interrupts on it == KVM's EOIs of it ($(rep "$a.guest") / $(rep "$a.host"); MSIs merged: $(rep '.msi_merged["rx+tx"]'))" \
			true "$(rep "$a.agree")"
		check "$p: the tracer names the vector by both queues" \
			jqt '[.repetitions[0].raw.trace.msi_by_vector[] | select(.queue == "rx+tx")] | length == 1' "$R"
		;;
	mmio-legacy)
		check_ge "$p: guest interrupts on the shared line" 1 "$(rep '.agreement["interrupts.legacy"].guest')"
		check_eq "$p: guest interrupts == KVM's IOAPIC EOIs of the pin ($(rep '.agreement["interrupts.legacy"].host'))" \
			true "$(rep '.agreement["interrupts.legacy"].agree')"
		check "$p: the stock virtio_mmio drove the device" \
			jqt '.repetitions[0].raw.vmm.linux.agent.irq_lines | map(.name) | index("virtio0") != null' "$R"
		;;
	esac
	"$BIN/irqpath-report" validate "$R" >"$T/validate.out" 2>&1
	check_eq "$p: the results file validates" 0 $?
done
done_testing
