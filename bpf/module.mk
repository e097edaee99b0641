# bpf/module.mk: the KVM tracepoint programs, compiled with clang -target bpf
# (never with the sanitizer CFLAGS), plus the bpftool-generated skeleton the
# collector includes. vmlinux.h comes from the running kernel's BTF at build
# time and stays in $(BUILD).
BPF_OUT      := $(BUILD)/bpf
BPF_VMLINUX  := $(BPF_OUT)/vmlinux.h
BPF_OBJ      := $(BPF_OUT)/irqpath_trace.bpf.o
BPF_SKEL     := $(BPF_OUT)/irqpath_trace.skel.h
BPF_CLANG    ?= clang
BPFTOOL      ?= bpftool
BPF_BTF      ?= /sys/kernel/btf/vmlinux
BPF_ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

$(BPF_VMLINUX):
	@mkdir -p $(dir $@)
	@test -r $(BPF_BTF) || { echo "bpf: no kernel BTF at $(BPF_BTF) (CONFIG_DEBUG_INFO_BTF needed)" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(BPF_BTF) format c > $@.tmp && mv $@.tmp $@

$(BPF_OBJ): bpf/irqpath_trace.bpf.c bpf/irqpath_trace.h bpf/kvm_types.bpf.h $(BPF_VMLINUX)
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -target bpf -O2 -g -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_OUT) -Ibpf -c $< -o $@

$(BPF_SKEL): $(BPF_OBJ)
	$(BPFTOOL) gen skeleton $< name irqpath_trace > $@.tmp && mv $@.tmp $@

EXTRA_ALL += $(BPF_SKEL)
