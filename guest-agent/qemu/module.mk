# guest-agent/qemu: irqpath-qemu, the QEMU runner for Linux guests (shell).
$(BIN)/irqpath-qemu: guest-agent/qemu/irqpath-qemu.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@

BINS += $(BIN)/irqpath-qemu
