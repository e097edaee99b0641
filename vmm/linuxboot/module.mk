# vmm/linuxboot: Linux boot protocol structures for irqpath-vmm (a library;
# the lead links $(BUILD)/lib/liblinuxboot.a into irqpath-vmm).
LINUXBOOT_SRCS := vmm/linuxboot/linuxboot.c vmm/linuxboot/e820.c vmm/linuxboot/mptable.c \
	vmm/linuxboot/boot_cpu.c vmm/linuxboot/longmode.c vmm/linuxboot/lb_util.c
LINUXBOOT_OBJS := $(LINUXBOOT_SRCS:%.c=$(OBJ)/%.o)
LINUXBOOT_LIB := $(BUILD)/lib/liblinuxboot.a

$(LINUXBOOT_LIB): $(LINUXBOOT_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tests/test-linuxboot-protocol: $(OBJ)/vmm/linuxboot/tests/test_linuxboot.o $(LINUXBOOT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

EXTRA_ALL += $(LINUXBOOT_LIB)
UNIT_TESTS += $(BUILD)/tests/test-linuxboot-protocol

# Test tools: lb-image writes linuxboot's result as files QEMU loads, and
# reset-stub.bin is a 64 KiB "BIOS" that enters the kernel the way
# irqpath-vmm does, so tests/integration/driver-linuxboot-tcg.sh can boot
# Debian's kernel from these structures under TCG.
$(BUILD)/linuxboot/lb-image: $(OBJ)/vmm/linuxboot/tests/lb_image.o $(LINUXBOOT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/linuxboot/reset-stub.bin: vmm/linuxboot/tests/reset_stub.S
	@mkdir -p $(dir $@)
	$(CC) -c -o $(BUILD)/linuxboot/reset-stub.o $<
	objcopy -O binary -j .text $(BUILD)/linuxboot/reset-stub.o $@

EXTRA_ALL += $(BUILD)/linuxboot/lb-image $(BUILD)/linuxboot/reset-stub.bin
