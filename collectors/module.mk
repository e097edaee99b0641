# collectors/module.mk: irqpath-trace (BPF + tracefs backends) and the
# KVM test fixture its integration tests drive.
TRACE_SRCS := $(wildcard collectors/*.c)
TRACE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(TRACE_SRCS))
TRACE_LIBS := -lbpf -lelf -lz -ltracefs -ltraceevent -ljansson

# backend_bpf.c includes the generated skeleton
$(OBJ)/collectors/backend_bpf.o: $(BPF_SKEL)
CFLAGS_collectors/backend_bpf.c := -I$(BPF_OUT)
CFLAGS_collectors/backend_tracefs.c := $(shell pkg-config --cflags libtracefs 2>/dev/null)

$(BIN)/irqpath-trace: $(TRACE_OBJS) $(BUILD)/lib/libirqpath-common.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRACE_LIBS)

BINS += $(BIN)/irqpath-trace

# test fixture: a tiny VMM with exactly known MMIO/PIO/interrupt counts
$(BUILD)/fixtures/trace-exerciser: $(OBJ)/tests/fixtures/trace-exerciser.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

EXTRA_ALL += $(BUILD)/fixtures/trace-exerciser

# unit tests of the decoding (no kernel needed)
TRACE_UNIT_OBJS := $(addprefix $(OBJ)/collectors/,counts.o layout.o report.o tracer_common.o)
$(BUILD)/tests/test_trace_decode: $(OBJ)/collectors/tests/test_trace_decode.o $(TRACE_UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljansson

UNIT_TESTS += $(BUILD)/tests/test_trace_decode
