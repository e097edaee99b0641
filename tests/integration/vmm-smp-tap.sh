#!/usr/bin/env bash
# The tap backend with --queues 2: a multi-queue tap (IFF_MULTI_QUEUE, one
# fd per queue pair) carries real frames to irqpath-reflect on the host
# side. One vCPU drives pair 0: the host kernel picks the tap queue of each
# reply by flow hash, and the micro-guest's per-vCPU clients need their
# replies on their own pair, which tun's steering does not promise for
# these non-IP frames (Linux guests take frames on any queue).
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "tap devices and network namespaces need root"
T=$(tmpdir)
NS=irqp-mqtap-$$ TAP=irqpmq$$
cleanup() { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
ip netns add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
nsx ip tuntap add dev "$TAP" mode tap multi_queue
nsx sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1"
nsx ip link set "$TAP" up
# ip netns exec itself, not the nsx function: a backgrounded function is a
# subshell that ignores SIGINT and would never pass it on
ip netns exec "$NS" "$BIN/irqpath-reflect" --if "$TAP" --resp 512 >"$T/reflect.out" 2>"$T/reflect.err" &
RPID=$!
sleep 0.3
nsx "$BIN/irqpath-vmm" --profile mmio-v3 --guest "$IRQPATH_BUILD/guest/microguest.elf" --backend tap \
	--tap "$TAP" --queues 2 --resp 512 --transactions 200 --json "$T/r.json" -q --timeout 120 \
	>"$T/out" 2>&1
check_eq "multi-queue tap: exit status" 0 $?
check_eq "multi-queue tap: transactions" 200 "$(jq -r .result.transactions "$T/r.json")"
check_eq "multi-queue tap: frames out on tx0" 200 "$(jq -r .vmm.queues.tx0.buffers "$T/r.json")"
check_ge "multi-queue tap: frames in" 200 "$(jq -r .vmm.frames_reflected "$T/r.json")"
check_eq "multi-queue tap: 2 pairs offered, 1 set" "2 1" \
	"$(jq -r '"\(.queue_pairs) \(.vmm.ctrl.queue_pairs_set)"' "$T/r.json")"
# a single-queue tap refuses IFF_MULTI_QUEUE: a clear error, exit 1
nsx ip tuntap add dev "${TAP}s" mode tap
nsx "$BIN/irqpath-vmm" --profile mmio-v3 --guest "$IRQPATH_BUILD/guest/microguest.elf" --backend tap \
	--tap "${TAP}s" --queues 2 --transactions 10 -q >"$T/out2" 2>&1
check "single-queue tap with --queues 2: refused" test $? -ne 0
check "single-queue tap with --queues 2: says multi-queue" grep -q "multi-queue tap" "$T/out2"
kill -INT "$RPID"; wait "$RPID"
check_ge "reflector answered every request" 200 "$(cat "$T/reflect.out")"
done_testing
