# bench/module.mk — irqpath-bench and the bench/report make targets.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out bench/main.c,$(BENCH_SRCS)))

$(BUILD)/tests/test_bench_config: $(OBJ)/bench/tests/test_config.o $(OBJ)/bench/config.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -linih -lcmocka

UNIT_TESTS += $(BUILD)/tests/test_bench_config

# irqpath-bench shares JSON I/O and statistics with irqpath-report.
BENCH_SHARED_OBJS := $(OBJ)/reports/jsonio.o $(OBJ)/reports/stats.o $(OBJ)/reports/cleanup.o \
	$(BUILD)/lib/libirqpath-common.a

$(BIN)/irqpath-bench: $(OBJ)/bench/main.o $(BENCH_LIB_OBJS) $(BENCH_SHARED_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -linih -ljansson -lm

BINS += $(BIN)/irqpath-bench

# ---- make bench / report / ci-bench ----
#   make bench PROFILE=mmio-v3|mmio-legacy|pci|all [BENCH_ARGS="-r 3 -n 500"]
#   make bench PROFILE=all HOST=svm-tcg   (inside the emulated SVM host: hosts/svm-tcg)
#   make bench PROFILE=pci GUEST=linux VMM=qemu   (Linux guest under irqpath-qemu;
#              builds the guest image first: make guest-linux)
#   make report [RUN=results/<run-id>]     (default: the newest run)
#   make ci-bench                           (all profiles, report, history)
PROFILE    ?= mmio-v3
RESULTS    ?= results
BENCH_ARGS ?=
RUN        ?=
GUEST      ?=
VMM        ?=
# GUEST=linux alone implies VMM=qemu (the only VMM the bench runs Linux on)
BENCH_KIND_ARGS := $(if $(GUEST),--guest-kind $(GUEST)) \
	$(if $(VMM),--vmm-kind $(VMM),$(if $(filter linux,$(GUEST)),--vmm-kind qemu))
BENCH_NEEDS := $(if $(filter linux,$(GUEST))$(filter qemu,$(VMM)),guest-linux)
.PHONY: report ci-bench

# irqpath-bench prints the run directory on stdout; its exit status is kept
# after the report so a failed repetition still fails make.
bench: all $(BENCH_NEEDS)
	@run=$$($(HOST_WRAP) $(BIN)/irqpath-bench --profile $(PROFILE) --out $(RESULTS) $(BENCH_KIND_ARGS) \
		$(BENCH_ARGS)); rc=$$?; \
	if [ -n "$$run" ]; then $(BIN)/irqpath-report "$$run" || rc=$$?; \
		echo "results: $$run/*.json  report: $$run/report.html"; fi; exit $$rc

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

$(BUILD)/tests/test_bench_merge: $(OBJ)/bench/tests/test_merge.o $(OBJ)/bench/merge.o \
		$(OBJ)/reports/jsonio.o $(OBJ)/reports/stats.o $(OBJ)/reports/cleanup.o $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lcmocka -lm

UNIT_TESTS += $(BUILD)/tests/test_bench_merge

$(BUILD)/tests/test_bench_linuxrec: $(OBJ)/bench/tests/test_linuxrec.o $(OBJ)/bench/linuxrec.o \
		$(OBJ)/reports/jsonio.o $(OBJ)/reports/cleanup.o $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lcmocka -lm

UNIT_TESTS += $(BUILD)/tests/test_bench_linuxrec
