/* buf.h: a growable text buffer the emitters print into. */
#ifndef TQ_GEN_BUF_H
#define TQ_GEN_BUF_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define GEN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define GEN_PRINTF(fmt, args)
#endif

/* Zero-initialise. `failed` sticks after the first allocation failure; the text is
 * then incomplete and must not be used. */
typedef struct gen_buf {
    char *data; /* NUL-terminated when len > 0 */
    size_t len;
    size_t cap;
    int failed;
} gen_buf_t;

void gen_put(gen_buf_t *buf, const char *text);
void gen_printf(gen_buf_t *buf, const char *fmt, ...) GEN_PRINTF(2, 3);
void gen_buf_free(gen_buf_t *buf);

#endif
