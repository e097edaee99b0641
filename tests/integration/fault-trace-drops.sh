#!/usr/bin/env bash
# Fault: the tracer loses events, and says so. irqpath-trace has no option
# to drop events, so the test starves it from outside while a KVM fixture of
# known counts runs (the fixture waits for a go file, so the test acts once
# the tracer is attached, however long attaching takes: no fixed wait):
#  - tracefs: its private instance's ring buffer is shrunk to one page per
#    CPU, so the 100 ms reader falls behind and the kernel overwrites events;
#  - bpf: its in-kernel `counts` map is filled to max_entries with foreign
#    keys (bpftool batch), so every new key of the VM is refused.
# Then lost_events must be > 0 in the snapshot and in the summary line, and
# nothing may vanish unaccounted: counted PIO exits + lost events >= the
# fixture's exact count. A control run without starvation loses nothing.
source "$(dirname "$0")/../lib.sh"
need_root "tracing needs root"
need_kvm
TRACE=$BIN/irqpath-trace
FIX=$IRQPATH_BUILD/fixtures/trace-exerciser
require "$TRACE"
require "$FIX"
require_cmd jq bpftool awk
TRACEFS=${IRQPATH_TRACEFS:-/sys/kernel/tracing}
T=$(tmpdir)
tp=
cleanup() {
	[ -n "$tp" ] && kill -KILL "$tp" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
PIO=20000

# start BACKEND NAME: the tracer around the fixture, back once attached (or
# once the tracer died); the fixture starts when go NAME creates its go file
# (exec keeps the pid the tracer follows).
start() {
	"$TRACE" record --backend "$1" -o "$T/$2.json" -- \
		sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$T/$2.go" \
		"$FIX" --reads 0 --acks 0 --notify0 0 --notify1 0 --msi 0 --level 0 --pio $PIO \
		--gap-us 0 >"$T/$2.fix.json" 2>"$T/$2.err" &
	tp=$!
	until grep -q attached "$T/$2.err"; do
		kill -0 "$tp" 2>/dev/null || return 1
		sleep 0.05
	done
}
go() { touch "$T/$1.go"; }
# counts_map: the id of the tracer's counts map, once its fds show it
counts_map() {
	local m
	for m in $(awk '$1 == "map_id:" { print $2 }' /proc/"$tp"/fdinfo/* 2>/dev/null | sort -u); do
		[ "$(bpftool -j map show id "$m" | jq -r .name)" = counts ] && echo "$m" && return 0
	done
	return 1
}
# starve_bpf: fill the tracer's counts map with keys of a pid no VM has
starve_bpf() {
	local id= max=
	until id=$(counts_map); do
		kill -0 "$tp" 2>/dev/null || return 1
		sleep 0.05
	done
	max=$(bpftool -j map show id "$id" | jq .max_entries)
	awk -v id="$id" -v n="$max" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "map update id %s key hex ff ff ff ff 00 00 00 00 03 00 00 00 00 00 00 00 " \
			       "%02x %02x %02x 00 00 00 00 00 00 00 00 00 00 00 00 00 value hex 00 00 00 00 00 00 00 00\n",
			       id, i % 256, int(i / 256) % 256, int(i / 65536) % 256
	}' >"$T/batch"
	# stops at the first refused insert: the map is then full (E2BIG)
	bpftool batch file "$T/batch" >/dev/null 2>&1
	return 0
}
starve_tracefs() {
	local f=$TRACEFS/instances/irqpath-trace-$tp/buffer_size_kb
	[ -w "$f" ] && echo 4 >"$f"
}

for backend in tracefs bpf; do
	# control: nothing lost, exact counts
	check "$backend/control: tracer attached" start "$backend" "$backend-control"
	go "$backend-control"
	wait "$tp"
	check_eq "$backend/control: exits 0" 0 "$?"
	check_eq "$backend/control: lost_events 0" 0 "$(jq .lost_events "$T/$backend-control.json")"
	check_ge "$backend/control: every PIO exit counted" $PIO "$(jq .totals.pio "$T/$backend-control.json")"

	# starved
	check "$backend/starved: tracer attached" start "$backend" "$backend-starved"
	check "$backend/starved: starved from outside" "starve_$backend"
	go "$backend-starved"
	wait "$tp"
	check_eq "$backend/starved: the fixture still ran" $PIO "$(jq '.pio_0x620' "$T/$backend-starved.fix.json")"
	f=$T/$backend-starved.json
	lost=$(jq .lost_events "$f")
	pio=$(jq .totals.pio "$f")
	check_ge "$backend/starved: lost_events reported" 1 "$lost"
	check "$backend/starved: the summary line says lost events $lost" \
		grep -q "lost events $lost\$" "$T/$backend-starved.err"
	check "$backend/starved: counts fell short ($pio < $PIO)" test "$pio" -lt $PIO
	check_ge "$backend/starved: counted + lost accounts for every PIO exit" $PIO $((pio + lost))
done
done_testing
