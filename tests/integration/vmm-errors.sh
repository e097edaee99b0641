#!/usr/bin/env bash
# irqpath-vmm's error paths: each prints a clear message and the documented
# exit status (2 usage/input, 3 no KVM, 1 guest failure).
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "the permission and missing-/dev/kvm cases need root to set up"
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
VMM=$BIN/irqpath-vmm GUEST=$IRQPATH_BUILD/guest/microguest.elf

expect() { # DESC STATUS PATTERN CMD...
	local d=$1 st=$2 pat=$3; shift 3
	"$@" >"$T/out" 2>&1
	local rc=$?
	if [ "$rc" -eq "$st" ] && grep -qE "$pat" "$T/out"; then ok "$d (exit $rc)"
	else fail "$d: exit $rc (want $st), output: $(head -c 300 "$T/out")"; fi
}

expect "--help" 0 "Usage: irqpath-vmm" "$VMM" --help
expect "unknown profile" 2 "unknown profile 'mmio-v9'" "$VMM" --profile mmio-v9 --guest "$GUEST"
expect "missing --guest" 2 "required" "$VMM" --profile pci
expect "bad transaction count" 2 "not an integer" "$VMM" --profile pci --guest "$GUEST" --transactions 12x
expect "guest file missing" 2 "cannot open /nonexistent" "$VMM" --profile mmio-legacy --guest /nonexistent
expect "not an executable ELF (a PIE)" 2 "not an x86-64 executable" "$VMM" --profile mmio-legacy --guest /bin/true
printf 'hello' >"$T/short.elf"
expect "truncated ELF" 2 "too short" "$VMM" --profile mmio-legacy --guest "$T/short.elf"
expect "tap backend without a name" 2 "needs --tap" "$VMM" --profile mmio-legacy --guest "$GUEST" --backend tap
check "no results file after a usage error" test ! -e "$T/r.json"

# No /dev/kvm: a private mount namespace with an empty /dev.
expect "/dev/kvm missing" 3 "/dev/kvm does not exist" \
	unshare -m bash -c "mount -t tmpfs none /dev && exec $VMM --profile mmio-legacy --guest $GUEST"
# No permission on /dev/kvm.
expect "/dev/kvm not permitted" 3 "permission denied opening /dev/kvm" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$VMM" --profile mmio-legacy --guest "$GUEST"

# A guest that triple-faults: load a zero-limit IDT, then fault.
cat >"$T/crash.S" <<'ASM'
	.globl _start
_start:	lidt zero_idt(%rip)
	ud2
	.align 16
zero_idt: .word 0
	.quad 0
ASM
gcc -nostdlib -static -no-pie -Wl,-T,"$IRQPATH_ROOT/guest-agent/microguest/microguest.ld" -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o "$T/crash.elf" "$T/crash.S"
expect "triple fault dumps registers" 1 "shut down \(triple fault\)|internal error" \
	"$VMM" --profile mmio-legacy --guest "$T/crash.elf" --json "$T/r.json" --timeout 20
check "register dump printed" grep -q "rip=" "$T/out"
check_eq "results record the fault" fault "$(jq -r .result.status "$T/r.json")"

# A guest that never finishes: --timeout.
expect "timeout" 1 "timeout after 1 s" \
	"$VMM" --profile mmio-legacy --guest "$GUEST" --transactions 100000000 --timeout 1 --json "$T/r.json"
check_eq "results record the timeout" timeout "$(jq -r .result.status "$T/r.json")"
check_ge "it got somewhere before the timeout" 1 "$(jq -r .result.transactions "$T/r.json")"

# Results to a device: written in place, never renamed over the device node.
"$VMM" --profile mmio-v3 --guest "$GUEST" --transactions 5 --json /dev/null -q >"$T/out" 2>&1
check_eq "--json /dev/null works" 0 $?
check "/dev/null is still a character device" test -c /dev/null
check_eq "--json /dev/stdout carries the results" 5 \
	"$("$VMM" --profile mmio-v3 --guest "$GUEST" --transactions 5 --json /dev/stdout -q | jq -r .result.transactions)"

# SIGINT mid-run: exit 130, no results file, no process left.
rm -f "$T/r.json"
"$VMM" --profile mmio-legacy --guest "$GUEST" --transactions 100000000 --json "$T/r.json" -q >"$T/out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
check_eq "SIGINT exit status" 130 $?
check "no results file after SIGINT" test ! -e "$T/r.json"
check "no temp files left" bash -c "! ls $T/r.json.tmp* 2>/dev/null"
done_testing
