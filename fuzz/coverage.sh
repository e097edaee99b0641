#!/usr/bin/env bash
# Line and branch coverage of the code under test, from every input in the
# committed seeds and in BUILD_DIR/fuzz/corpus (the campaign's findings),
# replayed through the llvm-cov builds of the harnesses.
# Usage: fuzz/coverage.sh BUILD_DIR HARNESS...   (run by make fuzz-coverage)
set -eu
build=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cov=$build/fuzz/cov
rm -f "$cov"/*.profraw
objs=()
for h in "$@"; do
	dirs=("$root/fuzz/corpus/$h")
	[ -d "$build/fuzz/corpus/$h" ] && dirs+=("$build/fuzz/corpus/$h")
	LLVM_PROFILE_FILE="$cov/$h.profraw" "$cov/bin/$h" -runs=0 -close_fd_mask=3 "${dirs[@]}" \
		>/dev/null 2>&1
	objs+=(-object "$cov/bin/$h")
done
llvm-profdata merge -sparse -o "$cov/all.profdata" "$cov"/*.profraw
# Only the project's code under test: not the harnesses, not system headers.
llvm-cov report -instr-profile "$cov/all.profdata" "${objs[@]:1}" \
	-ignore-filename-regex='(^/usr/|/fuzz/)' | tee "$cov/report.txt"
