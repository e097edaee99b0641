#!/usr/bin/env bash
# irqpath-report on a fixture run: charts are real PNG/SVG images with the
# expected series, the text table fits 72 columns, the HTML is self-contained.
source "$(dirname "$0")/../lib.sh"
R=$BIN/irqpath-report
FIX=$IRQPATH_ROOT/reports/tests/fixtures
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
cp -r "$FIX/run-a" "$T/run"

"$R" "$T/run" >"$T/out.txt" 2>"$T/err.txt"
check_eq "report exits 0" 0 $?

# PNG: 8-byte signature, then the IHDR chunk with width and height (big endian)
png_dims() { od -An -tx1 -j16 -N8 "$1" | tr -d ' \n'; }
for c in transs exits exits-by-cause irqs; do
	png=$T/run/charts/$c.png
	sig=$(od -An -tx1 -N8 "$png" 2>/dev/null | tr -d ' \n')
	check_eq "$c.png has the PNG signature" 89504e470d0a1a0a "$sig"
	ihdr=$(od -An -c -j12 -N4 "$png" 2>/dev/null | tr -d ' \n')
	check_eq "$c.png starts with IHDR" IHDR "$ihdr"
	check_eq "$c.png is 800x480" 00000320000001e0 "$(png_dims "$png")"
	check "$c.svg is an SVG document" grep -q '<svg' "$T/run/charts/$c.svg"
done
for p in pci mmio-legacy mmio-v3; do
	check "transs.svg names series $p" grep -q ">$p<" "$T/run/charts/transs.svg"
	check "exits.svg has a bar for $p" grep -q ">$p<" "$T/run/charts/exits.svg"
done
for s in MMIO MSR PIO; do
	check "exits-by-cause.svg stacks cause $s" grep -q ">$s<" "$T/run/charts/exits-by-cause.svg"
done
# in-kernel and userspace exits, error bars from the runs' spread
check "exits.svg: userspace series" grep -q '>userspace exits (to the VMM)<' "$T/run/charts/exits.svg"
check "exits.svg: in-kernel series" grep -q '>in-kernel exits<' "$T/run/charts/exits.svg"
check "exits.svg: error bars" grep -q '>± stddev over runs<' "$T/run/charts/exits.svg"
f=$T/run/mmio-legacy.json
want=$(jq -r '[.repetitions[] | select(.status == "ok") | .metrics["exits_per_txn.total"] - .metrics.userspace_exits_per_txn] | add / length' "$f")
got=$(awk '$2 == "\"mmio-legacy\"" { print $3 }' "$T/run/charts/exits.dat")
check "exits.dat: legacy in-kernel = total - userspace of its runs" \
	awk -v a="$want" -v b="$got" 'BEGIN { d = a - b; exit !(d < 1e-4 && d > -1e-4) }'
sd=$(awk '$2 == "\"mmio-legacy\"" { print $8 }' "$T/run/charts/exits.dat")
want_sd=$(jq -r '.summary["exits_per_txn.total"].stddev' "$f")
check "exits.dat: total stddev = the summary's" \
	awk -v a="$want_sd" -v b="$sd" 'BEGIN { d = a - b; exit !(d < 1e-4 && d > -1e-4) }'
check "report.md within 100 columns" test -z "$(awk 'length > 100' "$T/run/report.md")"
check "report.txt: repetition rows labelled" grep -q '^trans/s run 1 ' "$T/run/report.txt"
for s in "MSI rx" "MSI tx" "IOAPIC EOI"; do
	check "irqs.svg has series $s" grep -q ">$s<" "$T/run/charts/irqs.svg"
done

# the mailing-list table
long=$(awk 'length($0) > 72' "$T/run/report.txt" | wc -l)
check_eq "report.txt: no line over 72 columns" 0 "$long"
check "stdout carries the same table" cmp -s "$T/out.txt" "$T/run/report.txt"
hdr=$(grep -E '^ +pci +mmio-legacy +mmio-v3$' "$T/run/report.txt" | wc -l)
check_eq "table header: pci, mmio-legacy, mmio-v3" 1 "$hdr"
check_eq "three trans/s rows" 3 "$(grep -c '^trans/s ' "$T/run/report.txt")"
check "ratio row against pci" grep -qE '^vs pci +100\.0% +[0-9.]+% +[0-9.]+%$' "$T/run/report.txt"
for row in "InterruptStatus reads" "InterruptACK writes" "IOAPIC EOIs" "MSIs rx" "notifies tx" "guest/host agree"; do
	check "attribution row: $row" grep -q "^$row " "$T/run/report.txt"
done
check "attribution: legacy's extra exits against pci" grep -qE '^  mmio-legacy: exits \+3\.00 \(MMIO \+3\.00\)' "$T/run/report.txt"
check "attribution: legacy's status read, ack and EOI" grep -qE 'status reads \+1\.00, acks \+1\.00' "$T/run/report.txt"
# figures come from the file, not from the code: legacy column of status reads
want=$(jq -r '.summary.status_reads_per_txn.mean | . * 100 | round / 100 | tostring' "$T/run/mmio-legacy.json")
got=$(awk '/^InterruptStatus reads/ {print $4}' "$T/run/report.txt")
check_eq "status reads of mmio-legacy match its file" "$(printf '%.2f' "$want")" "$got"

# Markdown and HTML
check "report.md links the PNG charts" grep -q '](charts/exits.png)' "$T/run/report.md"
check "report.md has the results table" grep -q '^| trans/s run 1 |' "$T/run/report.md"
check_eq "report.html inlines the four SVG charts" 4 "$(grep -o '<svg' "$T/run/report.html" | wc -l)"
ext=$(grep -Eo '(src|href)="(https?:|[^"#])[^"]*"' "$T/run/report.html" | grep -v 'http://www.w3.org' | wc -l)
check_eq "report.html loads nothing external" 0 "$ext"
check "no temp files left" test -z "$(find "$T/run" -name '*.tmp*')"

# table subcommand and --no-charts
"$R" table "$FIX/run-a" >"$T/table.txt"
check_eq "table subcommand exits 0" 0 $?
check "table subcommand prints the same table" cmp -s "$T/table.txt" "$T/run/report.txt"
done_testing
