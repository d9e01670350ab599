/*
 * The one place where the kernel command line is parsed. Words are separated
 * by spaces; each must be key=value, where key names a BOOT_OPTION.
 */
#include "cmdline.h"
#include "printk.h"
#include "string.h"

#define WORD_MAX 128

extern const struct boot_option __boot_options_start[], __boot_options_end[];

static const struct boot_option *find_option(const char *name)
{
    for (const struct boot_option *o = __boot_options_start; o < __boot_options_end; o++)
        if (!strcmp(o->name, name))
            return o;
    return NULL;
}

/* Returns 0 when the word was applied, 1 when it was rejected. */
static int apply_word(char *word)
{
    char *eq = strchr(word, '=');
    const struct boot_option *opt;
    const char *why;

    if (!eq || eq == word) {
        pr_warn("cmdline: malformed option '%s' (expected key=value), ignored\n", word);
        return 1;
    }
    *eq = '\0';
    opt = find_option(word);
    if (!opt) {
        pr_warn("cmdline: unknown option '%s', ignored\n", word);
        return 1;
    }
    why = opt->set(eq + 1);
    if (why) {
        pr_warn("cmdline: bad value '%s' for %s (%s), ignored\n", eq + 1, word, why);
        return 1;
    }
    return 0;
}

static const char *init_args = "";

const char *cmdline_init_args(void) { return init_args; }

int cmdline_apply(const char *cmdline)
{
    char word[WORD_MAX];
    int rejected = 0;

    while (*cmdline) {
        size_t n = 0;
        while (*cmdline == ' ')
            cmdline++;
        while (cmdline[n] && cmdline[n] != ' ')
            n++;
        if (n >= sizeof(word)) {
            pr_warn("cmdline: option of %u bytes is too long, ignored\n", (unsigned)n);
            rejected++;
        } else if (n == 2 && !strncmp(cmdline, "--", 2)) {
            init_args = cmdline + n; /* as Linux: the rest is init's */
            break;
        } else if (n) {
            memcpy(word, cmdline, n);
            word[n] = '\0';
            rejected += apply_word(word);
        }
        cmdline += n;
    }
    return rejected;
}

bool parse_uint(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

static const char *set_log(const char *value)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(value, names[i])) {
            log_set_level((enum log_level)i);
            return NULL;
        }
    }
    return "expected error, warn, info or debug";
}
BOOT_OPTION("log", set_log, "console log level: error, warn, info or debug");
