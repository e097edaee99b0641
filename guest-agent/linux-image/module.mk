# guest-agent/linux-image: `make guest-linux` -> $(BUILD)/guest-linux/
#   vmlinuz, KERNEL_VERSION, config, modules/ (+ load-order),
#   bin/ (static irqpath-rr, irqpath-agent), initramfs.cpio.gz
# Not part of `all` (it downloads Debian's kernel package once, with
# apt-get download, into $(BUILD)/guest-linux/cache); a no-op when built.
# The static programs never use SAN flags: ASan cannot link statically.
GUEST_LINUX := $(BUILD)/guest-linux
GUEST_OBJ := $(GUEST_LINUX)/obj
GUEST_CFLAGS := -O2 -g -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -DRR_NO_RESOLVER -MMD -MP

$(GUEST_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# the atomic file writer every tool shares (common/)
GUEST_COMMON_OBJS := $(GUEST_OBJ)/common/atomic_file.o $(GUEST_OBJ)/common/atomic_json.o

$(GUEST_LINUX)/bin/irqpath-rr: $(patsubst %.c,$(GUEST_OBJ)/%.o,$(wildcard guest-agent/rr/*.c)) \
		$(GUEST_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -static -o $@ $^ -ljansson -lm

$(GUEST_LINUX)/bin/irqpath-agent: $(GUEST_OBJ)/guest-agent/irqstat/agent_main.o \
		$(GUEST_OBJ)/guest-agent/irqstat/agent_netdev.o \
		$(GUEST_OBJ)/guest-agent/irqstat/irqstat.o $(GUEST_OBJ)/guest-agent/irqstat/irqstat_json.o \
		$(GUEST_OBJ)/guest-agent/irqstat/irqstat_settle.o $(GUEST_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -static -o $@ $^ -ljansson

$(GUEST_LINUX)/vmlinuz: guest-agent/linux-image/fetch-kernel.sh
	bash guest-agent/linux-image/fetch-kernel.sh $(GUEST_LINUX)/cache $(GUEST_LINUX)
	@touch $@

$(GUEST_LINUX)/initramfs.cpio.gz: $(GUEST_LINUX)/vmlinuz $(GUEST_LINUX)/bin/irqpath-rr \
		$(GUEST_LINUX)/bin/irqpath-agent guest-agent/linux-image/init \
		guest-agent/linux-image/mkinitramfs.sh
	bash guest-agent/linux-image/mkinitramfs.sh $@

.PHONY: guest-linux
guest-linux: $(GUEST_LINUX)/initramfs.cpio.gz
