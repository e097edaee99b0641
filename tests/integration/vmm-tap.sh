#!/usr/bin/env bash
# The tap backend with real frames: irqpath-vmm's guest talks through a tap
# device (in a private network namespace) to irqpath-reflect on its host side.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "tap devices and network namespaces need root"
T=$(tmpdir)
NS=irqp-tap-$$ TAP=irqptap$$
cleanup() { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
ip netns add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
nsx ip tuntap add dev "$TAP" mode tap
nsx sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1"
nsx ip link set "$TAP" up
ip netns exec "$NS" "$BIN/irqpath-reflect" --if "$TAP" --resp 512 >"$T/reflect.out" 2>"$T/reflect.err" &
RPID=$!
sleep 0.3
for p in mmio-legacy mmio-v3 pci; do
	nsx "$BIN/irqpath-vmm" --profile $p --guest "$IRQPATH_BUILD/guest/microguest.elf" --backend tap \
		--tap "$TAP" --resp 512 --transactions 300 --json "$T/r.json" -q --timeout 60 >"$T/out" 2>&1
	check_eq "$p over tap: exit status" 0 $?
	check_eq "$p over tap: transactions" 300 "$(jq -r .result.transactions "$T/r.json")"
	check_eq "$p over tap: frames out == transactions" 300 "$(jq -r .vmm.frames_out "$T/r.json")"
	check_ge "$p over tap: frames in" 300 "$(jq -r .vmm.frames_reflected "$T/r.json")"
done
kill -INT "$RPID"; wait "$RPID"
check_eq "reflector answered every request" 900 "$(cat "$T/reflect.out")"
done_testing
