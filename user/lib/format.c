/* The printf engine: %d %i %u %x %X %o %s %c %p %%, flags '-' '0' '+' ' ', width and
 * precision (either may be '*'), length modifiers h, l, ll, z (h is accepted and ignored). */
#include <stdarg.h>
#include <string.h>

#include "libc.h"

struct spec {
    int left;  /* '-': pad on the right */
    int zero;  /* '0': pad numbers with zeros */
    char sign; /* '+' or ' ' for non-negative signed numbers, else 0 */
    int width;
    int prec; /* -1 when not given */
    int size; /* 0 int, 1 long, 2 long long */
};

struct out {
    format_put put;
    void *ctx;
    int count;
};

static void out_chars(struct out *o, char c, int n)
{
    for (; n > 0; n--, o->count++)
        o->put(o->ctx, c);
}

static void out_str(struct out *o, const char *s, int n)
{
    for (; n > 0; n--, o->count++)
        o->put(o->ctx, *s++);
}

/* Writes prefix (sign or 0x), zeros and digits, padded to the field width. */
static void out_field(struct out *o, const struct spec *sp, const char *prefix, const char *digits,
                      int ndigits)
{
    int plen = strlen(prefix);
    int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
    int pad;

    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > plen + ndigits)
        zeros = sp->width - plen - ndigits;
    pad = sp->width - plen - zeros - ndigits;
    if (!sp->left)
        out_chars(o, ' ', pad);
    out_str(o, prefix, plen);
    out_chars(o, '0', zeros);
    out_str(o, digits, ndigits);
    if (sp->left)
        out_chars(o, ' ', pad);
}

static void out_number(struct out *o, const struct spec *sp, unsigned long long v, int neg,
                       unsigned base, const char *prefix, int upper)
{
    const char *xdigits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24], *p = buf + sizeof(buf);
    char sign[2] = {neg ? '-' : sp->sign, '\0'};

    while (v) {
        *--p = xdigits[v % base];
        v /= base;
    }
    if (p == buf + sizeof(buf) && sp->prec != 0)
        *--p = '0'; /* zero has one digit, except with an explicit precision of 0 */
    out_field(o, sp, sign[0] ? sign : prefix, p, buf + sizeof(buf) - p);
}

/* Parses flags, width, precision and length at *fmt, advancing it. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
    const char *f = *fmt;

    memset(sp, 0, sizeof(*sp));
    sp->prec = -1;
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else if (*f == '+' || (*f == ' ' && !sp->sign))
            sp->sign = *f;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0)
            sp->left = 1, sp->width = -sp->width;
        f++;
    }
    for (; *f >= '0' && *f <= '9'; f++)
        sp->width = sp->width * 10 + (*f - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*')
            sp->prec = va_arg(*ap, int), f++;
        for (; *f >= '0' && *f <= '9'; f++)
            sp->prec = sp->prec * 10 + (*f - '0');
    }
    for (; *f == 'l' || *f == 'h' || *f == 'z'; f++)
        sp->size += *f == 'l' || *f == 'z';
    *fmt = f;
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
    if (sp->size >= 2)
        return va_arg(*ap, unsigned long long);
    return sp->size ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
    if (sp->size >= 2)
        return va_arg(*ap, long long);
    return sp->size ? va_arg(*ap, long) : va_arg(*ap, int);
}

/* One conversion, c being the conversion character. */
static void convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
    long long sv;
    const char *s;
    char ch;

    switch (c) {
    case 'd':
    case 'i':
        sv = arg_signed(sp, ap);
        out_number(o, sp, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv, sv < 0, 10, "",
                   0);
        break;
    case 'u':
        out_number(o, sp, arg_unsigned(sp, ap), 0, 10, "", 0);
        break;
    case 'x':
    case 'X':
        out_number(o, sp, arg_unsigned(sp, ap), 0, 16, "", c == 'X');
        break;
    case 'o':
        out_number(o, sp, arg_unsigned(sp, ap), 0, 8, "", 0);
        break;
    case 'p':
        sp->sign = 0;
        out_number(o, sp, (unsigned long)va_arg(*ap, void *), 0, 16, "0x", 0);
        break;
    case 's':
        s = va_arg(*ap, const char *);
        if (!s)
            s = "(null)";
        sp->zero = 0;
        sp->prec = sp->prec >= 0 && (size_t)sp->prec < strlen(s) ? sp->prec : (int)strlen(s);
        out_field(o, sp, "", s, sp->prec);
        break;
    case 'c':
        ch = (char)va_arg(*ap, int);
        sp->zero = 0, sp->prec = -1;
        out_field(o, sp, "", &ch, 1);
        break;
    default: /* %% and unknown conversions print themselves */
        out_chars(o, c, 1);
    }
}

int format(format_put put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = {put, ctx, 0};
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_chars(&o, *fmt, 1);
            continue;
        }
        fmt++;
        parse_spec(&fmt, &sp, &args);
        if (!*fmt)
            break;
        convert(&o, &sp, *fmt, &args);
    }
    va_end(args);
    return o.count;
}
