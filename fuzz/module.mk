# fuzz/module.mk — libFuzzer harnesses over the guest-facing device model
# and the file parsers (fuzz/README.md). Built with clang, ASan + UBSan,
# from their own objects in $(BUILD)/fuzz/obj: the normal gcc objects are
# never touched, and `make all` does not build them (the smoke test does).
#
#   make fuzz FUZZ_SECONDS=N   every harness N seconds, findings kept in $(BUILD)/fuzz/corpus
#   make fuzz-smoke            a few seconds each from the committed seeds; fails on any crash
#   make fuzz-build            just the binaries, in $(BUILD)/fuzz/bin

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_OBJDIR := $(FUZZ_DIR)/obj
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -O1 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Ivmm -Ibench -Ireports -Ifuzz \
	-MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link

FUZZ_HARNESSES := fuzz_virtqueue fuzz_mmio fuzz_pci fuzz_elf fuzz_linuxboot fuzz_config fuzz_results \
	fuzz_mailbox
# irqpath-qemu-micro's reader of the micro-guest's report lines (guest-agent/qemu)
FUZZ_HARNESSES += fuzz_mgframe
# the virtio-mmio interrupt variants' register files (docs/variants.md)
FUZZ_HARNESSES += fuzz_mmio_variant

# The VMM's guest-facing code is one library (the lists vmm/module.mk and
# vmm/linuxboot/module.mk keep), built once per flavour; a harness links it
# and the linker takes the objects it uses. Other harnesses list their own
# sources and libraries.
FUZZ_VMM_SRCS := $(VMM_GUEST_FACING_SRCS) $(LINUXBOOT_SRCS)
FUZZ_VMM_HARNESSES := fuzz_virtqueue fuzz_mmio fuzz_pci fuzz_elf fuzz_linuxboot fuzz_mailbox \
	fuzz_mmio_variant
FUZZ_VMM_LIBS := -lpthread -ljansson
FUZZ_SRCS_fuzz_config := bench/config.c
FUZZ_LIBS_fuzz_config := -linih
FUZZ_SRCS_fuzz_results := reports/results.c common/jsonio.c common/cleanup.c common/stats.c \
	common/metrics.c common/metrics_eval.c common/atomic_file.c common/atomic_json.c
FUZZ_LIBS_fuzz_results := -ljansson -lm
FUZZ_SRCS_fuzz_mgframe := guest-agent/qemu/mg_frame.c

FUZZ_BINS := $(addprefix $(FUZZ_DIR)/bin/,$(FUZZ_HARNESSES))

# Every object also depends on every header it could include: the -MMD
# files name targets by the BUILD spelling of the run that wrote them
# (relative from make, absolute from the test suite), so on their own
# they can miss a changed struct and leave a stale object behind.
FUZZ_HDRS := $(wildcard include/irqpath/*.h vmm/*.h vmm/linuxboot/*.h bench/*.h reports/*.h common/*.h fuzz/*.h)

$(FUZZ_OBJDIR)/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# fuzz_vmm_lib DIR: the guest-facing library from the objects under DIR/obj
define fuzz_vmm_lib
$(1)/lib/libirqpath-vmm-guest.a: $(FUZZ_VMM_SRCS:%.c=$(1)/obj/%.o)
	@mkdir -p $$(dir $$@)
	rm -f $$@ && $$(AR) rcs $$@ $$^
endef
$(eval $(call fuzz_vmm_lib,$(FUZZ_DIR)))

# What harness H links besides its own object: its sources, or the VMM library.
fuzz_inputs = $(if $(filter $(1),$(FUZZ_VMM_HARNESSES)),$(2)/lib/libirqpath-vmm-guest.a,\
	$(FUZZ_SRCS_$(1):%.c=$(2)/obj/%.o))
fuzz_libs = $(if $(filter $(1),$(FUZZ_VMM_HARNESSES)),$(FUZZ_VMM_LIBS),$(FUZZ_LIBS_$(1)))

define fuzz_harness_rule
$(FUZZ_DIR)/bin/$(1): $(FUZZ_OBJDIR)/fuzz/$(1).o $(call fuzz_inputs,$(1),$(FUZZ_DIR))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_SAN) -fsanitize=fuzzer -o $$@ $$^ $(call fuzz_libs,$(1))
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call fuzz_harness_rule,$(h))))

# Source coverage of the corpora: the same harnesses, instrumented for
# llvm-cov instead of sanitizers, replayed over every corpus input.
FUZZ_COVDIR := $(FUZZ_DIR)/cov
FUZZ_COV_CFLAGS := -O0 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Ivmm -Ibench \
	-Ireports -Ifuzz -MMD -MP -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link

$(FUZZ_COVDIR)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COV_CFLAGS) -c -o $@ $<

$(eval $(call fuzz_vmm_lib,$(FUZZ_COVDIR)))

define fuzz_cov_rule
$(FUZZ_COVDIR)/bin/$(1): $(FUZZ_COVDIR)/obj/fuzz/$(1).o $(call fuzz_inputs,$(1),$(FUZZ_COVDIR))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) -fprofile-instr-generate -fsanitize=fuzzer -o $$@ $$^ $(call fuzz_libs,$(1))
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call fuzz_cov_rule,$(h))))

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-list fuzz-coverage
fuzz-coverage: $(addprefix $(FUZZ_COVDIR)/bin/,$(FUZZ_HARNESSES))
	bash fuzz/coverage.sh $(BUILD) $(FUZZ_HARNESSES)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	bash fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) campaign $(FUZZ_HARNESSES)

fuzz-smoke: fuzz-build
	bash fuzz/run.sh $(BUILD) $(FUZZ_SMOKE_SECONDS) smoke $(FUZZ_HARNESSES)

fuzz-list:
	@echo $(FUZZ_HARNESSES)
