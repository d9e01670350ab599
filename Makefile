# Relay: `make run` boots it, `make test` tests it. Both install what is missing.
#
#   make              build build/relay.elf (and compile_commands.json)
#   make iso          build/relay.iso, bootable through GRUB multiboot2
#   make run          boot the ISO in QEMU, in this terminal (quit: Ctrl-A X, help: Ctrl-A H)
#                     DISPLAY_MODE=curses: QEMU's own curses display instead of
#                     tools/relay-console (quit: Esc 2, then "quit"; it drops Ctrl-\)
#   make test         every test; make test SUITE=name runs one suite
#   make fuzz         the fuzzer's long run, seeds from the clock (MINUTES=10)
#   make bench        instruction counts under -icount
#   make trace        the signal demos' event traces drawn: build/trace.html
#   make debug / gdb  QEMU halted with its gdb stub / gdb attached to it
#
# CROSS= or CC= choose another compiler, e.g. CROSS=i686-elf- or
# CC="clang --target=i686-elf" LD=ld.lld.

VERSION := 0.1.0
CROSS ?= i686-linux-gnu-
ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
ifeq ($(origin LD),default)
LD := $(CROSS)ld
endif
STRIP := $(CROSS)strip
NASM ?= nasm
QEMU ?= qemu-system-i386
PYTHON ?= python3
GDB ?= gdb

# make V=1 shows the full commands.
Q := $(if $(V),,@)

BUILD := build
OBJ := $(BUILD)/obj
GEN := $(BUILD)/gen
KERNEL := $(BUILD)/relay.elf
ISO := $(BUILD)/relay.iso
TEST_ISO := $(BUILD)/relay-test.iso

C_SOURCES := $(sort $(wildcard kernel/*.c kernel/*/*.c arch/x86/*.c drivers/*.c))
ASM_SOURCES := $(sort $(wildcard boot/*.asm arch/x86/*.asm))
# Linux's name for each system-call number, made from the cross toolchain's
# <asm/unistd_32.h> (tools/syscall-table), for the log of unimplemented calls.
SYSCALL_NAMES := $(GEN)/syscall_names.c
OBJECTS := $(C_SOURCES:%.c=$(OBJ)/%.o) $(ASM_SOURCES:%.asm=$(OBJ)/%.o) $(OBJ)/$(SYSCALL_NAMES:.c=.o)

CFLAGS := -std=gnu11 -ffreestanding -fno-pie -fno-stack-protector -fno-builtin \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -Og -g -Wall -Wextra -Werror \
	-Iinclude -DRELAY_VERSION='"$(VERSION)"'
# -m32 matters only for a host or clang compiler; the cross gcc is 32-bit already.
ifneq ($(findstring clang,$(CC)),)
CFLAGS += -m32
endif
NASMFLAGS := -f elf32 -g -F dwarf -I$(GEN)/ -Iarch/x86/
# 64-bit division comes from libgcc; clang --target=i686-elf names a libgcc it
# does not have, so fall back to the cross gcc's. Deferred (=, not :=): it is
# read when the link runs, after tools/setup has installed the compiler. A
# newcomer's first `make` starts with no compiler at all.
LIBGCC = $(firstword $(wildcard $(shell $(CC) -print-libgcc-file-name 2>/dev/null) \
	$(shell $(CROSS)gcc -print-libgcc-file-name 2>/dev/null)))

GRUB_MODULES := multiboot2 normal iso9660 biosdisk part_msdos
GRUB_MKRESCUE := grub-mkrescue --install-modules="$(GRUB_MODULES)" --fonts= --locales= --themes=

QEMU_COMMON := -m 128M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04

USER_BUILD := $(BUILD)/user
USER_PROGRAMS := $(notdir $(basename $(wildcard user/bin/*.c)))

# The root file system: Debian's BusyBox (tools/setup fetches it) with a link
# for each applet, Relay's programs in /bin (as relay-NAME where BusyBox has
# NAME: relay-sh, relay-echo), and the staging tree build/rootfs (/tmp, /etc).
BUSYBOX := $(BUILD)/busybox/bin/busybox
ROOTFS := $(BUILD)/rootfs
PROGRAMS_DIR := $(BUILD)/programs
INITRAMFS := $(BUILD)/initramfs.cpio

.PHONY: all kernel user rootfs iso test-iso run test bench debug gdb setup clean
all: kernel user

kernel: $(KERNEL) compile_commands.json

# Installs missing tools (fast when nothing is missing); order-only below.
setup:
	@tools/setup

$(KERNEL): $(OBJECTS) linker.ld | setup
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -T linker.ld -nostdlib -o $@ $(OBJECTS) $(LIBGCC)

$(OBJ)/%.o: %.c | setup
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.asm $(GEN)/trapframe.inc | setup
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(SYSCALL_NAMES): tools/syscall-table | setup
	@mkdir -p $(dir $@)
	$(Q)tools/syscall-table names > $@

# The trapframe's offsets are written once, in C; nasm gets a translation.
$(GEN)/trapframe.inc: include/trapframe_layout.h
	@mkdir -p $(dir $@)
	sed -n 's/^#define \(TF_[A-Z_0-9]*\) \([0-9]*\)$$/%define \1 \2/p' $< > $@

# user/ has its own Makefile (libc, programs, differential tests).
user: | setup
	@$(MAKE) -s --no-print-directory -C user BUILD=$(abspath $(USER_BUILD))

rootfs: user | setup
	$(Q)rm -rf $(ROOTFS) $(PROGRAMS_DIR) && mkdir -p $(ROOTFS)/etc $(PROGRAMS_DIR)
	$(Q)mkdir -m 1777 $(ROOTFS)/tmp
	$(Q)echo "root:x:0:0:root:/:/bin/sh" > $(ROOTFS)/etc/passwd
	$(Q)echo "root:x:0:" > $(ROOTFS)/etc/group
	$(Q)cp $(addprefix $(USER_BUILD)/,$(USER_PROGRAMS)) $(PROGRAMS_DIR)/
	$(Q)$(STRIP) --strip-debug $(addprefix $(PROGRAMS_DIR)/,$(USER_PROGRAMS))

$(INITRAMFS): rootfs tools/mkinitramfs tools/initramfs.py
	@echo "  CPIO    $@"
	$(Q)tools/mkinitramfs -o $@ --busybox $(BUSYBOX) --programs $(PROGRAMS_DIR) $(ROOTFS) >/dev/null

compile_commands.json: Makefile $(C_SOURCES)
	@tools/compile-commands $@ "$(CC)" "$(CFLAGS)" $(C_SOURCES)

# $(call make-iso,OUTPUT,DIR,GRUB_CFG,EXTRA_FILES,MODULES): EXTRA_FILES go to
# /boot; each of MODULES (names among them) becomes a module2 line where
# GRUB_CFG says @MODULES@. The ISO's kernel loses its debug information (gdb
# reads it from build/, the code is the same).
define make-iso
	@echo "  ISO     $(1)"
	$(Q)rm -rf $(2) && mkdir -p $(2)/boot/grub
	$(Q)$(STRIP) --strip-debug -o $(2)/boot/relay.elf $(KERNEL)
	$(Q)$(if $(4),cp $(4) $(2)/boot/)
	$(Q){ sed '/^ *# @MODULES@$$/,$$d' $(3); \
	  for m in $(5); do echo "    module2 /boot/$$m $$m"; done; \
	  sed -n '/^ *# @MODULES@$$/,$$p' $(3) | sed '1d'; } > $(2)/boot/grub/grub.cfg
	$(Q)$(GRUB_MKRESCUE) -o $(1) $(2) 2>$(2).log || (cat $(2).log; false)
endef

iso: $(ISO)
$(ISO): $(KERNEL) boot/grub.cfg $(INITRAMFS)
	$(call make-iso,$@,$(BUILD)/iso,boot/grub.cfg,$(INITRAMFS),$(notdir $(INITRAMFS)))

test-iso: $(TEST_ISO)
$(TEST_ISO): $(KERNEL) tests/data/grub-test.cfg tests/data/hello.txt
	$(call make-iso,$@,$(BUILD)/iso-test,tests/data/grub-test.cfg,tests/data/hello.txt)

# tools/relay-console shows the VGA screen in this terminal and types every key on the
# PS/2 keyboard over QMP; DISPLAY_MODE=curses falls back to QEMU's -display curses.
DISPLAY_MODE ?= console
ifeq ($(filter console curses,$(DISPLAY_MODE)),)
$(error DISPLAY_MODE must be console or curses, not "$(DISPLAY_MODE)")
endif
RUN_QEMU = $(QEMU) $(QEMU_COMMON) -cdrom $(ISO) -serial file:$(BUILD)/serial.log
ifeq ($(DISPLAY_MODE),curses)
RUN_QUIT := Quit: press Esc then 2, type quit, Enter.
run-display = $(RUN_QEMU) $(2) -display curses
else
RUN_QUIT := Quit: Ctrl-A X. Help: Ctrl-A H.
run-display = $(PYTHON) tools/relay-console --note "$(1)" -- $(RUN_QEMU) $(2)
endif

run: $(ISO)
	@echo "Relay in QEMU: the screen below is the VGA console and takes PS/2 keys."
	@echo "The serial log goes to $(BUILD)/serial.log. $(RUN_QUIT)"
	@sleep 1
	$(Q)$(call run-display,,)

test: $(KERNEL) $(TEST_ISO) user
	$(PYTHON) tests/run.py $(if $(SUITE),--suite $(SUITE))

# The long fuzz run (docs/fuzzing.md); make test runs a short fixed-seed pass.
MINUTES ?= 10
.PHONY: fuzz
fuzz: $(KERNEL) user
	$(PYTHON) tests/harness/fuzzing.py --long --minutes=$(MINUTES)

# Instruction counts under -icount; figures and method in docs/benchmarks.md.
bench: $(KERNEL) user
	@$(PYTHON) tools/bench

debug: $(ISO)
	@port=$$($(PYTHON) -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'); \
	echo $$port > $(BUILD)/gdb-port; \
	echo "QEMU is halted with its gdb stub on port $$port; run 'make gdb' in another terminal"; \
	echo "(or: gdb -q -x tools/gdb/relay.gdb -ex 'target remote 127.0.0.1:$$port'). docs/gdb.md"; \
	echo "$(RUN_QUIT)"; sleep 1; \
	$(call run-display,gdb stub on port $$port: make gdb,-gdb tcp:127.0.0.1:$$port -S)

# gdb with tools/gdb/relay.gdb (loaded explicitly: no auto-load settings to change) and the
# symbols of user program PROG, if built; relay-user switches programs (docs/gdb.md).
# No $(KERNEL) prerequisite: a rebuild now would no longer match the kernel QEMU booted.
PROG ?= sigdemo
gdb:
	@test -f $(BUILD)/gdb-port || { echo "no $(BUILD)/gdb-port: start 'make debug' first"; exit 1; }
	$(GDB) -q -x tools/gdb/relay.gdb \
		$(if $(wildcard $(USER_BUILD)/$(PROG)),-ex 'add-symbol-file $(USER_BUILD)/$(PROG)') \
		-ex "target remote 127.0.0.1:$$(cat $(BUILD)/gdb-port)"

# Record the signal demos under -icount and draw them: build/trace.svg, build/trace.html.
.PHONY: trace
trace: $(KERNEL) user
	$(PYTHON) tools/trace-demo

clean:
	rm -rf $(BUILD)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
