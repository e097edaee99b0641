# irqpath-vmm: the KVM VMM and its virtio-net device.
# Everything a guest can reach (register files, rings, the device, the ELF
# loader, the UART, the console-line reader): KVM-free, unit-tested, and
# fuzzed from this same list (fuzz/).
VMM_GUEST_FACING_SRCS := vmm/guest_text.c vmm/guest_results.c vmm/virtqueue.c vmm/virtio_dev.c vmm/virtio_net.c vmm/virtio_net_ctrl.c vmm/net_reflect.c \
	vmm/transport_mmio.c vmm/transport_mmio_variant.c vmm/transport_mmio_draft.c \
	vmm/transport_mmio_addrdata.c vmm/transport_mmio_dragonball.c vmm/pci_config.c vmm/virtio_pci.c vmm/elf_loader.c vmm/uart16550.c \
	vmm/guest_console.c
VMM_LIB_SRCS := $(VMM_GUEST_FACING_SRCS) vmm/boot_longmode.c vmm/net_tap.c vmm/cpuid_table.c
# The transports' wiring files (vmm_mmio.c, vmm_pci.c) register themselves
# with VMM_TRANSPORT(): they are linked as objects, never from an archive.
VMM_APP_SRCS := vmm/kvm_vm.c vmm/vmm_options.c vmm/vmm_run.c vmm/vmm_devices.c \
	vmm/vmm_transport.c vmm/vmm_mmio.c vmm/vmm_mmio_variants.c vmm/vmm_pci.c vmm/vmm_layout.c \
	vmm/vmm_report.c vmm/vmm_linux.c vmm/vmm_main.c
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

# Unit tests: one cmocka binary per piece of the device model, named
# test-<component>-<topic> like every unit test: test-vmm-TOPIC is built
# from vmm/tests/test_TOPIC.c (dashes become underscores).
VMM_UNIT := test-vmm-guest-text test-vmm-guest-results test-vmm-virtqueue test-vmm-elf-loader test-vmm-mmio-regs \
	test-vmm-pci-config test-vmm-variant-regs test-vmm-uart16550 test-vmm-cpuid-table test-vmm-guest-console \
	test-vmm-net-ctrl test-vmm-vector-plan
define vmm_unit_rule
$(BUILD)/tests/$(1): $(OBJ)/vmm/tests/$(subst -,_,$(patsubst test-vmm-%,test_%,$(1))).o \
		$(BUILD)/lib/libirqpath-vmm.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcmocka -ljansson -lpthread
endef
$(foreach t,$(VMM_UNIT),$(eval $(call vmm_unit_rule,$(t))))
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(VMM_UNIT))

# The three transports side by side on the micro-guest (figures, not a test):
# irqpath-bench's per-transaction costs from each N-transaction repetition
# and a 1-transaction baseline run, the pipeline `make bench` uses.
# BENCH_MICRO_ARGS: irqpath-bench options (-n transactions, -r repetitions).
BENCH_MICRO_ARGS ?= -n 1000 -r 3
.PHONY: bench-micro
bench-micro: $(BIN)/irqpath-bench $(BIN)/irqpath-report $(BIN)/irqpath-vmm $(BIN)/irqpath-trace \
		$(BUILD)/guest/microguest.elf
	@run=$$($(BIN)/irqpath-bench --profile all --baseline-transactions 1 --out $(RESULTS) \
		$(BENCH_MICRO_ARGS)); rc=$$?; \
	if [ -n "$$run" ]; then $(BIN)/irqpath-report "$$run" || rc=$$?; \
		echo "results: $$run/*.json  report: $$run/report.html"; fi; exit $$rc
