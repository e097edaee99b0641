#!/usr/bin/env bash
# irqpath-rr over loopback: TCP_RR 32/1024 and 100/7, JSON fields, latency
# ordering, sizes seen by the server, error exits, SIGINT/SIGTERM handling.
source "$(dirname "$0")/../lib.sh"
jqe() { jq -e "$@" >/dev/null; }
RR=$BIN/irqpath-rr
require "$RR"
T=$(tmpdir)
SPID=
trap '[ -n "$SPID" ] && kill $SPID 2>/dev/null; rm -rf "$T"' EXIT

# start_server NAME: a --once server on a free loopback port, port in $PORT
start_server() {
	rm -f "$T/$1.port"
	"$RR" -s -B 127.0.0.1 -p 0 -P "$T/$1.port" --once -j "$T/$1.server.json" -q &
	SPID=$!
	for _ in $(seq 50); do [ -s "$T/$1.port" ] && break; sleep 0.1; done
	PORT=$(cat "$T/$1.port" 2>/dev/null)
}

start_server a
check "server wrote its port" test -n "$PORT"
"$RR" -H 127.0.0.1 -p "$PORT" -l 1 -r 32,1024 -j "$T/a.json" >"$T/a.txt"
check_eq "client exit status" 0 $?
wait $SPID; check_eq "server exit status after --once" 0 $?; SPID=
check "human output names trans/s" grep -q 'trans/s' "$T/a.txt"
check_eq "client schema" irqpath-rr/1 "$(jq -r .schema "$T/a.json")"
check_eq "client role" client "$(jq -r .role "$T/a.json")"
check_eq "req recorded" 32 "$(jq -r .req "$T/a.json")"
check_eq "resp recorded" 1024 "$(jq -r .resp "$T/a.json")"
check_ge "transactions" 1 "$(jq -r .transactions "$T/a.json")"
check "trans_per_s > 0" jqe '.trans_per_s > 0' "$T/a.json"
check "elapsed_s: stops soon after -l 1 (not before)" jqe '.elapsed_s >= 1 and .elapsed_s < 3' "$T/a.json"
check "latency p50 <= p90 <= p99 <= max, min <= p50" \
	jqe '.latency_us | .min <= .p50 and .p50 <= .p90 and .p90 <= .p99 and .p99 <= .max and .min > 0' "$T/a.json"
check "trans/s consistent with transactions / elapsed" \
	jqe '(.trans_per_s - .transactions / .elapsed_s) | fabs < 0.01' "$T/a.json"
check "warm-up excluded (warm-up transactions > 0, not in the count)" \
	jqe '.warmup_transactions > 0 and .warmup_s > 0' "$T/a.json"
check_eq "server saw 32 bytes per transaction" 32 \
	"$(jq -r '.last_connection.bytes_received_per_transaction' "$T/a.server.json")"
check_eq "server transactions = measured + warm-up" \
	"$(jq -r '.transactions + .warmup_transactions' "$T/a.json")" \
	"$(jq -r .transactions "$T/a.server.json")"
check_eq "server sent 1024 bytes per transaction" \
	"$(jq -r '.transactions * 1024' "$T/a.server.json")" "$(jq -r .bytes_sent "$T/a.server.json")"

# Other sizes are honoured: 100-byte requests, 7-byte responses.
start_server b
"$RR" -H 127.0.0.1 -p "$PORT" -l 0.5 -r 100,7 -j - >"$T/b.json"
check_eq "client exit status (100,7)" 0 $?
wait $SPID; SPID=
check_eq "server saw 100 bytes per transaction" 100 \
	"$(jq -r '.last_connection.bytes_received_per_transaction' "$T/b.server.json")"
check_eq "server recorded resp size 7" 7 "$(jq -r .last_connection.resp "$T/b.server.json")"
check_eq "--json - prints only JSON on stdout" 1 "$(wc -l <"$T/b.json")"

# Errors: usage -> 2, nobody listening -> 1 with a message naming the problem.
"$RR" -H 127.0.0.1 -r 0,5 2>"$T/err"; check_eq "bad sizes exit 2" 2 $?
check "bad sizes message" grep -q 'bad sizes' "$T/err"
"$RR" 2>/dev/null; check_eq "no -H/-s exits 2" 2 $?
"$RR" --help | grep -q 'Exit codes'; check_eq "--help documents exit codes" 0 $?
start_server c; kill $SPID; wait $SPID; SPID=
"$RR" -H 127.0.0.1 -p "$PORT" -l 1 2>"$T/err"; check_eq "connect refused exits 1" 1 $?
check "connect error names the problem" grep -qi 'refused' "$T/err"

# SIGINT to the client mid-run: stops early, reports, exits 1.
start_server d
"$RR" -H 127.0.0.1 -p "$PORT" -l 30 -w 0 -j "$T/d.json" -q &
CPID=$!
sleep 0.7
kill -INT $CPID; wait $CPID; check_eq "interrupted client exits 1" 1 $?
check "interrupted run is marked and has data" \
	jqe '.interrupted == true and .transactions > 0 and .elapsed_s < 5' "$T/d.json"
wait $SPID; check_eq "server exits 0 after the client left" 0 $?; SPID=

# SIGTERM to a long-running server: writes its JSON and exits 0.
rm -f "$T/e.port"
"$RR" -s -B 127.0.0.1 -p 0 -P "$T/e.port" -j "$T/e.json" -q &
SPID=$!
for _ in $(seq 50); do [ -s "$T/e.port" ] && break; sleep 0.1; done
"$RR" -H 127.0.0.1 -p "$(cat "$T/e.port")" -l 0.3 -q
kill -TERM $SPID; wait $SPID; check_eq "server exits 0 on SIGTERM" 0 $?; SPID=
check "server JSON after SIGTERM counts the connection" jqe '.connections == 1 and .transactions > 0' "$T/e.json"
# --streams 2: two connections served at once, each pinned to its own CPU,
# per-stream figures that add up, the server sees both.
rm -f "$T/f.port"
"$RR" -s -B 127.0.0.1 -p 0 -P "$T/f.port" -j "$T/f.server.json" -q &
SPID=$!
for _ in $(seq 50); do [ -s "$T/f.port" ] && break; sleep 0.1; done
"$RR" -H 127.0.0.1 -p "$(cat "$T/f.port")" -l 1 -r 32,1024 --streams 2 -j "$T/f.json" >"$T/f.txt"
check_eq "--streams 2 exit status" 0 $?
kill -TERM $SPID; wait $SPID; SPID=
check "two streams reported, text names each" grep -q 'stream 1: cpu' "$T/f.txt"
check "per_stream: 2 entries, pinned to CPUs 0 and 1 (mod online CPUs)" \
	jqe --argjson n "$(nproc)" '.streams == 2 and .pinned and ([.per_stream[].cpu] == [0, (1 % $n)])' "$T/f.json"
check "each stream completed transactions" jqe '[.per_stream[].transactions > 0] | all' "$T/f.json"
check "aggregate = sum of the streams" \
	jqe '(.transactions == ([.per_stream[].transactions] | add)) and
	     ((.trans_per_s - ([.per_stream[].trans_per_s] | add)) | fabs < 0.01)' "$T/f.json"
check "the measured windows overlap (both started within the warm-up)" \
	jqe '[.per_stream[].elapsed_s] | (max - min) < 0.5' "$T/f.json"
check_eq "server: 2 connections, transactions = measured + warm-up" \
	"2 $(jq '.transactions + .warmup_transactions' "$T/f.json")" \
	"$(jq -r '"\(.connections) \(.transactions)"' "$T/f.server.json")"
"$RR" -H 127.0.0.1 -p 1 --streams 65 2>/dev/null; check_eq "--streams 65 exits 2" 2 $?

check "no temp files left" test -z "$(ls "$T" | grep '\.tmp\.')"
done_testing
