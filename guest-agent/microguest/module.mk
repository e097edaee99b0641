# The micro-guest: freestanding x86-64 ELF, built with the system gcc.
# Never built with the host's sanitizer flags: it runs inside the VM.
MG_DIR := guest-agent/microguest
MG_SRCS := $(wildcard $(MG_DIR)/*.c) $(MG_DIR)/start.S $(MG_DIR)/pvh_start.S
MG_OBJS := $(patsubst $(MG_DIR)/%,$(BUILD)/guest/obj/%.o,$(MG_SRCS))
MG_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-tree-loop-distribute-patterns -MMD -MP
MG_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(MG_DIR)/microguest.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

$(BUILD)/guest/obj/%.c.o: $(MG_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(MG_CFLAGS) -c -o $@ $<
$(BUILD)/guest/obj/%.S.o: $(MG_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(MG_CFLAGS) -c -o $@ $<

$(BUILD)/guest/microguest.elf: $(MG_OBJS) $(MG_DIR)/microguest.ld
	$(CC) $(MG_CFLAGS) $(MG_LDFLAGS) -o $@ $(MG_OBJS)

EXTRA_ALL += $(BUILD)/guest/microguest.elf
