/* buf.c: the emitters' output buffer.
 *
 * Appending never fails loudly: an allocation failure sets `failed`, later appends do
 * nothing, and the caller checks the flag once before using the text. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(gen_buf_t *buf, size_t extra) {
    size_t cap;
    char *bigger;
    if (buf->failed) return 0;
    if (buf->len + extra + 1 <= buf->cap) return 1;
    cap = buf->cap == 0 ? 4096 : buf->cap;
    while (buf->len + extra + 1 > cap) cap *= 2;
    bigger = realloc(buf->data, cap);
    if (bigger == NULL) {
        buf->failed = 1;
        return 0;
    }
    buf->data = bigger;
    buf->cap = cap;
    return 1;
}

void gen_put(gen_buf_t *buf, const char *text) {
    size_t n = strlen(text);
    if (!reserve(buf, n)) return;
    memcpy(buf->data + buf->len, text, n + 1);
    buf->len += n;
}

void gen_printf(gen_buf_t *buf, const char *fmt, ...) {
    va_list args;
    int n;
    va_start(args, fmt);
    n = vsnprintf(NULL, 0, fmt, args);
    va_end(args);
    if (n < 0) {
        buf->failed = 1;
        return;
    }
    if (!reserve(buf, (size_t)n)) return;
    va_start(args, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, args);
    va_end(args);
    buf->len += (size_t)n;
}

void gen_buf_free(gen_buf_t *buf) {
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
    buf->failed = 0;
}
