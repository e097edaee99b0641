# reports/module.mk — irqpath-report and its unit tests.
REPORT_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out reports/main.c,$(wildcard reports/*.c)))

# irqpath-report depends on common/ and its own folder only.
$(BIN)/irqpath-report: $(OBJ)/reports/main.o $(REPORT_LIB_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lm

BINS += $(BIN)/irqpath-report

# test-report-<topic>: reports/tests/test_<topic>.c against the report's objects
REPORT_UNIT := $(subst _,-,$(patsubst reports/tests/test_%.c,test-report-%,$(wildcard reports/tests/test_*.c)))
define report_unit_rule
$(BUILD)/tests/$(1): $(OBJ)/reports/tests/test_$(subst -,_,$(patsubst test-report-%,%,$(1))).o $(REPORT_LIB_OBJS) \
		$(BUILD)/lib/libirqpath-common.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -ljansson -lcmocka -lm
endef
$(foreach t,$(REPORT_UNIT),$(eval $(call report_unit_rule,$(t))))
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(REPORT_UNIT))
