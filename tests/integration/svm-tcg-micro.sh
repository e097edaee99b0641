#!/usr/bin/env bash
# The svm-tcg host for real: one L1 boot (QEMU TCG, emulated AMD SVM,
# kvm_amd) runs each profile's micro-guest under irqpath-trace twice (N1 and
# N2 transactions). Exits come from kvm_exit with SVM reasons, and the
# marginal exits per transaction by reason match what the guest mailbox
# counted: an npf per doorbell, InterruptStatus read and InterruptACK write;
# an msr (x2APIC EOI) per interrupt; userspace exits only for the legacy
# status read and ack (the doorbell is an ioeventfd).
source "$(dirname "$0")/../lib.sh"
need_root "the svm-tcg runner exports this machine's root over 9p"
require "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq qemu-system-x86_64
RUNNER=$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost
# results go under the build directory: the runner shares it with L1
T=$(mktemp -d "$IRQPATH_BUILD/svm-tcg-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
N1=100 N2=400
PROFILES="mmio-legacy mmio-v3 pci"

# QEMU that cannot start at all is the only skip
if ! qemu-system-x86_64 -accel tcg -cpu max -display none -S -nodefaults \
	-monitor none -no-user-config -daemonize -pidfile "$T/probe.pid" >/dev/null 2>&1; then
	skip "qemu-system-x86_64 -accel tcg -cpu max cannot start here"
	done_testing
	exit 0
fi
kill "$(cat "$T/probe.pid")" 2>/dev/null

M=$IRQPATH_ROOT/hosts/svm-tcg/micro-trace.sh
TMPDIR=$T "$RUNNER" --build "$IRQPATH_BUILD" --timeout 900 --share "$T" -- \
	bash -c "$M --build '$IRQPATH_BUILD' --out '$T' --transactions $N1 $PROFILES &&
		$M --build '$IRQPATH_BUILD' --out '$T' --transactions $N2 $PROFILES &&
		uname -r >'$T/l1-kernel' && echo \"\$IRQPATH_HOST_KIND\" >'$T/l1-kind'" \
	>"$T/run.out" 2>"$T/run.err"
rc=$?
check_eq "runner: micro-guest runs under the tracer in L1 succeed" 0 "$rc"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/run.err" | tail -n 20
check_eq "L1 runs Debian's kernel of the image" "$(cat "$IRQPATH_BUILD/svm-tcg/KERNEL_VERSION")" \
	"$(cat "$T/l1-kernel" 2>/dev/null)"
check_eq "L1 command sees IRQPATH_HOST_KIND" svm-tcg "$(cat "$T/l1-kind" 2>/dev/null)"

for p in $PROFILES; do
	a=$T/$p-$N1 b=$T/$p-$N2
	if [ ! -s "$a.trace.json" ] || [ ! -s "$b.trace.json" ]; then
		fail "$p: no tracer output"
		continue
	fi
	for f in "$a" "$b"; do
		check_eq "$p: guest completed $(jq -r .result.transactions "$f.vmm.json") transactions" \
			"${f##*-}" "$(jq -r .result.transactions "$f.vmm.json")"
		check_eq "$p: exit_source ($(basename "$f"))" kvm_exit "$(jq -r .exit_source "$f.trace.json")"
	done
	# exits by reason, lower-cased (the kernel's SVM table names them)
	r() { jq -r --arg k "$2" '[.exits_by_reason // {} | to_entries[] |
		select(.key | ascii_downcase == $k) | .value] | add // 0' "$1.trace.json"; }
	u() { jq -r --arg k "$2" '[.userspace_exits_by_reason // {} | to_entries[] |
		select(.key | ascii_downcase == $k) | .value] | add // 0' "$1.trace.json"; }
	g() { jq -r "$2" "$1.vmm.json"; }
	check "$p: no derived-exit reason names in a kvm_exit report" \
		test "$(jq -r '.exits_by_reason | keys | map(select(. == "MMIO" or . == "PIO")) | length' "$a.trace.json")" = 0
	d() { echo $(($2 - $1)); }
	doorbells='(.guest.queues.tx.notifies + .guest.queues.rx.notifies)'
	mmio_exits="($doorbells + .guest.status_reads + .guest.acks)"
	irqs='([.guest.irqs_by_vector[]] | add)'
	dnpf=$(d "$(r "$a" npf)" "$(r "$b" npf)")
	check_eq "$p: marginal npf exits = doorbells + status reads + acks (mailbox)" \
		"$(d "$(g "$a" "$mmio_exits")" "$(g "$b" "$mmio_exits")")" "$dnpf"
	check_eq "$p: marginal msr exits = interrupts the guest took (x2APIC EOI)" \
		"$(d "$(g "$a" "$irqs")" "$(g "$b" "$irqs")")" "$(d "$(r "$a" msr)" "$(r "$b" msr)")"
	check_eq "$p: marginal userspace MMIO exits = status reads + acks (doorbell is ioeventfd)" \
		"$(d "$(g "$a" '.guest.status_reads + .guest.acks')" "$(g "$b" '.guest.status_reads + .guest.acks')")" \
		"$(d "$(u "$a" mmio)" "$(u "$b" mmio)")"
	case $p in
	mmio-legacy)
		check "$p: more npf per transaction than the doorbell alone" \
			test "$dnpf" -gt $((N2 - N1)) ;;
	*)
		check_eq "$p: one npf (the doorbell) per transaction" $((N2 - N1)) "$dnpf" ;;
	esac
	echo "# $p per transaction (marginal): $(jq -rn --slurpfile a "$a.trace.json" --slurpfile b "$b.trace.json" \
		--argjson n $((N2 - N1)) '$b[0].exits_by_reason | to_entries |
		map("\(.key)=\(((.value - ($a[0].exits_by_reason[.key] // 0)) / $n * 100 | round) / 100)") | join(" ")')"
done
done_testing
