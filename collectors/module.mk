# collectors/module.mk: irqpath-trace (BPF + tracefs backends) and the
# KVM test fixture its integration tests drive.
TRACE_SRCS := $(wildcard collectors/*.c)
TRACE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(TRACE_SRCS))
TRACE_LIBS := -lbpf -lelf -lz -ltracefs -ltraceevent -ljansson

# backend_bpf.c includes the generated skeleton
$(OBJ)/collectors/backend_bpf.o: $(BPF_SKEL)
CFLAGS_collectors/backend_bpf.c := -I$(BPF_OUT)
CFLAGS_collectors/backend_tracefs.c := $(shell pkg-config --cflags libtracefs 2>/dev/null)
CFLAGS_collectors/tracefs_reader.c := $(CFLAGS_collectors/backend_tracefs.c)
CFLAGS_collectors/exit_names.c := $(shell pkg-config --cflags libtraceevent 2>/dev/null)

$(BIN)/irqpath-trace: $(TRACE_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRACE_LIBS)

BINS += $(BIN)/irqpath-trace

# test fixture: a tiny VMM with exactly known MMIO/PIO/interrupt counts
$(BUILD)/fixtures/trace-exerciser: $(OBJ)/tests/fixtures/trace-exerciser.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

EXTRA_ALL += $(BUILD)/fixtures/trace-exerciser

# unit tests (no kernel needed), named test-trace-<topic>: the decoding
# and snapshot on synthetic counters; the exit-reason table on the
# kvm_exit format files in collectors/tests/fixtures
TRACE_UNIT_OBJS := $(addprefix $(OBJ)/collectors/,counts.o decode.o exit_names.o layout.o \
		     live_json.o live_rows.o live_text.o report.o report_text.o report_vcpu.o \
		     tracefs_hist.o tracer_common.o vcpu_attr.o)
CFLAGS_collectors/tests/test_trace_exit_names.c := -DTRACE_FIXTURES='"$(CURDIR)/collectors/tests/fixtures"'
CFLAGS_collectors/tests/test_trace_decode.c := $(CFLAGS_collectors/tests/test_trace_exit_names.c)

$(BUILD)/tests/test-trace-decode: $(OBJ)/collectors/tests/test_trace_decode.o $(TRACE_UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson -ltraceevent

$(BUILD)/tests/test-trace-exit-names: $(OBJ)/collectors/tests/test_trace_exit_names.o \
				      $(OBJ)/collectors/exit_names.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ltraceevent

$(BUILD)/tests/test-trace-live: $(OBJ)/collectors/tests/test_trace_live.o $(TRACE_UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson -ltraceevent

CFLAGS_collectors/tests/test_trace_hist.c := $(CFLAGS_collectors/tests/test_trace_exit_names.c)
$(BUILD)/tests/test-trace-hist: $(OBJ)/collectors/tests/test_trace_hist.o \
				$(OBJ)/collectors/tracefs_hist.o $(OBJ)/collectors/counts.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

CFLAGS_collectors/tests/test_trace_vcpu.c := $(CFLAGS_collectors/tests/test_trace_exit_names.c)
$(BUILD)/tests/test-trace-vcpu: $(OBJ)/collectors/tests/test_trace_vcpu.o $(TRACE_UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson -ltraceevent -lpthread

UNIT_TESTS += $(BUILD)/tests/test-trace-decode $(BUILD)/tests/test-trace-exit-names \
	      $(BUILD)/tests/test-trace-vcpu \
	      $(BUILD)/tests/test-trace-live $(BUILD)/tests/test-trace-hist
