#!/usr/bin/env bash
# The documentation matches the code: every repository path the READMEs and
# docs/ name exists, and the JSON fields real runs produce are the ones the
# schemas document (irqpath-results/1 in reports/README.md; irqpath-layout/1,
# irqpath-vmm/1 and irqpath-trace/1 in docs/interfaces.md) — the layout
# both ways. A field added to the code without its line fails here.
source "$(dirname "$0")/../lib.sh"
need_kvm
need_root "irqpath-trace needs root for BPF"
T=$(tmpdir)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$T"' EXIT
ROOT=$IRQPATH_ROOT
require "$BIN/irqpath-bench" "$BIN/irqpath-vmm" "$BIN/irqpath-trace" "$IRQPATH_BUILD/guest/microguest.elf"

# 1. paths: `a/b.c` spans and link targets whose first part is a file or
#    directory of the repository (or of the README's folder) must exist;
#    build/ and results/ are outputs, NAME/FILE/N are placeholders
missing=$(cd "$ROOT" && for doc in README.md docs/*.md */README.md */*/README.md; do
	[ -f "$doc" ] || continue
	d=$(dirname "$doc")
	{ grep -o '`[^`]*`' "$doc" | tr -d '`'; grep -o '](\([^)#]*\)' "$doc" | sed 's/^](//'; } |
		grep -E '^[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)+/?$' | grep -vE '/[0-9]+$' |
		grep -vE '(^|/)(NAME|FILE|DIR|RUN|N|PROFILE)(\.[a-z]+)?(/|$)' | sort -u |
		while read -r p; do
			first=${p%%/*}
			case $first in build | results) continue ;; esac
			[ -e "$first" ] || [ -e "$d/$first" ] || continue
			[ -e "$p" ] || [ -e "$d/$p" ] || echo "$doc names $p"
		done
done)
check "every path the docs name exists" test -z "$missing"
[ -z "$missing" ] || printf '# %s\n' "$missing"
checked=$(cd "$ROOT" && cat README.md docs/*.md */README.md */*/README.md 2>/dev/null | grep -c '`[a-z-]*/[a-zA-Z_./-]*`')
check "the path check saw paths" test "$checked" -gt 20

# 2. a real run of every profile (with a baseline: marginal fields too)
run=$("$BIN/irqpath-bench" --profile mmio-legacy,mmio-v3,pci -r 1 -n 20 -w 5 \
	--baseline-transactions 1 --out "$T/res" --run-id doc -q)
check_eq "bench exits 0" 0 $?
all=$(jq -s . "$run"/*.json)

# the text of a document's section: from the heading to the next heading
section() { awk -v h="$2" 'index($0, h) == 1 { on = 1; next } on && /^#/ { exit } on' "$1"; }
# each KEY must appear in TEXT as "KEY" or as a word
undocumented() {
	local text=$1 k
	shift
	for k; do grep -qE "(^|[^a-z_])$k([^a-z_]|$)" <<<"$text" || echo "$k"; done
}

res_doc=$(section "$ROOT/reports/README.md" "## irqpath-results/1")
check "reports/README.md has the irqpath-results/1 section" test -n "$res_doc"
keys=$(jq -r '[.[] | keys[]] | unique[]' <<<"$all")
for o in host profile workload tracer per_transaction; do
	keys+=" $(jq -r "[.[] | .$o // {} | keys[]] | unique[]" <<<"$all")"
done
keys+=" $(jq -r '[.[] | .repetitions[] | keys[]] | unique[]' <<<"$all")"
bad=$(undocumented "$res_doc" $keys)
check "irqpath-results/1: every field a run writes is documented" test -z "$bad"
[ -z "$bad" ] || echo "# undocumented: $bad"

ifc=$ROOT/docs/interfaces.md
lay_doc=$(section "$ifc" "### irqpath-layout/1")
for p in mmio-legacy mmio-v3 pci; do
	"$BIN/irqpath-vmm" --profile "$p" --guest "$IRQPATH_BUILD/guest/microguest.elf" --transactions 3 \
		-q --layout "$T/layout-$p.json" >/dev/null 2>&1
done
produced=$(jq -r '[paths | .[] | strings] | unique[]' "$T"/layout-*.json | sort -u)
# strict: each field as "name": in the section's JSON
bad=$(undocumented "$(grep -o '"[a-z_]*":' <<<"$lay_doc")" $produced)
check "irqpath-layout/1: every field the VMM writes is documented" test -z "$bad"
[ -z "$bad" ] || echo "# undocumented: $bad"
documented=$(grep -o '"[a-z_]*":' <<<"$lay_doc" | tr -d '":' | sort -u)
extra=$(comm -23 <(echo "$documented") <(echo "$produced"))
check "irqpath-layout/1: every documented field is written" test -z "$extra"
[ -z "$extra" ] || echo "# documented, never written: $extra"

vmm_doc=$(section "$ifc" "### irqpath-vmm/1")
bad=$(undocumented "$vmm_doc" $(jq -r '[.[] | .repetitions[0].raw.vmm | keys[]] | unique[]' <<<"$all"))
check "irqpath-vmm/1: top-level fields documented" test -z "$bad"
[ -z "$bad" ] || echo "# undocumented: $bad"
trace_doc=$(section "$ifc" "## irqpath-trace")
bad=$(undocumented "$trace_doc" $(jq -r '[.[] | .repetitions[0].raw.trace | keys[]] | unique[]' <<<"$all"))
check "irqpath-trace/1: top-level fields documented" test -z "$bad"
[ -z "$bad" ] || echo "# undocumented: $bad"
done_testing
