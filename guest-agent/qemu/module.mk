# guest-agent/qemu: irqpath-qemu, the QEMU runner for Linux guests (shell),
# and irqpath-qemu-micro, the micro-guest on QEMU's own virtio devices (C).
$(BIN)/irqpath-qemu: guest-agent/qemu/irqpath-qemu.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@

BINS += $(BIN)/irqpath-qemu

MG_RUNNER_LIB_SRCS := guest-agent/qemu/mg_frame.c guest-agent/qemu/mg_result.c guest-agent/qemu/mg_ram.c \
	guest-agent/qemu/mg_qemu.c guest-agent/qemu/mg_proc.c guest-agent/qemu/mg_net.c
MG_RUNNER_APP_SRCS := guest-agent/qemu/micro_main.c guest-agent/qemu/micro_run.c

$(BUILD)/lib/libirqpath-qemu-micro.a: $(MG_RUNNER_LIB_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BIN)/irqpath-qemu-micro: $(MG_RUNNER_APP_SRCS:%.c=$(OBJ)/%.o) \
		$(BUILD)/lib/libirqpath-qemu-micro.a $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson

BINS += $(BIN)/irqpath-qemu-micro

# The report-line parser against good, damaged and hostile lines.
$(BUILD)/tests/test-qemu-frame: $(OBJ)/guest-agent/qemu/tests/test_frame.o \
		$(BUILD)/lib/libirqpath-qemu-micro.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson

UNIT_TESTS += $(BUILD)/tests/test-qemu-frame

# The layout and result documents from report lines.
$(BUILD)/tests/test-qemu-result: $(OBJ)/guest-agent/qemu/tests/test_result.o \
		$(BUILD)/lib/libirqpath-qemu-micro.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson

UNIT_TESTS += $(BUILD)/tests/test-qemu-result

# The guest-side scaling table (root, QEMU, minutes): LINUX_QUEUES=1,2,4
$(BIN)/irqpath-linux-scaling: guest-agent/qemu/linux-scaling.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@

BINS += $(BIN)/irqpath-linux-scaling
LINUX_QUEUES ?= 1,2,4
.PHONY: linux-scaling
linux-scaling: $(BIN)/irqpath-qemu $(BIN)/irqpath-rr $(BIN)/irqpath-linux-scaling guest-linux
	$(BIN)/irqpath-linux-scaling --queues $(LINUX_QUEUES) --duration 3
