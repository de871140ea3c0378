/* text.h: byte-level checks on strings that reach JSON bodies, URLs or headers. */
#ifndef TQ_TEXT_H
#define TQ_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* The code point reported for a malformed UTF-8 sequence. */
#define TQ_TEXT_BAD_UTF8 UINT32_MAX

/* 1 when `cp` belongs to Unicode general category Cc, Cf, Zl or Zp (Unicode 15.0). */
int tq_text_invisible(uint32_t cp);

/* 1 when `s` (`len` bytes) is well-formed UTF-8 without any code point of categories
 * Cc, Cf, Zl or Zp (controls, bidi overrides, zero-width characters, the BOM, line and
 * paragraph separators), else 0. */
int tq_text_printable_utf8(const char *s, size_t len);

/* As tq_text_printable_utf8; on 0, *offset is the byte offset of the first refused
 * sequence and *cp its code point, or TQ_TEXT_BAD_UTF8 when it is not well formed. */
int tq_text_printable_utf8_at(const char *s, size_t len, size_t *offset, uint32_t *cp);

/* "code point U+202E at byte offset 3 is ..." or "malformed UTF-8 at byte offset 3",
 * into `out` (cap bytes). */
void tq_text_describe_bad(char *out, size_t cap, size_t offset, uint32_t cp);

/* 1 when `s` (`len` bytes) is well-formed UTF-8; control characters (newlines, tabs)
 * are allowed. For payload and filter values, which travel as escaped JSON strings. */
int tq_text_utf8(const char *s, size_t len);

/* 1 when `name` is a payload field name the runtime accepts from generated code:
 * [a-z][a-z0-9_]{0,63}, not starting with "tq_". */
int tq_text_field_name(const char *name);

/* Copies `in` to `out` (size `cap`) replacing bytes outside printable ASCII with '?',
 * truncating to fit; always NUL-terminates. For server text placed in a detail. */
void tq_text_sanitize(char *out, size_t cap, const char *in, size_t len);

/* The value of each byte as a hex digit (either case), or -1. */
extern const signed char tq_text_hex_value[256];

/* The value of hex digit `c` (either case), or -1. A table, not comparisons: UUID
 * parsing and JSON escapes call it per character on the answer path, where random
 * digits made the branches mispredict. */
static inline int tq_text_hex_digit(char c)
{
    return tq_text_hex_value[(unsigned char)c];
}

#endif
