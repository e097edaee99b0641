# Checks of the vector plan irqpath-vmm publishes in its layout file against
# what the micro-guest programmed (sourced after tests/lib.sh).

# check_msi_plan LAYOUT RESULTS [WHAT]: every MSI the layout lists per queue
# and for config is the entry the guest wrote (vector 0x40 + entry index,
# the micro-guest's rule; destination its APIC ID 0), each queue's
# interrupts arrived on its published vector, and no interrupt on another.
check_msi_plan() {
	local l=$1 r=$2 what=${3:-plan}
	check_eq "$what: every queue and config has its MSI published" 0 \
		"$(jq '[.queues[].msi, .config.msi] | map(select(. == null)) | length' "$l")"
	check_eq "$what: vectors are the guest's (0x40 + entry index)" true \
		"$(jq '[.queues[].msi, .config.msi] | all(.vector == 64 + .index)' "$l")"
	check_eq "$what: destination APIC ID is the guest's (0)" true \
		"$(jq '[.queues[].msi, .config.msi] | all(.dest_apic_id == 0 and .address == 4276092928)' "$l")"
	check_eq "$what: the device fired each entry to the published vector" true \
		"$(jq --slurpfile r "$r" '[.queues[].msi, .config.msi]
			| all(.vector == $r[0].vmm.msi[.index | tostring].vector)' "$l")"
	# the guest counts an interrupt on a shared vector for every queue on it
	check_eq "$what: each queue's interrupts arrived on its published vector" true \
		"$(jq --slurpfile r "$r" '($r[0].guest) as $g
			| [(.queues[] | [$g.queues[.queue].interrupts, .msi.vector]),
			   [$g.config_interrupts, .config.msi.vector]]
			| all(.[0] == ($g.irqs_by_vector[.[1] | tostring] // 0))' "$l")"
	check_eq "$what: the guest took interrupts on published vectors only" "[]" \
		"$(jq -c --slurpfile r "$r" '[.queues[].msi.vector, .config.msi.vector | tostring] as $p
			| $r[0].guest.irqs_by_vector | keys - $p' "$l")"
}

# check_doorbell_plan LAYOUT RESULTS GPA0 STRIDE LEN [WHAT]: queue q's
# published notify address is GPA0 + q * STRIDE with access size LEN, and
# the flat "doorbells" list says the same.
check_doorbell_plan() {
	local l=$1 gpa0=$3 stride=$4 len=$5 what=${6:-plan}
	check_eq "$what: notify addresses" "$gpa0 $((gpa0 + stride))" \
		"$(jq -r '[.queues[].notify.gpa] | map(tostring) | join(" ")' "$l")"
	check_eq "$what: notify access size" "$len $len" \
		"$(jq -r '[.queues[].notify.len] | map(tostring) | join(" ")' "$l")"
	check_eq "$what: flat doorbells list agrees" true \
		"$(jq '[.queues[] | {gpa: .notify.gpa, queue}] == .doorbells' "$l")"
}
