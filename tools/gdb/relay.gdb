# Relay's gdb setup: the kernel's symbols and the relay-* commands.
#
# Load it explicitly, from the repository root, so gdb's auto-load safety
# settings never need to change:
#
#     gdb -q -x tools/gdb/relay.gdb -ex 'target remote 127.0.0.1:PORT'
#
# `make gdb` and `tools/relay run --gdb` print or run the full command
# (docs/gdb.md). The commands themselves are in tools/gdb/relay.py.

# add-symbol-file and friends ask before they change anything; a script cannot answer.
set confirm off
set pagination off
# Relay is a 32-bit kernel; QEMU must be qemu-system-i386 (see docs/gdb.md).
set architecture i386
set disassembly-flavor intel
file build/relay.elf
source tools/gdb/relay.py
