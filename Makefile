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

# A fresh machine: before anything is compiled, install the Debian packages
# every component lists in its debian-packages.txt (as root; otherwise stop
# with the exact apt-get command to run). Checked once per build directory;
# `make deps` checks again.
DEPS_STAMP := $(BUILD)/.deps-ok
ifeq ($(wildcard $(DEPS_STAMP)),)
ifeq ($(filter clean deps format,$(MAKECMDGOALS)),)
DEPS_RC := $(shell bash scripts/install-deps.sh --check >/dev/null 2>&1 || bash scripts/install-deps.sh >&2; echo $$?)
ifneq ($(lastword $(DEPS_RC)),0)
$(error irqpath: Debian packages are missing (see above))
endif
$(shell mkdir -p $(BUILD) && touch $(DEPS_STAMP))
endif
endif

# Filled in by module.mk fragments.
BINS        :=
UNIT_TESTS  :=
EXTRA_ALL   :=

.PHONY: all test test-asan check-tests clean install format bench deps

all:

# Every component fragment; order does not matter.
include $(sort $(wildcard */module.mk */*/module.mk))

all: $(BINS) $(UNIT_TESTS) $(EXTRA_ALL)


# Generic object rule: build/obj/<path>.o from <path>.c
$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_$(notdir $(basename $@))) -c -o $@ $<

# The tests also use the Debian kernel image (guest-agent/linux-image):
# build it first so no test has to skip for want of it.
test: all guest-linux
	@bash tests/run-tests.sh $(BUILD)

test-asan:
	$(MAKE) BUILD=build-asan SAN=1 test

clean:
	rm -rf build build-asan

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/irqpath/guest
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/guest/microguest.elf $(DESTDIR)$(PREFIX)/share/irqpath/guest/
	cp -r configs $(DESTDIR)$(PREFIX)/share/irqpath/

deps:
	@bash scripts/install-deps.sh && mkdir -p $(BUILD) && touch $(DEPS_STAMP)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
