# irqpath-vmm: the KVM VMM and its virtio-net device.
VMM_LIB_SRCS := vmm/virtqueue.c vmm/elf_loader.c vmm/boot_longmode.c vmm/virtio_dev.c \
	vmm/virtio_net.c vmm/net_reflect.c vmm/net_tap.c vmm/transport_mmio.c vmm/json_util.c
VMM_APP_SRCS := vmm/kvm_vm.c vmm/vmm_options.c vmm/vmm_run.c vmm/vmm_devices.c \
	vmm/vmm_report.c vmm/vmm_pci.c vmm/vmm_main.c
VMM_LIB_OBJS := $(VMM_LIB_SRCS:%.c=$(OBJ)/%.o)
VMM_APP_OBJS := $(VMM_APP_SRCS:%.c=$(OBJ)/%.o)

$(BUILD)/lib/libirqpath-vmm.a: $(VMM_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BIN)/irqpath-vmm: $(VMM_APP_OBJS) $(BUILD)/lib/libirqpath-vmm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lpthread

BINS += $(BIN)/irqpath-vmm

# Unit tests: one cmocka binary per piece of the device model.
VMM_UNIT := test-virtqueue test-elf-loader test-mmio-regs
$(BUILD)/tests/test-%: $(OBJ)/vmm/tests/test_%.o $(BUILD)/lib/libirqpath-vmm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson -lpthread
$(BUILD)/tests/test-virtqueue: $(OBJ)/vmm/tests/test_virtqueue.o $(BUILD)/lib/libirqpath-vmm.a
$(BUILD)/tests/test-elf-loader: $(OBJ)/vmm/tests/test_elf_loader.o $(BUILD)/lib/libirqpath-vmm.a
$(BUILD)/tests/test-mmio-regs: $(OBJ)/vmm/tests/test_mmio_regs.o $(BUILD)/lib/libirqpath-vmm.a
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(VMM_UNIT))
