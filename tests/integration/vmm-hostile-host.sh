#!/usr/bin/env bash
# Hostile guests aimed at the host: what a guest writes that irqpath-vmm
# prints or publishes must stay bounded, escaped and honest.
#  - flood: DRIVER_OK toggled 500 times, 64 KiB of escape sequences on the
#    serial port, the mailbox and the RAM after it non-zero (the error string
#    unterminated, every count 4.7e18). Bounds: the console holds at most
#    --console-budget bytes plus one line; stderr at most that + 8 KiB (the
#    VMM's own lines: device errors are rate-limited, the guest error is at
#    most 256 characters); the results under 64 KiB; the layout written at
#    most once per DRIVER_OK burst (<= VMM_LAYOUT_MAX_REWRITES + 1).
#  - fake-counts: a "done" run with made-up counts is refused (implausible).
#  - status-register: 0x100 neither resets nor is truncated; FAILED and
#    DRIVER_OK after refused features leave the device not live.
#  - a scenario that does not apply to the transport is a usage error.
#  - pci writes its layout at DRIVER_OK (while the guest runs), like mmio.
# Runs the ASan/UBSan VMM, as vmm-hostile.sh does.
source "$(dirname "$0")/../lib.sh"
need_kvm
T=$(tmpdir)
VPID=
trap '[ -n "$VPID" ] && kill "$VPID" 2>/dev/null; rm -rf "$T"' EXIT
GUEST=$IRQPATH_BUILD/guest/microguest.elf
ASAN_BUILD=$IRQPATH_ROOT/build-asan
if [[ "$IRQPATH_BUILD" == *asan* ]]; then VMM=$BIN/irqpath-vmm
else
	make -s -C "$IRQPATH_ROOT" BUILD="$ASAN_BUILD" SAN=1 "$ASAN_BUILD/bin/irqpath-vmm" >"$T/build" 2>&1 ||
		{ fail "building the ASan VMM: $(tail -5 "$T/build")"; done_testing; exit 1; }
	VMM=$ASAN_BUILD/bin/irqpath-vmm
fi
require "$GUEST"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
BUDGET=65536

clean() { # NAME: no sanitizer report in $T/NAME.err
	if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$T/$1.err"; then
		fail "$1: sanitizer report: $(grep -m3 -E 'ERROR|runtime error' "$T/$1.err")"
	else ok "$1: no sanitizer report"; fi
}

# ---- flood, on every transport ----
for p in mmio-legacy mmio-v3 pci; do
	"$VMM" --profile "$p" --guest "$GUEST" --hostile flood --transactions 50 --json "$T/f.json" \
		--layout "$T/f.layout" --console "$T/f.console" --console-budget $BUDGET --timeout 60 \
		>"$T/f.out" 2>"$T/f.err"
	rc=$?
	clean f
	check_eq "$p flood: the VMM reports the guest's failure" 1 "$rc"
	check_eq "$p flood: status" guest-error "$(jq -r .result.status "$T/f.json")"
	con=$(stat -c %s "$T/f.console") err=$(stat -c %s "$T/f.err") res=$(stat -c %s "$T/f.json")
	check "$p flood: console $con bytes <= budget $BUDGET + one line" [ "$con" -le $((BUDGET + 200)) ]
	check "$p flood: console says the rest was dropped" grep -q "reached its budget of $BUDGET bytes" "$T/f.console"
	check_eq "$p flood: console bytes counted as written" "$BUDGET" "$(jq -r .vmm.console.written "$T/f.json")"
	check "$p flood: stderr $err bytes <= 8 KiB" [ "$err" -le 8192 ]
	check "$p flood: results $res bytes < 64 KiB" [ "$res" -lt 65536 ]
	# Nothing but printable ASCII and newlines reaches the host's files.
	check "$p flood: no control byte on the console or stderr" \
		bash -c "! LC_ALL=C grep -qP '[^\x20-\x7e\t]' '$T/f.console' '$T/f.err'"
	e=$(jq -r .guest.error "$T/f.json")
	# 64 guest bytes; the 'A's that follow them in the mailbox are not read.
	if [[ "$e" == '\x1b[2J\x1b]0;owned\x07\xff\xfe\x1b[2J'* && "$e" != *A* && ${#e} -le 256 ]]; then
		ok "$p flood: the error string is escaped, ${#e} characters"
	else fail "$p flood: error string '$e'"; fi
	check "$p flood: stderr names the error escaped" grep -qF 'guest reported failure (status 1): \x1b[2J' "$T/f.err"
	check_eq "$p flood: impossible counts flagged" false "$(jq -r .result.guest_counts.plausible "$T/f.json")"
	check "$p flood: the problems name the transactions" \
		jq -e '.result.guest_counts.examples | map(select(test("transactions 4702111234474983745"))) | length > 0' "$T/f.json"
	w=$(jq -r .vmm.layout.writes "$T/f.json") r=$(jq -r .vmm.layout.driver_ok_requests "$T/f.json")
	check_eq "$p flood: 500 DRIVER_OKs seen" 500 "$r"
	check "$p flood: the layout written $w times (1..17)" test "$w" -ge 1 -a "$w" -le 17
done

# ---- fake-counts: a finished run whose counts cannot be true is refused ----
"$VMM" --profile mmio-v3 --guest "$GUEST" --hostile fake-counts --transactions 50 \
	--json "$T/c.json" -q --timeout 60 >"$T/c.out" 2>"$T/c.err"
rc=$?
clean c
check_eq "fake-counts: exit 1" 1 "$rc"
check_eq "fake-counts: status implausible" implausible "$(jq -r .result.status "$T/c.json")"
check "fake-counts: more transactions than asked is named" \
	jq -e '.result.guest_counts.examples | map(select(test("more than asked for 50"))) | length == 1' "$T/c.json"

# ---- status register ----
for p in mmio-legacy pci; do
	"$VMM" --profile "$p" --guest "$GUEST" --hostile status-register --transactions 50 \
		--json "$T/s.json" -q --timeout 60 >"$T/s.out" 2>"$T/s.err"
	rc=$?
	clean s
	check_eq "$p status-register: the run after it works" "0 50" "$rc $(jq -r .result.transactions "$T/s.json")"
	st=$(jq -r .hostile_result.device_status "$T/s.json")
	check_eq "$p status-register: 0x100 left the device live (0xf)" 15 $((st & 0xff))
	check_eq "$p status-register: FAILED read back (0x8f)" 143 $(((st >> 8) & 0xff))
	check_eq "$p status-register: DRIVER_OK after refused features not taken" 0 $(((st >> 16) & 4))
done

# ---- scenarios that do not apply to the transport: usage errors ----
for pair in mmio-legacy:msi-bad-vector mmio-legacy:doorbell-past mmio-v3:bar-past mmio-v3:msix-garbage; do
	p=${pair%%:*} s=${pair#*:}
	"$VMM" --profile "$p" --guest "$GUEST" --hostile "$s" -q >"$T/u.out" 2>&1
	rc=$?
	check_eq "$p --hostile $s: usage error" 2 "$rc"
	check "$p --hostile $s: the message says why" grep -q "does not apply to profile $p" "$T/u.out"
done

# ---- pci: the layout exists while the guest runs (written at DRIVER_OK) ----
"$VMM" --profile pci --guest "$GUEST" --duration 60 --layout "$T/p.layout" -q \
	>"$T/p.out" 2>&1 &
VPID=$!
# Wait on the condition: the file appears, or the VMM is gone.
while [ ! -s "$T/p.layout" ] && kill -0 "$VPID" 2>/dev/null; do sleep 0.1; done
if kill -0 "$VPID" 2>/dev/null && [ -s "$T/p.layout" ]; then
	ok "pci: layout written at DRIVER_OK, while the VM runs"
	check_eq "pci: the layout names the running VMM" "$VPID" "$(jq -r .pid "$T/p.layout")"
else
	fail "pci: no layout while the VM ran: $(tail -3 "$T/p.out")"
fi
kill -INT "$VPID" 2>/dev/null
wait "$VPID" 2>/dev/null
VPID=
done_testing
