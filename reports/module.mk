# reports/module.mk — irqpath-report and its unit tests.
REPORT_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out reports/main.c,$(wildcard reports/*.c)))

$(BIN)/irqpath-report: $(OBJ)/reports/main.o $(REPORT_LIB_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lm

BINS += $(BIN)/irqpath-report

$(BUILD)/tests/test_report_stats: $(OBJ)/reports/tests/test_stats.o $(OBJ)/reports/stats.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lm

UNIT_TESTS += $(BUILD)/tests/test_report_stats

$(BUILD)/tests/test_report_marking: $(OBJ)/reports/tests/test_marking.o $(OBJ)/reports/summary.o \
		$(OBJ)/reports/tab.o $(OBJ)/reports/metrics.o $(OBJ)/reports/results.o \
		$(OBJ)/reports/jsonio.o $(OBJ)/reports/cleanup.o $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lcmocka -lm

UNIT_TESTS += $(BUILD)/tests/test_report_marking
