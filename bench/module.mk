# bench/module.mk — irqpath-bench and the bench/report make targets.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out bench/main.c,$(BENCH_SRCS)))

# irqpath-bench depends on common/ and its own folder only.
$(BIN)/irqpath-bench: $(OBJ)/bench/main.o $(BENCH_LIB_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -linih -ljansson -lm

BINS += $(BIN)/irqpath-bench

# test-bench-<topic>: bench/tests/test_<topic>.c against bench's objects
BENCH_UNIT := $(subst _,-,$(patsubst bench/tests/test_%.c,test-bench-%,$(wildcard bench/tests/test_*.c)))
define bench_unit_rule
$(BUILD)/tests/$(1): $(OBJ)/bench/tests/test_$(subst -,_,$(patsubst test-bench-%,%,$(1))).o $(BENCH_LIB_OBJS) \
		$(BUILD)/lib/libirqpath-common.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -linih -ljansson -lcmocka -lm
endef
$(foreach t,$(BENCH_UNIT),$(eval $(call bench_unit_rule,$(t))))
UNIT_TESTS += $(addprefix $(BUILD)/tests/,$(BENCH_UNIT))

# ---- make bench / report / ci-bench ----
#   make bench PROFILE=mmio-v3|mmio-legacy|pci|all|variants [BENCH_ARGS="-r 3 -n 500"]
#   make bench PROFILE=all HOST=svm-tcg   (inside the emulated SVM host: hosts/svm-tcg)
#   make bench PROFILE=pci GUEST=linux VMM=qemu   (Linux guest under irqpath-qemu;
#              builds the guest image first: make guest-linux)
#   make bench PROFILE=all QUEUES=1,2,4 [VCPUS=...]   (a sweep: one results
#              file per profile and point, the report's scaling section)
#   make bench-scaling [BENCH_SCALING_ARGS="-r 3 -n 1000"]   (bench/scaling.sh:
#              all profiles at 1, 2 and 4 queue pairs; prints the scaling table)
#   make report [RUN=results/<run-id>]     (default: the newest run)
#   make ci-bench                           (all profiles, report, history)
PROFILE    ?= mmio-v3
RESULTS    ?= results
BENCH_ARGS ?=
RUN        ?=
GUEST      ?=
VMM        ?=
QUEUES     ?=
VCPUS      ?=
# GUEST=linux alone implies VMM=qemu, except with HOST=svm-tcg, where KVM
# runs Linux: there it runs on irqpath-vmm (bench/runner_vmm_linux.c)
BENCH_LINUX_VMM := $(if $(filter svm-tcg,$(HOST)),irqpath-vmm,qemu)
BENCH_KIND_ARGS := $(if $(QUEUES),--queues $(QUEUES)) $(if $(VCPUS),--vcpus $(VCPUS)) \
	$(if $(GUEST),--guest-kind $(GUEST)) \
	$(if $(VMM),--vmm-kind $(VMM),$(if $(filter linux,$(GUEST)),--vmm-kind $(BENCH_LINUX_VMM)))
# VMM=qemu alone runs the micro-guest on QEMU's devices: no Linux image needed
BENCH_NEEDS := $(if $(filter linux,$(GUEST)),guest-linux) \
	$(if $(filter linux,$(GUEST)),$(if $(filter irqpath-vmm,$(or $(VMM),$(BENCH_LINUX_VMM))),guest-linux-vmm))
.PHONY: report ci-bench bench-scaling test-variants-stock-linux
# Stock Linux against mmio-v3 and mmio-addrdata, booted (minutes: not in `make test`)
test-variants-stock-linux: all guest-linux-vmm
	IRQPATH_BUILD=$(abspath $(BUILD)) IRQPATH_ROOT=$(CURDIR) bash tests/long/variants-stock-linux.sh

# irqpath-bench prints the run directory on stdout; its exit status is kept
# after the report so a failed repetition still fails make.
ifeq ($(PROFILE),variants)
# the design space (docs/variants.md): every virtio-mmio variant beside
# mmio-legacy, mmio-v3 and pci, their footprint, and the design-space table
# (+ Debian's kernel under its stock virtio_mmio on each mmio profile)
bench: all $(BENCH_NEEDS) guest-linux-vmm
	@run=$$($(HOST_WRAP) bash scripts/variants-bench.sh $(BUILD) $(RESULTS) $(BENCH_KIND_ARGS) \
		$(BENCH_ARGS)); rc=$$?; \
	if [ -n "$$run" ]; then $(BIN)/irqpath-report "$$run" || rc=$$?; \
		$(BIN)/irqpath-report design-space "$$run" || rc=$$?; \
		echo "results: $$run/*.json  report: $$run/report.html  design space: $$run/design-space.md"; \
	fi; exit $$rc
else
bench: all $(BENCH_NEEDS)
	@run=$$($(HOST_WRAP) $(BIN)/irqpath-bench --profile $(PROFILE) --out $(RESULTS) $(BENCH_KIND_ARGS) \
		$(BENCH_ARGS)); rc=$$?; \
	if [ -n "$$run" ]; then $(BIN)/irqpath-report "$$run" || rc=$$?; \
		echo "results: $$run/*.json  report: $$run/report.html"; fi; exit $$rc
endif

report: $(BIN)/irqpath-report
	@run="$(RUN)"; [ -n "$$run" ] || run=$$(ls -1dt $(RESULTS)/*/ 2>/dev/null | grep -v "/history/$$" | head -n 1); \
	if [ -z "$$run" ]; then echo "make report: no runs in $(RESULTS)/; run make bench first" >&2; exit 2; fi; \
	$(BIN)/irqpath-report "$${run%/}"

ci-bench: all $(BENCH_NEEDS)
	@run=$$($(BIN)/irqpath-bench --profile all --out $(RESULTS) $(BENCH_KIND_ARGS) \
		$(BENCH_ARGS)); rc=$$?; \
	[ -n "$$run" ] || exit 1; \
	$(BIN)/irqpath-report "$$run" || rc=$$?; \
	$(BIN)/irqpath-report history $(RESULTS)/history.jsonl --append "$$run" \
		--out $(RESULTS)/history || rc=$$?; exit $$rc

# the scaling table for 1, 2 and 4 queue pairs on every transport
BENCH_SCALING_ARGS ?=
bench-scaling: all $(if $(filter svm-tcg,$(HOST)),$(BUILD)/svm-tcg/L1.cpio.gz)
	@$(HOST_WRAP) bash bench/scaling.sh --build $(BUILD) --out $(RESULTS) $(BENCH_SCALING_ARGS)
