/* jscan.c: a validating JSON scanner that allocates nothing: it checks a server answer
 * against RFC 8259 and hands out positions (members, elements, strings, numbers), so a
 * points answer is read in one pass instead of through a tree of one allocation per
 * value (result.c).
 *
 * Input is untrusted: every step stops at the end of the range (the text need not be
 * NUL-terminated), nesting is bounded by max_depth (the recursion depth too), strings
 * may not hold raw control characters and their escapes must be valid. It must never
 * read outside the range, and never accept what a strict parser would refuse. */
#include "jscan.h"

#include "text.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *tq_jscan_ws(const tq_jscan_t *s, const char *p)
{
    while (p < s->end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* The four hex digits at p (p + 4 <= end checked by the caller), or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = tq_text_hex_digit(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Past the string whose opening quote is at p, or NULL when malformed; *escaped says
 * whether it holds an escape. */
/* Bytes that end a run of plain string content: the quote, the backslash and the
 * control characters. */
static const unsigned char string_special[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,  [6] = 1,  [7] = 1,
    [8] = 1,  [9] = 1,  [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
    [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,
    [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
    ['"'] = 1, ['\\'] = 1,
};

static const char *scan_string(const tq_jscan_t *s, const char *p, int *escaped)
{
    *escaped = 0;
    for (p++; p < s->end; p++) {
        while (p < s->end && !string_special[(unsigned char)*p])
            p++;
        if (p >= s->end)
            return NULL;
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL;
        if (c != '\\')
            continue;
        *escaped = 1;
        if (++p >= s->end)
            return NULL;
        switch (*p) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            break;
        case 'u':
            if (s->end - p < 5 || hex4(p + 1) < 0)
                return NULL;
            p += 4;
            break;
        default:
            return NULL;
        }
    }
    return NULL;
}

static const char *scan_digits(const tq_jscan_t *s, const char *p)
{
    const char *start = p;
    while (p < s->end && *p >= '0' && *p <= '9')
        p++;
    return p > start ? p : NULL;
}

/* Past the number at p (-?int frac? exp?), or NULL. */
static const char *scan_number(const tq_jscan_t *s, const char *p)
{
    if (p < s->end && *p == '-')
        p++;
    if (p < s->end && *p == '0')
        p++;
    else if (!(p = scan_digits(s, p)))
        return NULL;
    if (p < s->end && *p == '.' && !(p = scan_digits(s, p + 1)))
        return NULL;
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < s->end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = scan_digits(s, p)))
            return NULL;
    }
    return p;
}

static const char *scan_literal(const tq_jscan_t *s, const char *p, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(s->end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

int tq_jscan_member(const tq_jscan_t *s, const char **pp, int *first, tq_jmember_t *m)
{
    const char *p = tq_jscan_ws(s, *pp);
    if (p >= s->end)
        return -1;
    if (*p == '}') {
        *pp = p + 1;
        return 0;
    }
    if (!*first) {
        if (*p != ',')
            return -1;
        p = tq_jscan_ws(s, p + 1);
    }
    if (p >= s->end || *p != '"')
        return -1;
    const char *after = scan_string(s, p, &m->key_escaped);
    if (!after)
        return -1;
    m->key = p + 1;
    m->key_len = (size_t)(after - p - 2);
    p = tq_jscan_ws(s, after);
    if (p >= s->end || *p != ':')
        return -1;
    m->value = tq_jscan_ws(s, p + 1);
    if (m->value >= s->end)
        return -1;
    *first = 0;
    *pp = m->value;
    return 1;
}

int tq_jscan_element(const tq_jscan_t *s, const char **pp, int *first)
{
    const char *p = tq_jscan_ws(s, *pp);
    if (p >= s->end)
        return -1;
    if (*p == ']') {
        *pp = p + 1;
        return 0;
    }
    if (!*first) {
        if (*p != ',')
            return -1;
        p = tq_jscan_ws(s, p + 1);
        if (p >= s->end)
            return -1;
    }
    *first = 0;
    *pp = p;
    return 1;
}

const char *tq_jscan_value(tq_jscan_t *s, const char *p, int depth)
{
    p = tq_jscan_ws(s, p);
    if (p >= s->end)
        return NULL;
    int escaped, first = 1, more;
    tq_jmember_t m;
    switch (*p) {
    case '"':
        return scan_string(s, p, &escaped);
    case '{':
    case '[':
        if (depth + 1 > s->max_depth) {
            s->too_deep = 1;
            return NULL;
        }
        if (*p++ == '{') {
            while ((more = tq_jscan_member(s, &p, &first, &m)) == 1)
                if (!(p = tq_jscan_value(s, p, depth + 1)))
                    return NULL;
        } else {
            while ((more = tq_jscan_element(s, &p, &first)) == 1)
                if (!(p = tq_jscan_value(s, p, depth + 1)))
                    return NULL;
        }
        return more == 0 ? p : NULL;
    case 't':
        return scan_literal(s, p, "true");
    case 'f':
        return scan_literal(s, p, "false");
    case 'n':
        return scan_literal(s, p, "null");
    default:
        return scan_number(s, p);
    }
}

/* Appends code point `cp` as UTF-8 at out + *n if it fits below cap; -1 otherwise. */
static int put_utf8(char *out, size_t cap, size_t *n, uint32_t cp)
{
    unsigned char b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        k = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    if (*n + k >= cap)
        return -1;
    memcpy(out + *n, b, k);
    *n += k;
    return 0;
}

int tq_jscan_string(const char *p, const char *end, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    if (cap == 0 || p >= end || *p != '"')
        return -1;
    for (p++; p < end && *p != '"'; p++) {
        uint32_t cp = (unsigned char)*p;
        if (cp == '\\') {
            if (++p >= end)
                return -1;
            switch (*p) {
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u': {
                long hi = end - p >= 5 ? hex4(p + 1) : -1;
                if (hi < 0)
                    return -1;
                p += 4;
                cp = (uint32_t)hi;
                /* A high surrogate followed by an escaped low one is one code point;
                 * an unpaired surrogate becomes U+FFFD. */
                if (hi >= 0xD800 && hi <= 0xDBFF && end - p >= 7 && p[1] == '\\' &&
                    p[2] == 'u') {
                    long lo = hex4(p + 3);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                        p += 6;
                    }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    cp = 0xFFFD;
                if (put_utf8(out, cap, &n, cp) != 0)
                    return -1;
                continue;
            }
            default: cp = (unsigned char)*p; break; /* " \ / */
            }
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)cp;
    }
    if (p >= end)
        return -1;
    out[n] = '\0';
    *len = n;
    return 0;
}

int tq_jscan_string_is(const char *p, const char *end, const char *want)
{
    size_t want_len = strlen(want);
    /* The common case, no escape: the raw bytes are the value. */
    if (p < end && *p == '"' && (size_t)(end - p - 1) > want_len && p[1 + want_len] == '"' &&
        memcmp(p + 1, want, want_len) == 0 && !memchr(want, '\\', want_len))
        return 1;
    char buf[512];
    size_t len;
    if (want_len >= sizeof buf || tq_jscan_string(p, end, buf, sizeof buf, &len) != 0)
        return 0;
    return len == want_len && memcmp(buf, want, len) == 0;
}

int tq_jscan_key_is(const tq_jmember_t *m, const char *name)
{
    size_t n = strlen(name);
    if (!m->key_escaped)
        return m->key_len == n && memcmp(m->key, name, n) == 0;
    return tq_jscan_string_is(m->key - 1, m->key + m->key_len + 1, name);
}

int tq_jscan_number(const char *p, const char *end, double *out)
{
    tq_jscan_t s = {.end = end};
    const char *after = scan_number(&s, p);
    char text[72];
    size_t n = after ? (size_t)(after - p) : 0;
    if (!after || n > 64)
        return -1;
    memcpy(text, p, n);
    text[n] = '\0';
    /* strtod reads the C library's locale; JSON's decimal point is always '.'. */
    char point = localeconv()->decimal_point[0];
    if (point != '.') {
        char *dot = memchr(text, '.', n);
        if (dot)
            *dot = point;
    }
    *out = strtod(text, NULL);
    return 0;
}
