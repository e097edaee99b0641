# guest-agent/rr: irqpath-rr, the TCP_RR client/server (host build here;
# the static guest copy is built by guest-agent/linux-image/module.mk).
RR_SRCS := $(wildcard guest-agent/rr/*.c)
RR_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(RR_SRCS))

$(BIN)/irqpath-rr: $(RR_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lm

$(BUILD)/tests/test-rr-stats: $(OBJ)/guest-agent/rr/tests/test_rr_stats.o \
		$(OBJ)/guest-agent/rr/rr_stats.o $(OBJ)/guest-agent/rr/rr_proto.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lm

BINS += $(BIN)/irqpath-rr
UNIT_TESTS += $(BUILD)/tests/test-rr-stats
