# guest-agent/linux-driver: the virtio-mmio (v1/v2/v3) guest driver module.
# Not part of `all`: it downloads Debian's kernel headers (once, cached).
#   make driver   ->  $(BUILD)/driver/irqpath_virtio_mmio.ko
DRIVER_DIR  := guest-agent/linux-driver
DRIVER_KO   := $(BUILD)/driver/irqpath_virtio_mmio.ko
DRIVER_SRCS := $(wildcard $(DRIVER_DIR)/*.c $(DRIVER_DIR)/*.h) $(DRIVER_DIR)/Kbuild \
               $(DRIVER_DIR)/build-module.sh include/irqpath/virtio_mmio_v3.h \
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
