# hosts/svm-tcg/module.mk — the svm-tcg host kind: an L1 Linux under QEMU
# TCG with an emulated AMD SVM CPU, where kvm_amd runs the project's VMs and
# kvm:kvm_exit fires (hosts/svm-tcg/README.md).
#
#   make svm-tcg-image                   the L1 image ($(BUILD)/svm-tcg/)
#   make bench PROFILE=all HOST=svm-tcg  irqpath-bench inside L1 (GUEST=,
#                                        BENCH_ARGS= pass through; SVMHOST_ARGS=
#                                        adds runner options, e.g. --timeout 3600)
#   make svm-tcg-stalls                  20 x 1000-transaction runs per profile in one L1
#   make svm-tcg-compare                 exits/transaction and trans/s: L1 vs this KVM
SVMTCG := $(BUILD)/svm-tcg
SVMHOST := hosts/svm-tcg/irqpath-svmhost
SVMHOST_ARGS ?=
HOST ?=
.PHONY: svm-tcg-image svm-tcg-stalls svm-tcg-compare

$(SVMTCG)/L1.cpio.gz: hosts/svm-tcg/mkimage.sh hosts/svm-tcg/l1-init $(GUEST_LINUX)/vmlinuz
	bash hosts/svm-tcg/mkimage.sh --build $(BUILD)

svm-tcg-image: $(SVMTCG)/L1.cpio.gz

# HOST= picks where `make bench` runs irqpath-bench: here (empty or native)
# or inside the svm-tcg L1 (bench/module.mk puts $(HOST_WRAP) before it).
# An unknown HOST on the command line is an error; one inherited from the
# environment (some shells export HOST=<hostname>) is ignored.
# (HOST_AUTO: the Makefile chose svm-tcg because this host has no /dev/kvm.)
ifeq ($(HOST),svm-tcg)
HOST_WRAP = $(if $(HOST_AUTO),echo "make bench: no /dev/kvm on this host: running in the emulated SVM host (hosts/svm-tcg; HOST=native to refuse)" >&2;) $(SVMHOST) --build $(BUILD) $(SVMHOST_ARGS) --
bench: $(SVMTCG)/L1.cpio.gz
else ifneq ($(filter-out native,$(HOST)),)
ifeq ($(origin HOST),command line)
$(error HOST=$(HOST): unknown host kind (known: native, svm-tcg))
endif
endif
HOST_WRAP ?=

svm-tcg-stalls: all $(SVMTCG)/L1.cpio.gz
	bash hosts/svm-tcg/bench-stalls.sh --build $(BUILD) $(SVMHOST_ARGS)

svm-tcg-compare: all $(SVMTCG)/L1.cpio.gz
	bash hosts/svm-tcg/bench-compare.sh --build $(BUILD) $(SVMHOST_ARGS)

# what hostinfo records for each host kind
$(BUILD)/tests/test_bench_hostinfo: $(OBJ)/bench/tests/test_hostinfo.o $(OBJ)/bench/hostinfo.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lcmocka

UNIT_TESTS += $(BUILD)/tests/test_bench_hostinfo
