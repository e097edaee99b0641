#!/usr/bin/env bash
# irqpath-trace live: per-interval JSON lines while a VM runs (their counts
# add up to the run's exact totals), and Ctrl-C / SIGTERM leave no BPF
# program, BPF link or tracefs instance behind.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
TRACE=$BIN/irqpath-trace
FIX=$IRQPATH_BUILD/fixtures/trace-exerciser
require "$TRACE" "$FIX"
require_cmd jq bpftool
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

# 1. live JSON lines over a ~2 s run of MSIs
OUTF=$T/fix.json "$TRACE" live -i 0.4 --json-lines -- sh -c 'exec "$0" "$@" >"$OUTF"' "$FIX" --reads 0 --acks 0 \
	--notify0 0 --notify1 0 --pio 0 --msi 400 --level 0 --gap-us 4000 >"$T/live.jsonl" 2>"$T/live.err"
check_eq "live -- fixture exits 0" 0 "$?"
lines=$(grep -c . "$T/live.jsonl")
check_ge "several interval lines" 3 "$lines"
check_eq "every line is irqpath-trace-live/1" "$lines" "$(jq -r .schema "$T/live.jsonl" | grep -c '^irqpath-trace-live/1$')"
busy=$(jq -r '[.vms[].per_second.msi] | add // 0 | select(. > 0)' "$T/live.jsonl" | grep -c .)
check_ge "intervals with MSIs per second > 0" 2 "$busy"
check_eq "interval MSI counts add up to the run's total" 400 "$(jq -s '[.[].vms[].counts.msi] | add' "$T/live.jsonl")"
check_eq "the guest took them all" 400 "$(jq .msi.handled "$T/fix.json")"


# 2. Ctrl-C (SIGINT) and SIGTERM detach everything, for both backends
for sig in INT TERM; do
	for backend in bpf tracefs; do
		"$FIX" --msi 3000 --level 0 --gap-us 2000 >/dev/null 2>&1 &
		fpid=$!
		L=$T/l-$sig-$backend.jsonl
		"$TRACE" live -p "$fpid" -i 0.3 --json-lines --backend "$backend" >"$L" 2>"$L.err" &
		tpid=$!
		for _ in $(seq 100); do [ -s "$L" ] && break; sleep 0.1; done
		check "$sig/$backend: live prints while the VM runs" test -s "$L"
		if [ "$backend" = bpf ]; then
			progs=$(bpf_held "$tpid" prog); links=$(bpf_held "$tpid" link)
			check_ge "$sig/$backend: programs attached while running" 10 "$(echo "$progs" | grep -c .)"
			check_ge "$sig/$backend: links attached while running" 10 "$(echo "$links" | grep -c .)"
		else
			check "$sig/$backend: private tracefs instance exists while running" \
				test -d "/sys/kernel/tracing/instances/irqpath-trace-$tpid"
		fi
		kill -"$sig" "$tpid"
		wait "$tpid"
		check_eq "$sig/$backend: exits 0 on SIG$sig" 0 "$?"
		if [ "$backend" = bpf ]; then
			left=$(bpftool -j prog show | jq -r '.[].id' | sort | comm -12 - <(echo "$progs") | grep -c .)
			check_eq "$sig/$backend: none of its BPF programs remain" 0 "$left"
			left=$(bpftool -j link show | jq -r '.[].id' | sort | comm -12 - <(echo "$links") | grep -c .)
			check_eq "$sig/$backend: none of its BPF links remain" 0 "$left"
		else
			check "$sig/$backend: tracefs instance removed" test ! -e "/sys/kernel/tracing/instances/irqpath-trace-$tpid"
		fi
		kill "$fpid" 2>/dev/null
		wait "$fpid" 2>/dev/null
	done
done
# 3. SIGKILL: nothing runs in the tracer, yet its tracefs instance goes
#    (its helper removes it) and the command it started is stopped with it
"$TRACE" record --backend tracefs -o "$T/k.json" -- "$FIX" --msi 5000 --level 0 --gap-us 2000 >/dev/null 2>"$T/k.err" &
tpid=$!
for _ in $(seq 100); do grep -q attached "$T/k.err" && break; sleep 0.1; done
fpid=$(pgrep -P "$tpid" -x trace-exerciser | head -1)
check "KILL: the tracer started its command" test -n "$fpid"
kill -KILL "$tpid"; wait "$tpid" 2>/dev/null
gone=1
for _ in $(seq 30); do
	[ ! -e "/sys/kernel/tracing/instances/irqpath-trace-$tpid" ] && [ -z "$fpid" -o ! -e "/proc/$fpid" ] && { gone=0; break; }
	sleep 0.1
done
check_eq "KILL: instance removed and command stopped after SIGKILL" 0 "$gone"
check "KILL: no partial snapshot" test ! -e "$T/k.json"

# 4. an instance left by a tracer that died before anything could remove it
#    is collected by the next tracefs run
sleep 0 & dead=$!; wait "$dead"
mkdir "/sys/kernel/tracing/instances/irqpath-trace-$dead"
"$TRACE" record --backend tracefs -d 0.2 -o "$T/gc.json" 2>/dev/null
check "stale instance of a dead tracer collected" test ! -e "/sys/kernel/tracing/instances/irqpath-trace-$dead"
rmdir "/sys/kernel/tracing/instances/irqpath-trace-$dead" 2>/dev/null
done_testing
