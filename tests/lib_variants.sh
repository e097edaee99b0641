# Helpers for the virtio-mmio variant tests (sourced after lib.sh).
# variants_run OUT PROFILE...: each profile's micro-guest for $VARIANTS_N
# transactions, results in OUT/<profile>.{json,layout.json,console}; on
# this machine's /dev/kvm when there is one, else in one boot of the
# emulated SVM host (hosts/svm-tcg), which needs root and QEMU.
# VARIANTS_ARGS: more irqpath-vmm options for every profile (--mask-probe).
VARIANTS_N=${VARIANTS_N:-1000}
VARIANTS_ARGS=${VARIANTS_ARGS:-}

variants_run() {
	local out=$1
	shift
	local cmd=""
	for p in "$@"; do
		cmd+="timeout 600 '$BIN/irqpath-vmm' --profile $p --guest '$IRQPATH_BUILD/guest/microguest.elf'"
		cmd+=" --transactions $VARIANTS_N $VARIANTS_ARGS --json '$out/$p.json' --layout '$out/$p.layout.json'"
		cmd+=" --console '$out/$p.console' -q >'$out/$p.out' 2>&1; echo \$? >'$out/$p.rc'; "
	done
	if [ -e /dev/kvm ]; then
		bash -c "$cmd"
		return
	fi
	need_root "no /dev/kvm: the variants run in the svm-tcg host, which exports / over 9p"
	require_cmd qemu-system-x86_64
	TMPDIR=$out "$IRQPATH_ROOT/hosts/svm-tcg/irqpath-svmhost" --build "$IRQPATH_BUILD" \
		--timeout 1500 --share "$out" -q -- bash -c "$cmd" >"$out/svmhost.out" 2>&1 ||
		sed 's/^/# /' "$out/svmhost.out" | tail -n 20
}

# variant_checks OUT PROFILE VECTORS MASK [VERSION]: what every variant must show.
# VECTORS: MSI vectors the guest uses (0: the pin); MASK: lost | pending | none;
# VERSION: the Version register (2; mmio-v3 3).
variant_checks() {
	local out=$1 p=$2 vectors=$3 mask=$4 version=${5:-2}
	local j=$out/$p.json
	jv() { jq -r "$1" "$j"; }
	check_eq "$p: irqpath-vmm exit status" 0 "$(cat "$out/$p.rc" 2>/dev/null)"
	if [ ! -s "$j" ]; then
		fail "$p: no results file"
		sed 's/^/# /' "$out/$p.out" 2>/dev/null | tail -n 5
		return
	fi
	check_eq "$p: transactions done" "$VARIANTS_N" "$(jv .result.transactions)"
	check_eq "$p: guest counts pass the VMM's checks" 0 "$(jv .result.guest_counts.problems)"
	check_eq "$p: no InterruptStatus reads" 0 "$(jv .guest.status_reads)"
	check_eq "$p: no InterruptACK writes" 0 "$(jv .guest.acks)"
	check_eq "$p: MSI vectors in use" "$vectors" "$(jv .guest.msi_vectors)"
	for q in rx tx; do
		check_eq "$p: $q notifies host == guest" "$(jv .guest.queues.$q.notifies)" \
			"$(jv .vmm.queues.$q.notifies)"
	done
	local lost sent probe
	lost=$(jv .vmm.variant.mask_probe.lost_while_masked)
	sent=$(jv .vmm.variant.mask_probe.sent_on_unmask)
	probe=$(jv .vmm.variant.mask_probe.masked_raises)
	check_eq "$p: rx used entries host == guest" "$(jv .vmm.queues.rx.buffers)" \
		"$(jv .guest.queues.rx.used)"
	# the guest reclaims tx lazily; the device took one request per transaction (+ the probe's)
	check_eq "$p: tx requests taken by the device" "$((VARIANTS_N + probe))" \
		"$(jv .vmm.queues.tx.buffers)"
	# every rx interrupt the device raised reached the guest, but those the mask lost
	check_eq "$p: rx interrupts raised == taken by the guest + lost while masked" \
		"$(jv .vmm.queues.rx.interrupts)" "$(($(jv .guest.queues.rx.interrupts) + lost))"
	local sent_total
	if [ "$vectors" = 0 ]; then
		sent_total=$(jv .vmm.pin_raises)
	else
		sent_total=$(jv '[.vmm.msi[].fired] | add')
	fi
	check_eq "$p: interrupts sent by the host == taken by the guest" "$sent_total" \
		"$(jv '[.guest.irqs_by_vector | to_entries[] | select(.key != "255") | .value] | add')"
	check_eq "$p: mask rule reported" "$mask" "$(jv .vmm.variant.mask_rule)"
	case $mask in
	lost)
		check_eq "$p: mask probe: one event raised into the mask" 1 \
			"$(jv .vmm.variant.mask_probe.masked_raises)"
		check_eq "$p: mask probe: device dropped it" "1 0" "$lost $sent"
		check_eq "$p: mask probe: guest saw nothing after unmask" "mask-probe: lost" \
			"$(grep -o 'mask-probe: .*' "$out/$p.console")"
		;;
	pending)
		check_eq "$p: mask probe: one event raised into the mask" 1 "$probe"
		check_eq "$p: mask probe: sent on unmask" "0 1" "$lost $sent"
		check_eq "$p: mask probe: guest took it after unmask" "mask-probe: delivered" \
			"$(grep -o 'mask-probe: .*' "$out/$p.console")"
		;;
	none)
		check_eq "$p: no mask, no probe" "0 0 0" \
			"$(jv .vmm.variant.mask_probe.masked_raises) $lost $sent"
		;;
	esac
	check_eq "$p: Version register" "$version" "$(jv .vmm.variant.version)"
}
