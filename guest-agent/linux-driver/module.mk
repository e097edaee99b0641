# guest-agent/linux-driver: the virtio-mmio (v1/v2/v3) guest driver module.
# Not part of `all`: it downloads Debian's kernel headers (once, cached).
#   make driver   ->  $(BUILD)/driver/irqpath_virtio_mmio.ko
DRIVER_DIR  := guest-agent/linux-driver
DRIVER_KO   := $(BUILD)/driver/irqpath_virtio_mmio.ko
DRIVER_SRCS := $(wildcard $(DRIVER_DIR)/*.c $(DRIVER_DIR)/*.h) $(DRIVER_DIR)/Kbuild \
               $(DRIVER_DIR)/build-module.sh include/irqpath/virtio_mmio_v3.h \
               include/irqpath/virtio_mmio_variants.h \
               $(wildcard $(BUILD)/guest-linux/KERNEL_VERSION)

.PHONY: driver
driver: $(DRIVER_KO)

$(DRIVER_KO): $(DRIVER_SRCS)
	bash $(DRIVER_DIR)/build-module.sh $(BUILD)

# The vector plan (vmmio_vectors.h, shared with the module) against the
# v3 device rule: a user-space cmocka test, part of `make` / `make test`.
$(BUILD)/tests/test-linux-driver-vectors: $(OBJ)/guest-agent/linux-driver/tests/test_vmmio_vectors.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

UNIT_TESTS += $(BUILD)/tests/test-linux-driver-vectors

# One initramfs for Linux guests on irqpath-vmm, all three profiles: the
# default image plus this module and its hook. The stock virtio_mmio stays
# in (mmio-legacy runs it with irqpath.driver_args=stock=1; without ACPI or
# a device tree nothing else declares the device for it); mmio-v3 binds this
# driver; pci passes irqpath.driver=off.
GUEST_VMM_INITRD := $(BUILD)/guest-linux/vmm-initramfs.cpio.gz
$(GUEST_VMM_INITRD): $(BUILD)/guest-linux/initramfs.cpio.gz $(DRIVER_KO) $(DRIVER_DIR)/guest-hook.sh \
		guest-agent/linux-image/mkinitramfs.sh
	bash guest-agent/linux-image/mkinitramfs.sh $@ \
	    --add $(DRIVER_KO):/lib/modules/irqpath/irqpath_virtio_mmio.ko \
	    --add $(DRIVER_DIR)/guest-hook.sh:/etc/irqpath/hooks/20-irqpath-driver.sh

.PHONY: guest-linux-vmm
guest-linux-vmm: $(GUEST_VMM_INITRD)

# All three profiles' Linux guests on irqpath-vmm in one emulated SVM host
# (make test runs only mmio-v3: tests/integration/linux-vmm-svm.sh).
.PHONY: test-linux-vmm-all
test-linux-vmm-all: all guest-linux-vmm
	LINUX_VMM_PROFILES="mmio-legacy mmio-v3 mmio-addrdata mmio-addrdata-shared pci" bash tests/run-tests.sh $(BUILD) linux-vmm-svm

# The v3 driver with 2 queue pairs on irqpath-vmm with 2 vCPUs, in the
# emulated SVM host (minutes; skips while irqpath-vmm lacks --vcpus).
.PHONY: test-linux-vmm-mq
test-linux-vmm-mq: all guest-linux-vmm
	bash guest-agent/linux-driver/svm-mq-test.sh
