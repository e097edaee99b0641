# common/: small pieces every tool shares (atomic result files).
COMMON_OBJS := $(OBJ)/common/atomic_file.o $(OBJ)/common/atomic_json.o
COMMON_LIB := $(BUILD)/lib/libirqpath-common.a

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

EXTRA_ALL += $(COMMON_LIB)

$(BUILD)/tests/test-atomic-file: $(OBJ)/common/tests/test_atomic_file.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson

UNIT_TESTS += $(BUILD)/tests/test-atomic-file
