#!/usr/bin/env bash
# irqpath-rr between two network namespaces joined by a veth pair
# (10.201.9.0/30, private to this test): TCP_RR 32/1024 with JSON checks.
source "$(dirname "$0")/../lib.sh"
jqe() { jq -e "$@" >/dev/null; }
need_root "network namespaces need root"
RR=$BIN/irqpath-rr
A=irqpath-rrA$$ B=irqpath-rrB$$
T=$(tmpdir)
SPID=
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

if ! ip netns add "$A" 2>"$T/err"; then
	skip "cannot create network namespaces here: $(cat "$T/err")"
	done_testing; exit 0
fi
ip netns add "$B" &&
	ip link add vrrA$$ netns "$A" type veth peer name vrrB$$ netns "$B" &&
	ip -n "$A" addr add 10.201.9.1/30 dev vrrA$$ &&
	ip -n "$B" addr add 10.201.9.2/30 dev vrrB$$ &&
	ip -n "$A" link set vrrA$$ up && ip -n "$B" link set vrrB$$ up
check_eq "veth pair between two namespaces" 0 $?

ip netns exec "$A" "$RR" -s -B 10.201.9.1 -p 7801 --once -j "$T/server.json" -P "$T/port" -q &
SPID=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
ip netns exec "$B" "$RR" -H 10.201.9.1 -p 7801 -l 1 -r 32,1024 -j "$T/client.json" >"$T/out"
check_eq "client in namespace B exits 0" 0 $?
wait "$SPID"; check_eq "server in namespace A exits 0" 0 $?; SPID=
cat "$T/out"
check_ge "transactions over the veth pair" 1 "$(jq -r .transactions "$T/client.json")"
check "latency p50 <= p90 <= p99" jqe '.latency_us | .p50 <= .p90 and .p90 <= .p99' "$T/client.json"
check_eq "client recorded the server address" 10.201.9.1 "$(jq -r .host "$T/client.json")"
check_eq "server saw 32 bytes per transaction" 32 \
	"$(jq -r .last_connection.bytes_received_per_transaction "$T/server.json")"
check_eq "server sent 1024 bytes per transaction" \
	"$(jq -r '.transactions * 1024' "$T/server.json")" "$(jq -r .bytes_sent "$T/server.json")"
# The namespace really isolates: the host's loopback has no such server.
ip netns exec "$B" "$RR" -H 127.0.0.1 -p 7801 -l 0.2 -t 2 2>/dev/null
check_eq "no server reachable on B's own loopback" 1 $?
cleanup
check "namespaces removed" test -z "$(ip netns list | grep -E "^($A|$B)( |$)")"
done_testing
