#!/usr/bin/env bash
# irqpath-bench against careless operators and failing tools:
#  1. two benches started in the same second keep both results (a taken
#     run id gets a suffix); a --run-id another bench is using is refused;
#  2. a tracer SIGKILLed after writing its output fails its repetition,
#     naming status 137, and no results file is written;
#  3. as non-root it stops at once with the reason, before any warm-up or
#     repetition;
#  4. a FIFO or a directory named x.conf is not listed as a profile.
source "$(dirname "$0")/../lib.sh"
need_root "the bench runs VMs"
need_kvm
BENCH=$BIN/irqpath-bench TRACE=$BIN/irqpath-trace
require "$BENCH" "$BIN/irqpath-vmm" "$TRACE" "$IRQPATH_BUILD/guest/microguest.elf"
require_cmd jq setpriv
T=$(tmpdir)
BP=
trap '[ -n "$BP" ] && kill "$BP" 2>/dev/null; rm -rf "$T"' EXIT
CONF=$IRQPATH_ROOT/configs
bench() { "$BENCH" --profile mmio-v3 -c "$CONF" -r 1 -n 20 -w 0 "$@"; }

# ---- 1. run directories ----
R=$T/res
bench --no-trace --out "$R" >"$T/first.out" 2>"$T/first.err" || fail "first bench: $(tail -2 "$T/first.err")"
first=$(basename "$(cat "$T/first.out")")
suffix=${first#*-} # the commit part of an automatic run id
# Every id the next benches could be given is taken already, with a result in it.
now=$(date -u +%s)
for s in $(seq 0 40); do
	d=$R/$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%SZ)-$suffix
	mkdir -p "$d" && echo '{"taken":1}' >"$d/mmio-v3.json"
done
bench --no-trace --out "$R" >"$T/a.out" 2>"$T/a.err" &
pa=$!
bench --no-trace --out "$R" >"$T/b.out" 2>"$T/b.err" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check_eq "two concurrent benches on taken ids: both exit 0" "0 0" "$ra $rb"
a=$(cat "$T/a.out") b=$(cat "$T/b.out")
check "two concurrent benches: two run directories" test -n "$a" -a -n "$b" -a "$a" != "$b"
check "bench A kept its results" jq -e '.schema == "irqpath-results/1"' "$a/mmio-v3.json"
check "bench B kept its results" jq -e '.schema == "irqpath-results/1"' "$b/mmio-v3.json"
check_eq "the taken runs were not touched" 41 "$(grep -l '"taken":1' "$R"/*/mmio-v3.json | wc -l)"

# A --run-id another bench is using: refused at once.
"$BENCH" --profile mmio-v3 -c "$CONF" -r 1 -n 100000000 -w 0 -q --no-trace --out "$R" \
	--run-id busy >"$T/c.out" 2>"$T/c.err" &
BP=$!
# wait on the condition: its VM runs (so its run directory is locked)
while ! pgrep -P "$BP" -f "irqpath-vmm" >/dev/null && kill -0 "$BP" 2>/dev/null; do
	sleep 0.1
done
bench --no-trace --out "$R" --run-id busy >"$T/d.out" 2>"$T/d.err"
check_eq "a --run-id in use: usage error" 2 "$?"
check "a --run-id in use: says so" grep -q "in use by another irqpath-bench" "$T/d.err"
kill -INT "$BP"; wait "$BP"; BP=

# ---- 2. a tracer killed by SIGKILL after writing its output ----
cat >"$T/trace-killed" <<EOS
#!/bin/sh
"$TRACE" "\$@"
kill -KILL \$\$
EOS
chmod +x "$T/trace-killed"
bench --trace "$T/trace-killed" --out "$T/k" --run-id k >"$T/k.out" 2>"$T/k.err"
rc=$?
check_eq "SIGKILLed tracer: the bench exits 1" 1 "$rc"
check "SIGKILLed tracer: the failure names status 137" grep -q "status 137" "$T/k.err"
check "SIGKILLed tracer: no results file" [ ! -e "$T/k/k/mmio-v3.json" ]

# ---- 3. non-root: stop before running anything ----
mkdir -m 777 "$T/nr"
setpriv --reuid=65534 --regid=65534 --clear-groups "$BENCH" --profile mmio-v3 -c "$CONF" -r 3 \
	-n 20 --out "$T/nr/res" >"$T/nr.out" 2>"$T/nr.err"
rc=$?
check_eq "non-root: exit 1" 1 "$rc"
check "non-root: names the reason" grep -qE "/dev/kvm|needs root" "$T/nr.err"
check "non-root: no warm-up or repetition ran" bash -c "! grep -qE 'warm-up|repetition' '$T/nr.err'"
check_eq "non-root: one line of error" 1 "$(wc -l <"$T/nr.err")"

# ---- 4. profiles are regular files ----
mkdir "$T/conf" "$T/conf/dir.conf"
cp "$CONF/mmio-v3.conf" "$T/conf/"
mkfifo "$T/conf/fifo.conf"
"$BENCH" --profile nope -c "$T/conf" --out "$T/x" >"$T/l.out" 2>"$T/l.err"
check "the list of profiles has the file only" grep -q "available: mmio-v3, all)" "$T/l.err"
timeout 10 "$BENCH" --profile fifo -c "$T/conf" --out "$T/x" >"$T/f.out" 2>"$T/f.err"
check_eq "a FIFO profile: exit 2 at once (no blocking)" 2 "$?"
done_testing
