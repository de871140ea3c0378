/* text.c: byte-level validation of strings bound for JSON bodies, URLs and details.
 * Pure functions; nothing here allocates. */
#include "text.h"

#include <stdio.h>
#include <string.h>

#define TQ_HEX_ROW_NONE -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
const signed char tq_text_hex_value[256] = {
    TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,          /* 0x30: '0'..'9' */
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0x40: 'A'..'F' */
    TQ_HEX_ROW_NONE,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0x60: 'a'..'f' */
    TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, /* 0x70..0xa0 */
    TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE, TQ_HEX_ROW_NONE,
};
#undef TQ_HEX_ROW_NONE

/* Code points of general categories Cc, Cf, Zl and Zp (Unicode 15.0), as inclusive
 * ranges in ascending order: controls, format characters (soft hyphen, bidi controls,
 * zero-width characters, the BOM, tag characters) and the line and paragraph
 * separators. Text that names a point or a scope must look like what it is. */
static const uint32_t invisible_ranges[][2] = {
    {0x0, 0x1F},         {0x7F, 0x9F},       {0xAD, 0xAD},       {0x600, 0x605},
    {0x61C, 0x61C},      {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x890, 0x891},
    {0x8E2, 0x8E2},      {0x180E, 0x180E},   {0x200B, 0x200F},   {0x2028, 0x202E},
    {0x2060, 0x2064},    {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
    {0x110BD, 0x110BD},  {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A},  {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

int tq_text_invisible(uint32_t cp)
{
    size_t lo = 0, hi = sizeof invisible_ranges / sizeof *invisible_ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < invisible_ranges[mid][0])
            hi = mid;
        else if (cp > invisible_ranges[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Shared walker: well-formed UTF-8, and (unless `allow_invisible`) no code point of
 * categories Cc, Cf, Zl, Zp. On failure *offset is the byte offset of the offending
 * sequence and *cp its code point (TQ_TEXT_BAD_UTF8 when not well formed). NUL never
 * occurs: lengths come from strlen. */
static int utf8_walk(const char *s, size_t len, int allow_invisible, size_t *offset,
                     uint32_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t extra;
        uint32_t min, cp;
        if (c < 0x80) {
            extra = 0, min = 0, cp = c;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1, min = 0x80, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, min = 0x800, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            goto malformed;
        }
        if (len - i <= extra)
            goto malformed;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                goto malformed;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto malformed;
        if (!allow_invisible && tq_text_invisible(cp)) {
            *offset = i;
            *bad = cp;
            return 0;
        }
        i += extra + 1;
    }
    return 1;
malformed:
    *offset = i;
    *bad = TQ_TEXT_BAD_UTF8;
    return 0;
}

int tq_text_printable_utf8(const char *s, size_t len)
{
    size_t offset;
    uint32_t cp;
    return utf8_walk(s, len, 0, &offset, &cp);
}

int tq_text_printable_utf8_at(const char *s, size_t len, size_t *offset, uint32_t *cp)
{
    return utf8_walk(s, len, 0, offset, cp);
}

void tq_text_describe_bad(char *out, size_t cap, size_t offset, uint32_t cp)
{
    if (cp == TQ_TEXT_BAD_UTF8)
        snprintf(out, cap, "malformed UTF-8 at byte offset %zu", offset);
    else
        snprintf(out, cap,
                 "code point U+%04X at byte offset %zu is a control, format or separator "
                 "character (Unicode categories Cc, Cf, Zl, Zp are refused)",
                 (unsigned)cp, offset);
}

int tq_text_utf8(const char *s, size_t len)
{
    size_t offset;
    uint32_t cp;
    /* Payload text may hold controls (JSON escapes them); only the encoding matters. */
    return utf8_walk(s, len, 1, &offset, &cp);
}

int tq_text_field_name(const char *name)
{
    if (!name || name[0] < 'a' || name[0] > 'z')
        return 0;
    size_t n = strlen(name);
    if (n > 64 || strncmp(name, "tq_", 3) == 0)
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

void tq_text_sanitize(char *out, size_t cap, const char *in, size_t len)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[o] = '\0';
}
