/* jscan.h: a validating, non-allocating JSON scanner over a byte range, for reading
 * server answers in one pass without building a tree (result.c). */
#ifndef TQ_JSCAN_H
#define TQ_JSCAN_H

#include <stddef.h>

/* The scan of one text: its end, the nesting limit, and why it stopped. */
typedef struct tq_jscan {
    const char *end;
    int max_depth;
    int too_deep; /* set when a value nested deeper than max_depth */
} tq_jscan_t;

/* An object member: the key's raw bytes between its quotes, and where the value starts
 * (after the colon and any whitespace). */
typedef struct tq_jmember {
    const char *key;
    size_t key_len;
    int key_escaped; /* the raw key holds a backslash escape */
    const char *value;
} tq_jmember_t;

/* `p` past any JSON whitespace (at most to s->end). */
const char *tq_jscan_ws(const tq_jscan_t *s, const char *p);

/* Validates the value at `p` (RFC 8259: strings without raw control characters and with
 * valid escapes, the number grammar, literals), `depth` containers being open around
 * it; returns the first byte after it, or NULL when it is malformed or nests deeper
 * than max_depth (then s->too_deep is set). */
const char *tq_jscan_value(tq_jscan_t *s, const char *p, int depth);

/* Object and array iteration. Start with *p just past the '{' or '[' and *first = 1;
 * each call moves past the separator: 1 with the member in *m (or the element at *p),
 * 0 at the end with *p past the closing bracket, -1 when malformed (a returned value
 * position is always before s->end, so it may be read). The caller moves
 * *p past each value (tq_jscan_value or its own reading). */
int tq_jscan_member(const tq_jscan_t *s, const char **p, int *first, tq_jmember_t *m);
int tq_jscan_element(const tq_jscan_t *s, const char **p, int *first);

/* 1 when member key `m` is exactly `name` (escapes decoded). */
int tq_jscan_key_is(const tq_jmember_t *m, const char *name);

/* Decodes the validated string whose opening quote is at `p` into out[cap] (escapes
 * resolved, \u pairs to UTF-8, NUL-terminated); *len is its byte length, which may
 * include NUL bytes from \u0000. -1 when it does not fit in cap - 1 bytes. */
int tq_jscan_string(const char *p, const char *end, char *out, size_t cap, size_t *len);

/* Whether the validated string at `p` equals `want` byte for byte once decoded. */
int tq_jscan_string_is(const char *p, const char *end, const char *want);

/* Reads the validated number at `p` as a double (locale-independent); -1 when `p` is
 * not a number or its text is longer than 64 bytes. */
int tq_jscan_number(const char *p, const char *end, double *out);

#endif
