#!/usr/bin/env bash
# irqpath-svmhost, the svm-tcg runner: usage errors, refusing a QEMU known
# to hang guests in L1, the command's stdout/stderr/exit status/arguments
# coming back, a clear failure when kvm_amd cannot load (SVM switched off),
# the timeout, and SIGTERM leaving no QEMU and no control directory behind.
source "$(dirname "$0")/../lib.sh"
need_root "the svm-tcg runner exports this machine's root over 9p"
require_cmd qemu-system-x86_64
R=$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost
T=$(mktemp -d "$IRQPATH_BUILD/svm-tcg-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# our QEMUs: their control directory is under $T (TMPDIR)
ours() { pgrep -f -- "qemu-system-x86_64 .*$T/irqpath-svmhost\." || true; }
run() { TMPDIR=$T "$R" --build "$IRQPATH_BUILD" --share "$T" "$@"; }

# ---- usage ----
run >/dev/null 2>"$T/e"; check_eq "no command: usage error" 2 $?
check "no command: says so" grep -q "no command given" "$T/e"
run --timeout soon -- true >/dev/null 2>"$T/e"; check_eq "bad --timeout: usage error" 2 $?
check "bad --timeout: names the option" grep -q -- "--timeout: 'soon'" "$T/e"
"$R" --help >"$T/o"; check_eq "--help exits 0" 0 $?
check "--help shows the command form" grep -q -- "-- CMD" "$T/o"

# ---- a known-bad QEMU is refused before anything starts ----
cat >"$T/qemu-7.2" <<EOS
#!/bin/sh
[ "\$1" = --version ] && { echo "QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u16)"; exit 0; }
touch "$T/fake-qemu-started"
EOS
chmod +x "$T/qemu-7.2"
run --qemu "$T/qemu-7.2" -- true >/dev/null 2>"$T/e"; check_eq "QEMU 7.2 refused" 125 $?
check "refusal names the version and the defect" grep -q "QEMU 7.2.19.*interrupt shadow" "$T/e"
check "refusal says where the good QEMU comes from" grep -q "bookworm-backports" "$T/e"
check "refused QEMU never started" test ! -e "$T/fake-qemu-started"

# ---- the version rule: VMRUN restores the interrupt shadow from QEMU 9.1 on ----
. "$IRQPATH_ROOT/hosts/svm-tcg/qemu-version.sh"
for v in 7.2.22 8.2.2 9.0.4; do
	check "QEMU $v is known bad" sh -c "! (. '$IRQPATH_ROOT/hosts/svm-tcg/qemu-version.sh'; qemu_version_verdict $v) >/dev/null"
done
for v in 9.1.0 10.0.2 11.0; do
	check "QEMU $v is accepted" qemu_version_verdict "$v"
done

# ---- a command's output, status and arguments come back ----
mkdir -p "$T/cwd"
(cd "$T/cwd" && run -- bash -c 'echo out-line; echo err-line >&2; pwd >'"$T"'/pwd
	echo "$IRQPATH_HOST_KIND $IRQPATH_HOST_CPU_MODEL" >'"$T"'/kind
	printf "<%s>\n" "$@" >'"$T"'/args; [ -c /dev/kvm ] && touch '"$T"'/kvm; echo final-line; exit 7' _ "a b" "c'd" '$x') \
	>"$T/o" 2>"$T/e"
check_eq "the command's exit status is the runner's" 7 $?
check "stdout carries the command's stdout" grep -qx out-line "$T/o"
check "stdout carries the last line written before L1 powers off" grep -qx final-line "$T/o"
check "stdout carries nothing else" test "$(wc -l <"$T/o")" -eq 2
check "stderr carries the command's stderr" grep -qx err-line "$T/e"
check "stderr has progress lines" grep -q "^irqpath-svmhost: L1 up in" "$T/e"
check_eq "the command runs in the caller's directory" "$T/cwd" "$(cat "$T/pwd" 2>/dev/null)"
check_eq "the command sees the host kind and CPU model" "svm-tcg max" "$(cat "$T/kind" 2>/dev/null)"
check_eq "arguments arrive intact" "<a b>|<c'd>|<\$x>" "$(paste -sd'|' "$T/args" 2>/dev/null)"
check "L1 has /dev/kvm (kvm_amd loaded)" test -e "$T/kvm"
check "no QEMU left after the run" test -z "$(ours)"

# ---- kvm_amd cannot load: a clear failure ----
run --cpu max,svm=off -- true >/dev/null 2>"$T/e"; check_eq "no SVM: runner fails" 125 $?
check "no SVM: message names kvm_amd" grep -q "error: L1 failed: kvm_amd did not load" "$T/e"

# ---- timeout ----
run --timeout 3 -- sleep 600 >/dev/null 2>"$T/e"; check_eq "timeout: exit 124" 124 $?
check "timeout: says so" grep -q "error: timeout after 3 s" "$T/e"
check "timeout: no QEMU left" test -z "$(ours)"

# ---- SIGTERM while L1 boots ----
# the runner itself in the background (not a subshell around it)
TMPDIR=$T "$R" --build "$IRQPATH_BUILD" -- sleep 600 >/dev/null 2>"$T/e" &
rpid=$!
for _ in $(seq 100); do [ -n "$(ours)" ] && break; sleep 0.1; done
check "QEMU started" test -n "$(ours)"
kill -TERM "$rpid"
wait "$rpid"; check_eq "SIGTERM: exit 143" 143 $?
check "SIGTERM: no QEMU left" test -z "$(ours)"
check "SIGTERM: control directory removed" test -z "$(ls -d "$T"/irqpath-svmhost.* 2>/dev/null)"
done_testing
