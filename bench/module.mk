# bench/module.mk — irqpath-bench and the bench/report make targets.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out bench/main.c,$(BENCH_SRCS)))

$(BUILD)/tests/test_bench_config: $(OBJ)/bench/tests/test_config.o $(OBJ)/bench/config.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -linih -lcmocka

UNIT_TESTS += $(BUILD)/tests/test_bench_config
