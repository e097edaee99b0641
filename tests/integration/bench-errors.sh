#!/usr/bin/env bash
# irqpath-bench refuses bad input with exit status 2, a message naming the
# problem (file:line for configs) and nothing written.
source "$(dirname "$0")/../lib.sh"
B=$BIN/irqpath-bench
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
mkdir "$T/out" "$T/cfg"

expect_usage() { # DESC MESSAGE-SUBSTRING ARGS...
	local desc=$1 want=$2 msg rc
	shift 2
	msg=$("$B" --out "$T/out" "$@" 2>&1 >/dev/null)
	rc=$?
	check_eq "$desc: exit status 2" 2 "$rc"
	if grep -qF -- "$want" <<<"$msg"; then ok "$desc: says '$want'"; else fail "$desc: message was: $msg"; fi
	check_eq "$desc: nothing written" "" "$(ls -A "$T/out")"
}

expect_usage "unknown profile" "unknown profile 'mmio-v4'" --profile mmio-v4
expect_usage "profile name with a path" "bad profile name" --profile ../etc/passwd
expect_usage "no profile" "--profile NAME|all is required"
expect_usage "bad repetitions" "--repetitions: expected 1..1000" --profile mmio-v3 -r 0
expect_usage "bad transactions" "--transactions" --profile mmio-v3 -n 12x
# a baseline run must be of fewer transactions, and only where runs count them
expect_usage "baseline 0" "--baseline-transactions: expected 1..100000000" --profile mmio-v3 \
	--baseline-transactions 0
expect_usage "baseline not below the run" "must be below the 100 transactions" --profile mmio-v3 \
	-n 100 --baseline-transactions 100
expect_usage "baseline of a timed run" "needs a run of a number of transactions" \
	--profile pci --guest-kind linux --baseline-transactions 1
# sweeps (--queues/--vcpus): lists of 1..64, points given once, a pair per vCPU
expect_usage "bad queue list" "--queues: expected a comma-separated list" --profile pci --queues 1,,2
expect_usage "queue count 0" "--queues: expected a comma-separated list" --profile pci --queues 0
expect_usage "vcpus list of another length" "--vcpus: 3 values for 2 queue counts" \
	--profile pci --queues 1,2 --vcpus 1,2,2
expect_usage "a point twice" "is given twice" --profile pci --queues 2,2
expect_usage "more vCPUs than queue pairs" "one queue pair per vCPU" --profile pci --queues 2 --vcpus 4
expect_usage "a sweep on QEMU's devices" "--queues/--vcpus other than 1 do not apply" \
	--profile all --vmm-kind qemu --queues 1,2

cat >"$T/cfg/broken.conf" <<'CONF'
[profile]
transport = mmio-v3
[workload]
req = 32
resp = lots
CONF
expect_usage "malformed value" "$T/cfg/broken.conf:5: bad value 'lots' for resp" --config "$T/cfg" --profile broken
printf '[profile]\ntransport = pci\nspeed = 11\n' >"$T/cfg/unknown.conf"
expect_usage "unknown key" "$T/cfg/unknown.conf:3: unknown key 'speed' in [profile]" --config "$T/cfg" --profile unknown
printf '[profile]\ntransport = pci\n[workload\n' >"$T/cfg/syntax.conf"
expect_usage "syntax error" "$T/cfg/syntax.conf:3: syntax error" --config "$T/cfg" --profile syntax
# one bad profile in a list stops the whole run before anything starts
cp "$IRQPATH_ROOT/configs/mmio-v3.conf" "$T/cfg/"
expect_usage "bad profile in a list" "unknown.conf:3" --config "$T/cfg" --profile mmio-v3,unknown

out=$("$B" --help)
check_eq "--help exits 0" 0 $?
check "--help documents the exit statuses" grep -q '130 interrupted' <<<"$out"
done_testing
