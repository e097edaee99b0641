# common/: what every tool shares: atomic result files, JSON reading,
# statistics, temp-file clean-up on signals, and the metric registry.
COMMON_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard common/*.c))
COMMON_LIB := $(BUILD)/lib/libirqpath-common.a

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

EXTRA_ALL += $(COMMON_LIB)

# test-common-<topic>: one cmocka binary per common/tests/test_<topic>.c
COMMON_UNIT := $(subst _,-,$(patsubst common/tests/test_%.c,test-common-%,$(wildcard common/tests/test_*.c)))
define common_unit_rule
$(BUILD)/tests/$(1): $(OBJ)/common/tests/test_$(subst -,_,$(patsubst test-common-%,%,$(1))).o $(COMMON_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcmocka -ljansson -lm
endef
$(foreach t,$(COMMON_UNIT),$(eval $(call common_unit_rule,$(t))))
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(COMMON_UNIT))
