#!/usr/bin/env bash
# irqpath-qemu: boots Debian's kernel under QEMU with one virtio-net device,
# runs irqpath-rr TCP_RR from the guest to a host-side server, and writes one
# irqpath-linux/1 JSON result. See guest-agent/qemu/README.md.
set -uo pipefail

PROG=irqpath-qemu
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	cat <<EOF
Usage: $PROG --profile mmio-legacy|pci [options]

Boots the Linux guest (make guest-linux) under QEMU, TCP_RR from the guest
to an irqpath-rr server on the host side of a tap device, prints a summary
and writes irqpath-linux/1 JSON.

  --profile P         mmio-legacy: -M microvm + virtio-net-device (virtio-mmio,
                      one interrupt line); pci: -M q35 + virtio-net-pci (MSI-X)
  --duration S        measured TCP_RR seconds (default 3)
  --req B --resp B    request / response bytes (default 32 / 1024)
  --json FILE         write the result here (atomically)
  --kernel F          kernel (default: BUILD/guest-linux/vmlinuz)
  --initrd F          initramfs (default: BUILD/guest-linux/initramfs.cpio.gz)
  --append STR        extra kernel command-line text
  --accel A           auto (default) | kvm | tcg. auto uses TCG where KVM
                      cannot boot Linux (no /dev/kvm, nested kvm_pvm host),
                      else tries KVM and falls back to TCG if the guest does
                      not reach its init within --kvm-probe seconds
                      probe: like auto, but always tries KVM first when
                      /dev/kvm is usable (no host heuristics)
  --kvm-probe S       seconds to wait for a KVM boot before falling back (20)
  --mmio-version N    virtio-mmio Version register QEMU offers: 1 (legacy) or
                      2 (virtio 1.0, the default)
  --timeout S         give up after S seconds in all (default: duration + 90)
  --boot-wait S       a guest that has not reached its init after S seconds
                      (Debian 6.1 sometimes hangs in early boot under TCG
                      with every timer masked) is restarted once (default 45)
  --console FILE      keep the guest's serial console log here
  --pid-file FILE     write QEMU's own pid here (atomically) as soon as QEMU
                      starts, rewritten if it is restarted (KVM fall-back,
                      early-boot hang), so irqpath-trace -p can follow it:
                      \`ip netns exec\` execs QEMU in place, so the pid is
                      QEMU's, not a wrapper's
  --mem MIB           guest memory (default 256)
  --smp N             guest CPUs (default 1)
  --queues P          virtio-net queue pairs (default 1): P > 1 gives the
                      device mq=on over a multi-queue tap (queues=P); on pci
                      vectors=2P+2 (one MSI-X vector per queue, ctrl, config)
  --streams S         concurrent TCP_RR connections, stream i pinned to guest
                      CPU i % N (default: N; 1 keeps the classic test)
  --print-clock-args  print the kernel parameters a TCG guest gets for its
                      clock (tsc_early_khz=... tsc=reliable) and exit; for
                      other scripts booting microvm guests under TCG
  -h, --help          this text

Exit codes: 0 ok, 1 runtime failure (boot, guest error, timeout, interrupted),
2 usage / missing input. Needs root (netns, tap).
EOF
}

die_usage() { echo "$PROG: $*" >&2; exit 2; }
log() { echo "$PROG: $*" >&2; }

# ---- options ----
PROFILE= DURATION=3 REQ=32 RESP=1024 JSON= KERNEL= INITRD= APPEND= ACCEL=auto
KVM_PROBE=20 MMIO_VERSION=2 TIMEOUT= CONSOLE_KEEP= MEM=256 PRINT_CLOCK=0 BOOT_WAIT=45 PID_FILE=
SMP=1 QUEUES=1 STREAMS=
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--print-clock-args) PRINT_CLOCK=1; shift ;;
	--profile | --duration | --req | --resp | --json | --kernel | --initrd | --append | \
		--accel | --kvm-probe | --mmio-version | --timeout | --console | --mem | --boot-wait | \
		--pid-file | --smp | --queues | --streams)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		case "$1" in
		--profile) PROFILE=$2 ;; --duration) DURATION=$2 ;; --req) REQ=$2 ;;
		--resp) RESP=$2 ;; --json) JSON=$2 ;; --kernel) KERNEL=$2 ;;
		--initrd) INITRD=$2 ;; --append) APPEND=$2 ;; --accel) ACCEL=$2 ;;
		--kvm-probe) KVM_PROBE=$2 ;; --mmio-version) MMIO_VERSION=$2 ;;
		--timeout) TIMEOUT=$2 ;; --console) CONSOLE_KEEP=$2 ;; --mem) MEM=$2 ;;
		--boot-wait) BOOT_WAIT=$2 ;; --pid-file) PID_FILE=$2 ;;
		--smp) SMP=$2 ;; --queues) QUEUES=$2 ;; --streams) STREAMS=$2 ;;
		esac
		shift 2 ;;
	*) usage >&2; die_usage "unknown argument '$1'" ;;
	esac
done
# ---- guest clock ----
# Under TCG the guest's TSC is the host's TSC. microvm has no HPET or PM
# timer, so Debian's kernel cannot calibrate it ("Marking TSC unstable"),
# falls back to 4 ms jiffies (latencies of 0 or 4000 us) and on a loaded
# host can stall while booting. Telling it the host's TSC rate fixes both;
# both profiles get it so their clocks are alike.
host_tsc_khz() {
	local mhz
	mhz=$(dmesg 2>/dev/null | sed -n 's/.*Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' | tail -n1)
	[ -n "$mhz" ] || mhz=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' | tail -n1)
	if [ -z "$mhz" ] && grep -qw constant_tsc /proc/cpuinfo; then
		mhz=$(awk -F: '/^cpu MHz/ { print $2 + 0; exit }' /proc/cpuinfo)
	fi
	[ -n "$mhz" ] && awk -v m="$mhz" 'BEGIN { printf "%d", m * 1000 }'
}

clock_args() {
	local khz
	khz=$(host_tsc_khz)
	[ -n "$khz" ] && echo "tsc_early_khz=$khz tsc=reliable"
}
if [ "$PRINT_CLOCK" = 1 ]; then
	clock_args || { echo "$PROG: cannot find the host's TSC rate" >&2; exit 1; }
	exit 0
fi

isnum() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }
isint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
case "$PROFILE" in mmio-legacy | pci) ;; "") die_usage "--profile is required" ;;
*) die_usage "unknown profile '$PROFILE' (mmio-legacy or pci)" ;; esac
case "$ACCEL" in auto | probe | kvm | tcg) ;; *) die_usage "--accel must be auto, probe, kvm or tcg" ;; esac
case "$MMIO_VERSION" in 1 | 2) ;; *) die_usage "--mmio-version must be 1 or 2" ;; esac
isnum "$DURATION" || die_usage "bad --duration '$DURATION'"
isint "$REQ" && isint "$RESP" || die_usage "--req/--resp must be positive integers"
isint "$MEM" || die_usage "bad --mem '$MEM'"
isint "$SMP" && [ "$SMP" -le 64 ] || die_usage "bad --smp '$SMP' (1..64)"
isint "$QUEUES" && [ "$QUEUES" -le 64 ] || die_usage "bad --queues '$QUEUES' (1..64)"
: "${STREAMS:=$SMP}"
isint "$STREAMS" && [ "$STREAMS" -le 64 ] || die_usage "bad --streams '$STREAMS' (1..64)"
isnum "$KVM_PROBE" || die_usage "bad --kvm-probe '$KVM_PROBE'"
: "${TIMEOUT:=$(awk -v d="$DURATION" 'BEGIN { printf "%d", d + 90 }')}"
isnum "$TIMEOUT" || die_usage "bad --timeout '$TIMEOUT'"

GUEST_DIR=$(cd "$HERE/.." && pwd)/guest-linux
# installed tools: make install ships the guest in share/irqpath/guest-linux
[ -d "$GUEST_DIR" ] || GUEST_DIR=$(cd "$HERE/.." && pwd)/share/irqpath/guest-linux
: "${KERNEL:=$GUEST_DIR/vmlinuz}" "${INITRD:=$GUEST_DIR/initramfs.cpio.gz}"
[ -f "$KERNEL" ] || die_usage "no kernel $KERNEL (run 'make guest-linux' in the source tree, then 'make install'; or pass --kernel)"
[ -f "$INITRD" ] || die_usage "no initramfs $INITRD (run 'make guest-linux' in the source tree, then 'make install'; or pass --initrd)"
RR=$HERE/irqpath-rr
[ -x "$RR" ] || RR=$(command -v irqpath-rr) || die_usage "irqpath-rr not found next to $PROG"
QEMU=$(command -v qemu-system-x86_64) || die_usage "qemu-system-x86_64 not found (install qemu-system-x86)"
command -v jq >/dev/null || die_usage "jq not found (install jq)"
[ "$(id -u)" -eq 0 ] || die_usage "needs root (network namespace and tap device)"

# ---- resources and their clean-up (every path, signals included) ----
ID=$$
NS=irqpath-q$ID
TAP=iqtap$ID
HOST_IP=10.201.0.1 GUEST_IP=10.201.0.2 PREFIX=30 PORT=7801
WORK=$(mktemp -d "${TMPDIR:-/tmp}/irqpath-qemu.XXXXXX")
CONSOLE=$WORK/console.log
QEMU_PID= SERVER_PID=
cleaned=0
cleanup() {
	[ $cleaned = 1 ] && return
	cleaned=1
	for p in $QEMU_PID $SERVER_PID; do kill -TERM "$p" 2>/dev/null; done
	for p in $QEMU_PID $SERVER_PID; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null # takes the tap with it
	[ -n "$CONSOLE_KEEP" ] && [ -f "$CONSOLE" ] && cp "$CONSOLE" "$CONSOLE_KEEP"
	rm -rf "$WORK"
}
on_signal() {
	log "interrupted by SIG$1: cleaning up"
	trap - INT TERM
	cleanup
	exit 1
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
fail() { log "$*"; exit 1; }

# ---- accelerator ----
ACCEL_REASON=
choose_accel() {
	case "$ACCEL" in
	tcg) ACCEL_USED=tcg ACCEL_REASON="requested" ;;
	kvm) ACCEL_USED=kvm ACCEL_REASON="requested" ;;
	auto)
		if [ ! -w /dev/kvm ]; then
			ACCEL_USED=tcg ACCEL_REASON="no usable /dev/kvm"
		elif [ -d /sys/module/kvm_pvm ]; then
			ACCEL_USED=tcg ACCEL_REASON="nested kvm_pvm host: Linux does not boot under KVM here"
		else
			ACCEL_USED=kvm ACCEL_REASON="probe"
		fi ;;
	probe)
		if [ -w /dev/kvm ]; then
			ACCEL_USED=kvm ACCEL_REASON="probe"
		else
			ACCEL_USED=tcg ACCEL_REASON="no usable /dev/kvm"
		fi ;;
	esac
}

# ---- network: netns + tap (host side) and the irqpath-rr server ----
# QEMU opens a tap with IFF_MULTI_QUEUE for queues=P > 1, which a tap made
# without multi_queue refuses.
TAP_MQ=
[ "$QUEUES" -gt 1 ] && TAP_MQ=multi_queue
setup_net() {
	ip netns add "$NS" || fail "cannot create network namespace $NS"
	ip -n "$NS" link set lo up &&
		ip -n "$NS" tuntap add dev "$TAP" mode tap $TAP_MQ &&
		ip -n "$NS" addr add "$HOST_IP/$PREFIX" dev "$TAP" &&
		ip -n "$NS" link set "$TAP" up || fail "cannot set up tap $TAP in $NS"
	ip netns exec "$NS" "$RR" -s -B "$HOST_IP" -p "$PORT" -j "$WORK/server.json" -q \
		-P "$WORK/server.port" &
	SERVER_PID=$!
	for _ in $(seq 50); do [ -f "$WORK/server.port" ] && break; sleep 0.1; done
	[ -f "$WORK/server.port" ] || fail "irqpath-rr server did not start"
}

# ---- QEMU ----
MQ_PROPS= NETDEV_QUEUES=
[ "$QUEUES" -gt 1 ] && MQ_PROPS=",mq=on" NETDEV_QUEUES=",queues=$QUEUES"
start_qemu() { # start_qemu ACCEL
	local machine dev
	if [ "$PROFILE" = mmio-legacy ]; then
		# microvm describes virtio-mmio devices in ACPI (LNRO0005), which
		# Debian's virtio_mmio module probes; force-legacy=false offers
		# Version 2 (virtio 1.0) instead of the Version 1 layout.
		machine=(-M microvm)
		dev=(-device "virtio-net-device,netdev=n0$MQ_PROPS")
		[ "$MMIO_VERSION" = 2 ] && machine+=(-global virtio-mmio.force-legacy=false)
	else
		machine=(-M q35)
		dev=(-device "virtio-net-pci,netdev=n0$MQ_PROPS")
		# one MSI-X vector per queue (2P), ctrl and config: virtio_pci's plan
		[ "$QUEUES" -gt 1 ] && dev=(-device "virtio-net-pci,netdev=n0$MQ_PROPS,vectors=$((2 * QUEUES + 2))")
	fi
	local cmdline="console=ttyS0 quiet panic=-1 irqpath.ip=$GUEST_IP/$PREFIX"
	cmdline+=" irqpath.server=$HOST_IP irqpath.port=$PORT irqpath.duration=$DURATION"
	cmdline+=" irqpath.req=$REQ irqpath.resp=$RESP irqpath.streams=$STREAMS"
	GUEST_TSC_KHZ=
	if [ "$1" = tcg ]; then
		GUEST_TSC_KHZ=$(host_tsc_khz)
		[ -n "$GUEST_TSC_KHZ" ] && cmdline+=" tsc_early_khz=$GUEST_TSC_KHZ tsc=reliable"
	fi
	cmdline+=" $APPEND"
	: >"$CONSOLE"
	ip netns exec "$NS" "$QEMU" "${machine[@]}" -accel "$1" -m "$MEM" -smp "$SMP" \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$CONSOLE" -kernel "$KERNEL" -initrd "$INITRD" -append "$cmdline" \
		-netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no$NETDEV_QUEUES" "${dev[@]}" \
		</dev/null >"$WORK/qemu.log" 2>&1 &
	QEMU_PID=$!
	BOOT_START=$(date +%s.%N)
	report_pid
}

# QEMU's pid for a tracer (--pid-file), atomically: a reader never sees half
report_pid() {
	log "qemu pid $QEMU_PID"
	[ -n "$PID_FILE" ] || return 0
	echo "$QEMU_PID" >"$PID_FILE.tmp.$$" && mv -f "$PID_FILE.tmp.$$" "$PID_FILE" ||
		fail "cannot write --pid-file $PID_FILE"
}

stop_qemu() {
	kill -TERM "$QEMU_PID" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$QEMU_PID" 2>/dev/null
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}

# wait_for PATTERN SECONDS: 0 once the console holds PATTERN, 1 on timeout,
# 2 if QEMU exited first.
wait_for() {
	local end
	end=$(awk -v n="$(date +%s.%N)" -v s="$2" 'BEGIN { printf "%.3f", n + s }')
	while :; do
		grep -qa -- "$1" "$CONSOLE" && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || { grep -qa -- "$1" "$CONSOLE" && return 0; return 2; }
		awk -v n="$(date +%s.%N)" -v e="$end" 'BEGIN { exit !(n >= e) }' && return 1
		sleep 0.2
	done
}

# ---- run ----
choose_accel
setup_net
T0=$(date +%s.%N)
DEADLINE=$TIMEOUT
if [ "$ACCEL_USED" = kvm ]; then
	start_qemu kvm
	if [ "$ACCEL" != kvm ]; then
		if ! wait_for "IRQPATH-INIT: kernel" "$KVM_PROBE"; then
			log "KVM did not boot the guest within ${KVM_PROBE}s: falling back to TCG"
			stop_qemu
			ACCEL_USED=tcg ACCEL_REASON="KVM did not boot the guest within ${KVM_PROBE}s"
			start_qemu tcg
		else
			ACCEL_REASON="KVM booted the guest"
		fi
	fi
else
	start_qemu tcg
fi
left() { awk -v t0="$T0" -v n="$(date +%s.%N)" -v t="$DEADLINE" 'BEGIN { r = t - (n - t0); printf "%.1f", (r > 1 ? r : 1) }'; }
# One restart for a guest stuck before its init (an early-boot hang of
# Debian 6.1 under TCG), when the deadline leaves room for a second boot.
BOOT_ATTEMPTS=1
while :; do
	wait_for "IRQPATH-INIT: kernel" "$(awk -v r="$(left)" -v b="$BOOT_WAIT" 'BEGIN { print (r < b ? r : b) }')"
	BOOTED=$?
	[ $BOOTED -eq 1 ] && [ $BOOT_ATTEMPTS -eq 1 ] &&
		awk -v r="$(left)" -v b="$BOOT_WAIT" 'BEGIN { exit !(r > b) }' || break
	log "the guest did not reach its init in ${BOOT_WAIT}s (early-boot hang): restarting it once"
	stop_qemu
	start_qemu "$ACCEL_USED"
	BOOT_ATTEMPTS=2
done
[ $BOOTED -eq 1 ] && { wait_for "IRQPATH-INIT: kernel" "$(left)"; BOOTED=$?; }
QEMU_REPORTED_PID=$QEMU_PID
BOOT_S=$(awk -v s="$BOOT_START" -v n="$(date +%s.%N)" 'BEGIN { printf "%.2f", n - s }')
remaining=$(awk -v t0="$T0" -v n="$(date +%s.%N)" -v t="$DEADLINE" 'BEGIN { r = t - (n - t0); printf "%.1f", (r > 1 ? r : 1) }')
wait_for "^IRQPATH-RESULT " "$remaining"
got=$?
# The guest powers off after printing its line; give it time to finish the
# line (a long one at serial speed on a loaded host), then stop it.
for _ in $(seq 300); do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.1; done
stop_qemu

if [ $got -ne 0 ]; then
	grep -a 'IRQPATH-ERROR' "$CONSOLE" >&2
	tail -n 20 "$CONSOLE" | sed 's/^/  console| /' >&2
	sed 's/^/  qemu| /' "$WORK/qemu.log" >&2
	[ $BOOTED -ne 0 ] && fail "the guest did not boot (accel $ACCEL_USED)"
	[ $got -eq 1 ] && fail "timed out after ${TIMEOUT}s waiting for the guest's result"
	fail "QEMU exited without a result line"
fi

RESULT=$(grep -a -m1 '^IRQPATH-RESULT ' "$CONSOLE" | sed 's/^IRQPATH-RESULT //; s/\r$//')
echo "$RESULT" | jq -e . >/dev/null 2>&1 || fail "the guest's result line is not JSON: $RESULT"
SERVER_JSON='{}'
# The server writes its JSON when the client closes; stop it to flush.
kill -TERM "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
[ -f "$WORK/server.json" ] && SERVER_JSON=$(cat "$WORK/server.json")
CLOCKSOURCE=$(sed -n 's/^IRQPATH-INIT: clocksource \([^ \r]*\).*/\1/p' "$CONSOLE" | head -n1)
QEMU_VERSION=$("$QEMU" --version | head -n1 | sed 's/^QEMU emulator version //')

OUT=$(jq -n --argjson g "$RESULT" --argjson srv "$SERVER_JSON" \
	--arg profile "$PROFILE" --arg accel "$ACCEL_USED" --arg reason "$ACCEL_REASON" \
	--arg qv "$QEMU_VERSION" --arg boot "$BOOT_S" --arg cs "$CLOCKSOURCE" --arg tsc "$GUEST_TSC_KHZ" --argjson pid "$QEMU_REPORTED_PID" \
	--argjson mmiov "$MMIO_VERSION" --argjson dur "$DURATION" --argjson attempts "$BOOT_ATTEMPTS" \
	--argjson req "$REQ" --argjson resp "$RESP" \
	--argjson smp "$SMP" --argjson queues "$QUEUES" --argjson streams "$STREAMS" '
	{schema: "irqpath-linux/1", profile: $profile,
	 machine: (if $profile == "pci" then "q35" else "microvm" end),
	 transport: (if $profile == "pci" then "virtio-pci modern, MSI-X"
	             else "virtio-mmio version \($mmiov), one interrupt line" end),
	 accel: $accel, accel_reason: $reason, kvm_counters: ($accel == "kvm"),
	 note: (if $accel == "kvm" then "KVM run: host KVM counters can be taken for qemu_pid"
	        else "no KVM counters (TCG run: the guest is emulated, KVM is not involved)" end),
	 qemu_version: $qv, qemu_pid: $pid, boot_s: ($boot | tonumber), boot_attempts: $attempts,
	 kernel_version: $g.kernel_version,
	 guest_clocksource: (if $cs == "" then null else $cs end),
	 guest_tsc_khz: (if $tsc == "" then null else ($tsc | tonumber) end),
	 workload: ({test: "TCP_RR", req: $req, resp: $resp, duration_s: $dur} +
	            (if $streams > 1 then {streams: $streams} else {} end)),
	 smp: $smp, queue_pairs: $queues,
	 status: $g.status, error: ($g.error // null),
	 transactions: ($g.rr.transactions // 0), trans_per_s: ($g.rr.trans_per_s // 0),
	 latency_us: ($g.rr.latency_us // null),
	 irqs: ($g.irqs // {}), irq_lines: ($g.irq_lines // []),
	 # /proc/interrupts by CPU: {"0": {"virtio0-input.0": n, ...}, ...}
	 irqs_per_cpu: ($g.per_cpu // null), netdev: ($g.netdev // null),
	 per_stream: ($g.rr.per_stream // null),
	 # the interrupt delta spans the whole client run, warm-up included
	 irqs_per_transaction: ((($g.rr.transactions // 0) + ($g.rr.warmup_transactions // 0)) as $t |
	     ($g.irqs // {}) | with_entries(.value = (if $t > 0 then .value / $t else null end))),
	 server: {transactions: ($srv.transactions // null),
	          bytes_received_per_transaction: ($srv.last_connection.bytes_received_per_transaction // null)}}')
[ -n "$OUT" ] || fail "cannot assemble the result JSON"

echo "$OUT" | jq -r '"\(.profile) (\(.machine), \(.accel)\(if .kvm_counters then "" else ", no KVM counters" end)): kernel \(.kernel_version), TCP_RR \(.workload.req)/\(.workload.resp): \(.transactions) transactions, \(.trans_per_s * 100 | round / 100) trans/s, latency us p50 \(.latency_us.p50 // "-") p90 \(.latency_us.p90 // "-") p99 \(.latency_us.p99 // "-")",
	(.irqs | to_entries[] | "  irq \(.key): \(.value)"),
	(if .smp > 1 or .queue_pairs > 1 then
	   "  \(.queue_pairs) queue pair(s), \(.smp) CPU(s), \(.workload.streams // 1) stream(s); interrupts per CPU:",
	   (.irqs_per_cpu // {} | to_entries[] | .key as $c | .value | to_entries[] |
	    "    cpu \($c) \(.key): \(.value)"),
	   (.per_stream // [] | .[] | "    stream \(.stream) on cpu \(.cpu): \(.transactions) transactions, \(.trans_per_s * 100 | round / 100) trans/s, last packet on cpu \(.incoming_cpu)")
	 else empty end)'
if [ -n "$JSON" ]; then
	tmp=$(mktemp "$(dirname "$JSON")/.irqpath-qemu.XXXXXX") || fail "cannot write in $(dirname "$JSON")"
	echo "$OUT" >"$tmp" && chmod 644 "$tmp" && mv "$tmp" "$JSON" || { rm -f "$tmp"; fail "cannot write $JSON"; }
fi
[ "$(echo "$OUT" | jq -r .status)" = ok ] || fail "the guest reported: $(echo "$OUT" | jq -r .error)"
exit 0
