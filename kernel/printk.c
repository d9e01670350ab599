/*
 * A small printf engine. format_emit() walks the format string and hands
 * each output byte to a sink, so the console and a string buffer share one
 * implementation.
 */
#include <stdarg.h>

#include "console.h"
#include "printk.h"
#include "serial.h"

struct sink {
    void (*put)(struct sink *s, char c);
    char *buf;
    size_t size, len;
};

struct spec {
    bool left, zero;
    int width;
    int longs; /* 0 int, 1 long, 2 long long */
};

static void put_console(struct sink *s, char c)
{
    console_putc(c);
    s->len++;
}

/* The serial log alone: COM1, with the CR LF a serial terminal wants. */
static void put_serial(struct sink *s, char c)
{
    if (c == '\n')
        serial_putc(COM1_PORT, '\r');
    serial_putc(COM1_PORT, c);
    s->len++;
}

static void put_buffer(struct sink *s, char c)
{
    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void emit_padded(struct sink *s, const char *str, int n, const struct spec *sp)
{
    int pad = sp->width > n ? sp->width - n : 0;
    char fill = sp->zero && !sp->left ? '0' : ' ';

    /* Zero padding goes after a minus sign: -0042, not 00-42. */
    if (fill == '0' && n > 0 && str[0] == '-') {
        s->put(s, *str++);
        n--;
    }
    if (!sp->left)
        while (pad--)
            s->put(s, fill);
    while (n--)
        s->put(s, *str++);
    if (sp->left)
        while (pad-- > 0)
            s->put(s, ' ');
}

static void emit_number(struct sink *s, uint64_t v, bool negative, unsigned base, bool upper,
                        const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int i = sizeof(tmp);

    do {
        tmp[--i] = digits[v % base];
        v /= base;
    } while (v);
    if (negative)
        tmp[--i] = '-';
    emit_padded(s, tmp + i, (int)sizeof(tmp) - i, sp);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){0};
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    while (*f == 'l') {
        sp->longs++;
        f++;
    }
    return f;
}

static uint64_t next_unsigned(va_list *ap, int longs)
{
    if (longs >= 2)
        return va_arg(*ap, unsigned long long);
    return longs ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static int64_t next_signed(va_list *ap, int longs)
{
    if (longs >= 2)
        return va_arg(*ap, long long);
    return longs ? va_arg(*ap, long) : va_arg(*ap, int);
}

static void emit_conversion(struct sink *s, char conv, const struct spec *sp, va_list *ap)
{
    struct spec ptr_spec = {.zero = true, .width = 8};
    char c;
    const char *str;
    int64_t sv;

    switch (conv) {
    case 'd':
    case 'i':
        sv = next_signed(ap, sp->longs);
        emit_number(s, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, sp);
        break;
    case 'u':
        emit_number(s, next_unsigned(ap, sp->longs), false, 10, false, sp);
        break;
    case 'x':
    case 'X':
        emit_number(s, next_unsigned(ap, sp->longs), false, 16, conv == 'X', sp);
        break;
    case 'p':
        s->put(s, '0');
        s->put(s, 'x');
        emit_number(s, (uintptr_t)va_arg(*ap, void *), false, 16, false, &ptr_spec);
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_padded(s, &c, 1, sp);
        break;
    case 's':
        str = va_arg(*ap, const char *);
        if (!str)
            str = "(null)";
        emit_padded(s, str, (int)__builtin_strlen(str), sp);
        break;
    case '%':
        s->put(s, '%');
        break;
    default: /* Unknown conversion: show it rather than guess. */
        s->put(s, '%');
        s->put(s, conv);
    }
}

static void format_emit(struct sink *s, const char *fmt, va_list ap)
{
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            s->put(s, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        if (!*fmt)
            break;
        emit_conversion(s, *fmt++, &sp, &args);
    }
    va_end(args);
}

int kvprintf(const char *fmt, va_list ap)
{
    struct sink s = {.put = put_console};
    format_emit(&s, fmt, ap);
    return (int)s.len;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = {.put = put_buffer, .buf = buf, .size = size};
    format_emit(&s, fmt, ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return (int)s.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static enum log_level current_level = LOG_INFO;

void log_set_level(enum log_level level) { current_level = level; }

bool log_enabled(enum log_level level) { return level <= current_level; }

void klog_serial(enum log_level level, const char *fmt, ...)
{
    struct sink s = {.put = put_serial};
    va_list ap;

    if (!log_enabled(level))
        return;
    va_start(ap, fmt);
    format_emit(&s, fmt, ap);
    va_end(ap);
}

void klog(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    if (!log_enabled(level))
        return;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
