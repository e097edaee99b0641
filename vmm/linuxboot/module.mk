# vmm/linuxboot: Linux boot protocol structures for irqpath-vmm (a library;
# the lead links $(BUILD)/lib/liblinuxboot.a into irqpath-vmm).
LINUXBOOT_SRCS := vmm/linuxboot/linuxboot.c vmm/linuxboot/e820.c vmm/linuxboot/mptable.c \
	vmm/linuxboot/boot_cpu.c vmm/linuxboot/lb_util.c
LINUXBOOT_OBJS := $(LINUXBOOT_SRCS:%.c=$(OBJ)/%.o)
LINUXBOOT_LIB := $(BUILD)/lib/liblinuxboot.a

$(LINUXBOOT_LIB): $(LINUXBOOT_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tests/test-linuxboot: $(OBJ)/vmm/linuxboot/tests/test_linuxboot.o $(LINUXBOOT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

EXTRA_ALL += $(LINUXBOOT_LIB)
UNIT_TESTS += $(BUILD)/tests/test-linuxboot
