#!/usr/bin/env bash
# Runs the micro-guest on irqpath-vmm once per profile under
# `irqpath-trace record` (BPF backend) and keeps both JSON files:
#   OUT/PROFILE-N.vmm.json  OUT/PROFILE-N.trace.json
# With --untraced, the run has no tracer (OUT/PROFILE-N.untraced.vmm.json):
# trans/s without the tracer's cost. Used inside the svm-tcg L1 (tests,
# benchmark scripts) and on this machine's own KVM for comparison.
#
# Usage: micro-trace.sh --build DIR --out DIR --transactions N [--untraced] PROFILE...
# Exit codes: 0 all runs ok, 1 a run failed (its stderr is printed), 2 usage.
set -u
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
B= OUT= N= UNTRACED=0
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--build) B=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--transactions) N=${2:?}; shift 2 ;;
	--untraced) UNTRACED=1; shift ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$B" ] && [ -n "$OUT" ] && [[ "$N" =~ ^[0-9]+$ ]] && [ $# -ge 1 ] || { usage >&2; exit 2; }
VMM=$B/bin/irqpath-vmm TRACE=$B/bin/irqpath-trace GUEST=$B/guest/microguest.elf
for f in "$VMM" "$TRACE" "$GUEST"; do [ -e "$f" ] || { echo "micro-trace: missing $f (make all)" >&2; exit 2; }; done
mkdir -p "$OUT"
rc=0
for p in "$@"; do
	if [ "$UNTRACED" = 1 ]; then
		"$VMM" --profile "$p" --guest "$GUEST" --transactions "$N" --json "$OUT/$p-$N.untraced.vmm.json" \
			--console /dev/null -q 2>"$OUT/$p-$N.untraced.vmm.err" ||
			{ echo "micro-trace: $p: irqpath-vmm failed: $(tail -n 3 "$OUT/$p-$N.untraced.vmm.err")" >&2; rc=1; }
		continue
	fi
	pre=$OUT/$p-$N
	rm -f "$pre.go"
	# the VM starts once the tracer is attached
	sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$pre.go" \
		"$VMM" --profile "$p" --guest "$GUEST" --transactions "$N" --json "$pre.vmm.json" \
		--layout "$pre.layout.json" --console /dev/null -q 2>"$pre.vmm.err" &
	vpid=$!
	"$TRACE" record --backend bpf -p "$vpid" --layout "$pre.layout.json" -o "$pre.trace.json" \
		2>"$pre.trace.err" &
	tpid=$!
	for _ in $(seq 600); do
		grep -q attached "$pre.trace.err" 2>/dev/null && break
		kill -0 "$tpid" 2>/dev/null || break
		sleep 0.1
	done
	touch "$pre.go"
	wait "$vpid"; vrc=$?
	wait "$tpid"; trc=$?
	rm -f "$pre.go"
	[ "$vrc" -eq 0 ] || { echo "micro-trace: $p: irqpath-vmm exit $vrc: $(tail -n 3 "$pre.vmm.err")" >&2; rc=1; }
	[ "$trc" -eq 0 ] || { echo "micro-trace: $p: irqpath-trace exit $trc: $(tail -n 3 "$pre.trace.err")" >&2; rc=1; }
done
exit $rc
