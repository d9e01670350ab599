/*
 * Leaving QEMU from the guest through the isa-debug-exit device
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04). Writing v makes QEMU exit
 * with status (v << 1) | 1, so no guest write can produce 0; a triple fault
 * under -no-reboot exits with 0, which therefore never means success.
 *
 * The host test runner (tests/harness/qemu.py) maps these statuses back.
 */
#pragma once

#include "types.h"

#define QEMU_EXIT_PORT 0xF4

enum qemu_exit_code {
    QEMU_EXIT_PASS = 0x10,  /* QEMU status 33: every test passed */
    QEMU_EXIT_FAIL = 0x11,  /* QEMU status 35: a test failed */
    QEMU_EXIT_PANIC = 0x12, /* QEMU status 37: the kernel panicked */
};

/* Exits QEMU; returns only when there is no isa-debug-exit device. */
void qemu_exit(enum qemu_exit_code code);
