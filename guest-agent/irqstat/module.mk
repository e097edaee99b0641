# guest-agent/irqstat: irqpath-irqstat (per-queue /proc/interrupts counts)
# and irqpath-agent (runs irqpath-rr in a Linux guest, prints the tagged
# result line). The static guest copies come from guest-agent/linux-image.
IRQSTAT_LIB_OBJS := $(OBJ)/guest-agent/irqstat/irqstat.o $(OBJ)/guest-agent/irqstat/irqstat_json.o \
	$(OBJ)/guest-agent/irqstat/irqstat_settle.o \
	$(BUILD)/lib/libirqpath-common.a

$(BIN)/irqpath-irqstat: $(OBJ)/guest-agent/irqstat/irqstat_main.o $(IRQSTAT_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson

$(BIN)/irqpath-agent: $(OBJ)/guest-agent/irqstat/agent_main.o \
		$(OBJ)/guest-agent/irqstat/agent_netdev.o $(IRQSTAT_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson

$(BUILD)/tests/test-irqstat-parse: $(OBJ)/guest-agent/irqstat/tests/test_irqstat.o \
		$(OBJ)/guest-agent/irqstat/irqstat.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

BINS += $(BIN)/irqpath-irqstat $(BIN)/irqpath-agent
UNIT_TESTS += $(BUILD)/tests/test-irqstat-parse

$(BUILD)/tests/test-irqstat-settle: $(OBJ)/guest-agent/irqstat/tests/test_irqstat_settle.o \
		$(OBJ)/guest-agent/irqstat/irqstat_settle.o $(OBJ)/guest-agent/irqstat/irqstat.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

UNIT_TESTS += $(BUILD)/tests/test-irqstat-settle
