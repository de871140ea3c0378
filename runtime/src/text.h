/* text.h: byte-level checks on strings that reach JSON bodies, URLs or headers. */
#ifndef TQ_TEXT_H
#define TQ_TEXT_H

#include <stddef.h>

/* 1 when `s` (`len` bytes) is well-formed UTF-8 without control characters below
 * 0x20 or DEL, else 0. */
int tq_text_printable_utf8(const char *s, size_t len);

/* 1 when `s` (`len` bytes) is well-formed UTF-8; control characters (newlines, tabs)
 * are allowed. For payload and filter values, which travel as escaped JSON strings. */
int tq_text_utf8(const char *s, size_t len);

/* 1 when `name` is a payload field name the runtime accepts from generated code:
 * [a-z][a-z0-9_]{0,63}, not starting with "tq_". */
int tq_text_field_name(const char *name);

/* Copies `in` to `out` (size `cap`) replacing bytes outside printable ASCII with '?',
 * truncating to fit; always NUL-terminates. For server text placed in a detail. */
void tq_text_sanitize(char *out, size_t cap, const char *in, size_t len);

#endif
