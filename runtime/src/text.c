/* text.c: byte-level validation of strings bound for JSON bodies, URLs and details.
 * Pure functions; nothing here allocates. */
#include "text.h"

#include <string.h>

/* Shared walker: well-formed UTF-8, and no ASCII control byte unless
 * `allow_control` (NUL never occurs: lengths come from strlen). */
static int utf8_valid(const char *s, size_t len, int allow_control)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (!allow_control && (c < 0x20 || c == 0x7f))
                return 0;
            i++;
            continue;
        }
        size_t extra;
        unsigned min;
        unsigned cp;
        if ((c & 0xe0) == 0xc0) {
            extra = 1, min = 0x80, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, min = 0x800, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i <= extra)
            return 0;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += extra + 1;
    }
    return 1;
}

int tq_text_printable_utf8(const char *s, size_t len)
{
    return utf8_valid(s, len, 0);
}

int tq_text_utf8(const char *s, size_t len)
{
    return utf8_valid(s, len, 1);
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
