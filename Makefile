# irqpath top-level Makefile (non-recursive: each component adds itself
# through a module.mk fragment, the way kbuild-style trees do).
#
#   make                 build everything into $(BUILD)
#   make test            build and run every test (unit + real KVM/BPF/QEMU)
#   make test-asan       the same under ASan+UBSan, in build-asan/
#   make bench PROFILE=mmio-v3|mmio-legacy|pci|all
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
SAN     ?=

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -MMD -MP
LDFLAGS  ?=
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

BIN := $(BUILD)/bin
OBJ := $(BUILD)/obj

# A fresh machine: the Debian packages every component lists in its
# debian-packages.txt are installed by `make deps` (scripts/install-deps.sh;
# as non-root it prints the exact apt-get command instead). Nothing installs
# while make reads this file: until $(DEPS_STAMP) exists, every goal is
# routed through deps-then-build, which runs `make deps` as a recipe and
# then the goals in a sub-make. `make -n` therefore only prints it.
DEPS_STAMP := $(BUILD)/.deps-ok
NO_DEPS_GOALS := clean deps format fuzz-list
ifeq ($(wildcard $(DEPS_STAMP))$(IRQPATH_DEPS_CHECKED),)
ifneq ($(filter-out $(NO_DEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
IRQPATH_ROUTE_DEPS := 1
endif
endif

ifdef IRQPATH_ROUTE_DEPS
ROUTED_GOALS := $(or $(MAKECMDGOALS),all)
.PHONY: deps-then-build $(ROUTED_GOALS)
$(ROUTED_GOALS): deps-then-build
	@:
deps-then-build:
	bash scripts/install-deps.sh && mkdir -p $(BUILD) && touch $(DEPS_STAMP)
	+$(MAKE) IRQPATH_DEPS_CHECKED=1 $(MAKECMDGOALS)
else
# Filled in by module.mk fragments.
BINS        :=
UNIT_TESTS  :=
EXTRA_ALL   :=

.PHONY: all test test-asan test-l1 check-tests clean install format bench deps

all:

# Every component fragment; order does not matter, except that fuzz/ builds
# the other components' source lists and so reads them first.
# A host without /dev/kvm (a kvm-pvm guest kernel does not bind one) runs
# `make bench` inside the emulated SVM host (hosts/svm-tcg) unless HOST= on
# the command line says where: the main job works on every machine, and
# says where it ran. Set before the modules read HOST.
ifneq ($(origin HOST),command line)
ifeq ($(wildcard /dev/kvm),)
HOST := svm-tcg
HOST_AUTO := 1
endif
endif

include $(filter-out fuzz/module.mk,$(sort $(wildcard */module.mk */*/module.mk))) fuzz/module.mk

all: $(BINS) $(UNIT_TESTS) $(EXTRA_ALL)


# Generic object rule: build/obj/<path>.o from <path>.c. Extra flags for
# one source are keyed by its path: CFLAGS_collectors/backend_bpf.c := ...
$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_$<) -c -o $@ $<

# The tests also use the Debian kernel image (guest-agent/linux-image):
# build it first so no test has to skip for want of it.
test: all guest-linux
	@bash tests/run-tests.sh $(BUILD)

test-asan:
	$(MAKE) BUILD=build-asan SAN=1 test

# The long campaign: every KVM test (inside the emulated SVM host when this
# host has no /dev/kvm; make test runs only those marked "need_kvm l1"
# there) and the long tests (long_test: each boots that host for itself).
test-l1: all guest-linux
	@IRQPATH_KVM_VIA_L1=all IRQPATH_LONG=1 bash tests/run-tests.sh $(BUILD)

clean:
	rm -rf build build-asan

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/irqpath/guest
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/guest/microguest.elf $(DESTDIR)$(PREFIX)/share/irqpath/guest/
	cp -r configs $(DESTDIR)$(PREFIX)/share/irqpath/
	@# GUEST=linux runs need the Debian-kernel guest: build it (a no-op when
	@# built; it downloads the kernel package once) and ship it
	@if $(MAKE) --no-print-directory guest-linux; then \
		install -d $(DESTDIR)$(PREFIX)/share/irqpath/guest-linux && \
		install -m 644 $(BUILD)/guest-linux/vmlinuz $(BUILD)/guest-linux/initramfs.cpio.gz \
			$(DESTDIR)$(PREFIX)/share/irqpath/guest-linux/ && \
		echo "install: Linux guest in $(DESTDIR)$(PREFIX)/share/irqpath/guest-linux"; \
	else \
		echo "install: the Linux guest could not be built, so GUEST=linux runs of the" \
			"installed tools will stop; run 'make guest-linux' then 'make install' again" >&2; \
	fi

deps:
	bash scripts/install-deps.sh && mkdir -p $(BUILD) && touch $(DEPS_STAMP)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
endif
