#!/usr/bin/env bash
# irqpath-irqstat on this host's /proc/interrupts and irqpath-agent run on the
# host against a loopback irqpath-rr server (the same code the guest runs).
source "$(dirname "$0")/../lib.sh"
jqe() { jq -e "$@" >/dev/null; }
T=$(tmpdir)
SPID=
trap '[ -n "$SPID" ] && kill $SPID 2>/dev/null; rm -rf "$T"' EXIT

"$BIN/irqpath-irqstat" --match '' --json "$T/snap.json" >"$T/snap.txt"
check_eq "snapshot exit status" 0 $?
check_eq "snapshot schema" irqpath-irqstat/1 "$(jq -r .schema "$T/snap.json")"
check_eq "one JSON line per /proc/interrupts line with a count" \
	"$(jq '.irq_lines | length' "$T/snap.json")" "$(($(wc -l <"$T/snap.txt") - 1))"
check "some interrupt has fired on this host" jqe '[.irqs[]] | add > 0' "$T/snap.json"
"$BIN/irqpath-irqstat" --match '' --json - -- sleep 0.3 >"$T/delta.json"
check_eq "delta around a command exits 0" 0 $?
check "delta kind and non-negative counts" jqe '.kind == "delta" and ([.irqs[]] | all(. >= 0))' "$T/delta.json"
"$BIN/irqpath-irqstat" -- false >/dev/null 2>&1; check_eq "failing command -> exit 1" 1 $?
"$BIN/irqpath-irqstat" --file /nonexistent 2>"$T/err"; check_eq "missing file -> exit 1" 1 $?
check "missing file is named" grep -q /nonexistent "$T/err"

# A fixed file shaped like a virtio-pci guest's: exact per-queue counts.
cat >"$T/irq" <<'X'
           CPU0       CPU1
 24:          0          0   PCI-MSI 16384-edge      virtio0-config
 25:         40          2   PCI-MSI 16385-edge      virtio0-input.0
 26:         17          0   PCI-MSI 16386-edge      virtio0-output.0
  0:          9          0   IO-APIC   2-edge      timer
X
"$BIN/irqpath-irqstat" -f "$T/irq" -j - >"$T/f.json"
check_eq "virtio filter and sums over CPUs" '{"virtio0-config":0,"virtio0-input.0":42,"virtio0-output.0":17}' \
	"$(jq -c .irqs "$T/f.json")"

check_eq "per CPU x vector table (the /proc/interrupts columns)" \
	'{"0":{"virtio0-config":0,"virtio0-input.0":40,"virtio0-output.0":17},"1":{"virtio0-config":0,"virtio0-input.0":2,"virtio0-output.0":0}}' \
	"$(jq -c .per_cpu "$T/f.json")"
check_eq "irq_lines carry their CPU columns" '[40,2]' \
	"$(jq -c '.irq_lines[] | select(.name == "virtio0-input.0") | .per_cpu' "$T/f.json")"
check "text output has a column per CPU" grep -q 'CPU1' <("$BIN/irqpath-irqstat" -f "$T/irq")

# The agent: irqpath-rr client between two /proc/interrupts samples.
"$BIN/irqpath-rr" -s -B 127.0.0.1 -p 0 -P "$T/port" --once -q &
SPID=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
"$BIN/irqpath-agent" --server 127.0.0.1 --port "$(cat "$T/port")" --duration 0.5 \
	--rr "$BIN/irqpath-rr" --match '' --kernel-version "$(uname -r)" --tmp "$T" >"$T/agent.out"
check_eq "agent exit status" 0 $?
wait $SPID; SPID=
check_eq "exactly one tagged result line" 1 "$(grep -c '^IRQPATH-RESULT ' "$T/agent.out")"
sed -n 's/^IRQPATH-RESULT //p' "$T/agent.out" >"$T/agent.json"
check_eq "agent schema" irqpath-agent/1 "$(jq -r .schema "$T/agent.json")"
check_eq "agent status" ok "$(jq -r .status "$T/agent.json")"
check "embedded rr result with transactions" jqe '.rr.transactions > 0 and .rr.req == 32 and .rr.resp == 1024' "$T/agent.json"
check "interrupt deltas present" jqe '(.irqs | length) > 0 and .ncpus >= 1' "$T/agent.json"
check "agent left no temp file" test -z "$(ls "$T" | grep irqpath-rr)"
# --streams 2 with a fake eth0 (two queue pairs, XPS one CPU each).
mkdir -p "$T/net/eth0/queues/"{tx-0,tx-1,rx-0,rx-1}
echo 1 >"$T/net/eth0/queues/tx-0/xps_cpus"; echo 2 >"$T/net/eth0/queues/tx-1/xps_cpus"
echo 0 >"$T/net/eth0/queues/rx-0/rps_cpus"; echo 0 >"$T/net/eth0/queues/rx-1/rps_cpus"
rm -f "$T/port"
"$BIN/irqpath-rr" -s -B 127.0.0.1 -p 0 -P "$T/port" -q &
SPID=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
"$BIN/irqpath-agent" --server 127.0.0.1 --port "$(cat "$T/port")" --duration 0.5 --streams 2 \
	--rr "$BIN/irqpath-rr" --match '' --sysfs-net "$T/net" --tmp "$T" >"$T/agent3.out"
check_eq "agent --streams 2 exit status" 0 $?
kill $SPID; wait $SPID 2>/dev/null; SPID=
sed -n 's/^IRQPATH-RESULT //p' "$T/agent3.out" >"$T/agent3.json"
check "agent --streams 2: workload and per-stream rr results" \
	jqe '.workload.streams == 2 and .rr.streams == 2 and (.rr.per_stream | length) == 2' "$T/agent3.json"
check_eq "agent records the NIC's queues and XPS masks" '2 2 {"tx-0":"1","tx-1":"2"}' \
	"$(jq -r '"\(.netdev.tx_queues) \(.netdev.rx_queues) \(.netdev.xps_cpus | tojson)"' "$T/agent3.json")"
check "agent reports per-CPU interrupt deltas" jqe '(.per_cpu | length) == .ncpus' "$T/agent3.json"
check "one-stream result keeps its shape (no workload.streams)" \
	jqe '.workload | has("streams") | not' "$T/agent.json"

"$BIN/irqpath-agent" --server 127.0.0.1 --port "$(cat "$T/port")" --duration 0.2 \
	--rr "$BIN/irqpath-rr" --tmp "$T" >"$T/agent2.out" 2>/dev/null
check_eq "agent without a server exits 1" 1 $?
check "and still prints an error result line" \
	jqe '.status == "error" and (.error | test("irqpath-rr"))' <(sed -n 's/^IRQPATH-RESULT //p' "$T/agent2.out")
done_testing
