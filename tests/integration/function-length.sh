#!/usr/bin/env bash
# No function in bench/, collectors/, reports/ or vmm/ is longer than 120
# lines: long functions are split by phase. The counting script is checked
# on a file made to fail, so a broken script cannot pass the tree.
source "$(dirname "$0")/../lib.sh"
T=$(tmpdir); trap 'rm -rf "$T"' EXIT
SCRIPT=$IRQPATH_ROOT/scripts/function-lengths.sh

{
	printf 'static int long_one(int a)\n{\n'
	for i in $(seq 130); do printf '\ta += %d;\n' "$i"; done
	printf '\treturn a;\n}\n\nint short_one(void)\n{\n\treturn 0;\n}\n'
} >"$T/long.c"
out=$(bash "$SCRIPT" "$T/long.c"); rc=$?
check_eq "a 134-line function is reported" "134 $T/long.c:1 long_one" "$out"
check_eq "and fails the check" 1 "$rc"
bash "$SCRIPT" -n 200 "$T/long.c" >/dev/null
check_eq "under a higher limit it passes" 0 $?

for dir in bench collectors reports vmm; do
	out=$(cd "$IRQPATH_ROOT" && bash "$SCRIPT" "$dir"); rc=$?
	check_eq "no function in $dir/ over 120 lines${out:+: $out}" 0 "$rc"
done
done_testing
