#!/usr/bin/env bash
# Lists C function definitions longer than a limit, longest first:
#   scripts/function-lengths.sh [-n LINES] FILE|DIR...   (default 120)
# Prints "LINES FILE:LINE NAME" for each; exit 1 if any is over the limit.
# Relies on the project's clang-format style: a definition's opening and
# closing braces stand alone in column 0; the count runs from the line with
# the name to the closing brace.
set -eu
limit=120
if [ "${1:-}" = "-n" ]; then limit=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-n LINES] FILE|DIR..." >&2; exit 2; }
files=()
for a in "$@"; do
	if [ -d "$a" ]; then
		while IFS= read -r f; do files+=("$f"); done < <(find "$a" -name '*.c' | sort)
	elif [ -f "$a" ]; then
		files+=("$a")
	else
		echo "$0: no such file or directory: $a" >&2
		exit 2
	fi
done
awk -v limit="$limit" '
	FNR == 1 { start = 0; prev = ""; prevline = 0 }
	/^\{$/ && prev ~ /^[A-Za-z_].*\)$/ {
		start = sig_line; name = sig_name
	}
	/^}/ && start {
		n = FNR - start + 1
		if (n > limit) printf "%d %s:%d %s\n", n, FILENAME, start, name
		start = 0
	}
	/^[A-Za-z_]/ && /\(/ && !/;$/ {
		sig_line = FNR
		s = $0; sub(/\(.*/, "", s); k = split(s, w, /[ *]+/); sig_name = w[k]
	}
	{ prev = $0 }
' "${files[@]}" | sort -rn >"${TMPDIR:-/tmp}/fnlen.$$"
cat "${TMPDIR:-/tmp}/fnlen.$$"
over=$(wc -l <"${TMPDIR:-/tmp}/fnlen.$$")
rm -f "${TMPDIR:-/tmp}/fnlen.$$"
[ "$over" -eq 0 ]
