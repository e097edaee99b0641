#!/usr/bin/env bash
# irqpath-trace live: per-interval JSON lines while a VM runs (their counts
# add up to the run's exact totals) with the full breakdown (rows in
# classes, exits first, one row per access); sort and filter options; the
# table in a terminal (tmux) with its keys; Ctrl-C / SIGTERM leave no BPF
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

# 1b. the full breakdown: rows in classes, exits first, one row per MMIO
#     access, interval counts adding up to the totals since the start
DEV=(--device mmio-legacy@0xd0000000)
OUTF=$T/lvl.json "$TRACE" live -i 0.4 --json-lines "${DEV[@]}" -- sh -c 'exec "$0" "$@" >"$OUTF"' "$FIX" --reads 0 --acks 0 \
	--notify0 0 --notify1 0 --pio 0 --msi 0 --level 300 --gap-us 5000 >"$T/lvl.jsonl" 2>"$T/lvl.err"
check_eq "live (level interrupts) exits 0" 0 "$?"
J=$T/lvl.jsonl
check_eq "every VM's first row is the exits total" "$(jq -c '.vms[]' "$J" | grep -c .)" \
	"$(jq -r '.vms[].events[0].event' "$J" | grep -c '^exits (all)$')"
check_eq "no row for the unsatisfied half of a read" 0 "$(jq -r '.vms[].events[].event' "$J" | grep -c unsat)"
check_eq "classes in order: exits, registers, queues, vectors, eois, other, vcpus" 0 \
	"$(jq -r '.vms[] | [.events[].class | {"exits":0,"registers":1,"queues":2,"vectors":3,"eois":4,"other":5,"vcpus":6}[.]] | . == sort | not' "$J" | grep -c true)"
reads=$(jq -r '.mmio.reads // .reads // empty' "$T/lvl.json")
isr=$(jq -s '[.[].vms[].events[] | select(.event == "mmio-read InterruptStatus") | .count] | add' "$J")
check_eq "InterruptStatus reads: intervals add up to one per interrupt" 300 "$isr"
check_eq "InterruptStatus reads: the last line's total" 300 \
	"$(tail -1 "$J" | jq '[.vms[].events[] | select(.event == "mmio-read InterruptStatus") | .total] | add')"
check_eq "IOAPIC EOIs per interval add up" 300 \
	"$(jq -s '[.[].vms[].events[] | select(.event == "ioapic eoi pin 5") | .count] | add' "$J")"
check_eq "totals_since_start = sum of the interval counts (mmio)" \
	"$(jq -s '[.[].vms[].counts.mmio] | add' "$J")" "$(tail -1 "$J" | jq '[.vms[].totals_since_start.mmio] | add')"
check_eq "exits (all) total = exits by reason since the start" \
	"$(tail -1 "$J" | jq '[.vms[].events[] | select(.class == "exits" and (.event | startswith("exit "))) | .total] | add')" \
	"$(tail -1 "$J" | jq '[.vms[].events[] | select(.event == "exits (all)") | .total] | add')"

# 1c. sort and filter: --class, --filter REGEX, --sort name
"$TRACE" live -i 0.4 --json-lines "${DEV[@]}" --class vectors,eois --filter 'pin 5|x2apic' --sort name \
	-- "$FIX" --reads 0 --acks 0 --notify0 0 --notify1 0 --pio 0 --msi 0 --level 100 --gap-us 4000 \
	>"$T/flt.jsonl" 2>"$T/flt.err"
check_eq "live --class/--filter/--sort exits 0" 0 "$?"
check_ge "filtered rows present" 3 "$(tail -1 "$T/flt.jsonl" | jq '[.vms[].events[]] | length')"
check_eq "only the selected classes" 0 "$(jq -r '.vms[].events[].class' "$T/flt.jsonl" | grep -vcE '^(vectors|eois)$')"
check_eq "only rows matching the filter" 0 "$(jq -r '.vms[].events[].event' "$T/flt.jsonl" | grep -viEc 'pin 5|x2apic')"
check_eq "sorted by name within a class" 0 \
	"$(jq -r '.vms[] | [.events | group_by(.class)[] | [.[].event] | . == sort] | all | not' "$T/flt.jsonl" | grep -c true)"
check_eq "the line names its sort and filter" "name pin 5|x2apic" "$(tail -1 "$T/flt.jsonl" | jq -r '"\(.sort) \(.filter)"')"

# 1d. the table in a terminal (tmux): labelled columns, exits at the top,
#     's' changes the sort, 'q' quits
require_cmd tmux
S=irqpath-live-$$
tmux new-session -d -s "$S" -x 120 -y 60 \
	"'$TRACE' live -i 0.5 ${DEV[*]} -- '$FIX' --reads 0 --acks 0 --notify0 0 --notify1 0 --pio 0 --msi 0 --level 4000 --gap-us 2000; echo \"live-rc=\$?\"; sleep 30"
screen() { tmux capture-pane -p -t "$S"; }
for _ in $(seq 100); do screen | grep -q 'mmio-read InterruptStatus' && break; sleep 0.1; done
screen >"$T/screen1"
check "table: column labels" grep -qE 'EVENT +PER SECOND +INTERVAL +TOTAL' "$T/screen1"
check "table: exits total at the top" bash -c "grep -A1 'PER SECOND' '$T/screen1' | grep -q 'exits (all)'"
check "table: a register row" grep -q 'mmio-read InterruptStatus' "$T/screen1"
check "table: one row per access (no unsatisfied half)" bash -c "! grep -q unsat '$T/screen1'"
check "table: sorted by rate" grep -q 'sort: rate' "$T/screen1"
tmux send-keys -t "$S" s
for _ in $(seq 50); do screen | grep -q "sort: total" && break; sleep 0.1; done
check "table: 's' switches the sort to total" bash -c "tmux capture-pane -p -t '$S' | grep -q 'sort: total'"
tmux send-keys -t "$S" q
for _ in $(seq 50); do screen | grep -q 'live-rc=' && break; sleep 0.1; done
check_eq "table: 'q' quits, exit 0" "live-rc=0" "$(screen | grep -o 'live-rc=[0-9]*')"
tmux kill-session -t "$S" 2>/dev/null

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
