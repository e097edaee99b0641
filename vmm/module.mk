# irqpath-vmm: the KVM VMM and its virtio-net device.
VMM_LIB_SRCS := vmm/uart16550.c vmm/cpuid_table.c vmm/guest_console.c vmm/pci_config.c vmm/virtio_pci.c vmm/virtqueue.c vmm/elf_loader.c vmm/boot_longmode.c vmm/virtio_dev.c \
	vmm/virtio_net.c vmm/net_reflect.c vmm/net_tap.c vmm/transport_mmio.c
VMM_APP_SRCS := vmm/kvm_vm.c vmm/vmm_options.c vmm/vmm_run.c vmm/vmm_devices.c \
	vmm/vmm_report.c vmm/vmm_pci.c vmm/vmm_linux.c vmm/vmm_main.c
VMM_LIB_OBJS := $(VMM_LIB_SRCS:%.c=$(OBJ)/%.o)
VMM_APP_OBJS := $(VMM_APP_SRCS:%.c=$(OBJ)/%.o)

$(BUILD)/lib/libirqpath-vmm.a: $(VMM_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BIN)/irqpath-vmm: $(VMM_APP_OBJS) $(BUILD)/lib/libirqpath-vmm.a $(BUILD)/lib/liblinuxboot.a \
		$(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lpthread

BINS += $(BIN)/irqpath-vmm

# The host-side peer for the tap backend.
$(BIN)/irqpath-reflect: $(OBJ)/vmm/tools/reflect_main.o $(BUILD)/lib/libirqpath-vmm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
BINS += $(BIN)/irqpath-reflect

# Unit tests: one cmocka binary per piece of the device model.
# test-NAME is built from vmm/tests/test_NAME.c (dashes become underscores).
VMM_UNIT := test-virtqueue test-elf-loader test-mmio-regs test-pci-config test-uart16550 \
	test-cpuid-table test-guest-console
define vmm_unit_rule
$(BUILD)/tests/$(1): $(OBJ)/vmm/tests/$(subst -,_,$(1)).o $(BUILD)/lib/libirqpath-vmm.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcmocka -ljansson -lpthread
endef
$(foreach t,$(VMM_UNIT),$(eval $(call vmm_unit_rule,$(t))))
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(VMM_UNIT))

# The three transports side by side on the micro-guest (figures, not a test):
# per-transaction costs from an N-transaction and a 1-transaction run.
.PHONY: bench-micro
bench-micro: $(BIN)/irqpath-vmm $(BUILD)/guest/microguest.elf $(BIN)/irqpath-trace
	BUILD=$(abspath $(BUILD)) bash vmm/bench-micro.sh $(BENCH_MICRO_ARGS)
