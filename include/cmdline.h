/*
 * Kernel command-line options (kernel/cmdline.c).
 *
 * Each module declares its own options next to the code they control:
 *
 *     static const char *set_hz(const char *value) { ...; return NULL; }
 *     BOOT_OPTION("hz", set_hz, "timer interrupts per second, 10-1000");
 *
 * The setter returns NULL when it accepted the value, or a short reason.
 * A bad or unknown option is reported on the console and ignored.
 */
#pragma once

#include "types.h"

struct boot_option {
    const char *name;
    const char *(*set)(const char *value);
    const char *help;
};

#define BOOT_OPTION(name_str, setter, help_str)                                                    \
    static const struct boot_option boot_option_##setter                                          \
        __attribute__((section(".boot_options"), used, aligned(4))) = {name_str, setter, help_str}

/* Applies every key=value word of cmdline up to a word "--"; returns how
 * many were rejected. */
int cmdline_apply(const char *cmdline);
/* What followed "--" on the command line: init's arguments, as on Linux
 * ("" when there was none). */
const char *cmdline_init_args(void);

/* Parses a decimal number into *out; false unless the whole string is digits. */
bool parse_uint(const char *s, uint32_t *out);
