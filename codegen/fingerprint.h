/* fingerprint.h: a schema collection's shape text and fingerprint, computed by the
 * runtime's own shape code (runtime/src/shape.c) so generator and runtime agree. */
#ifndef TQ_GEN_FINGERPRINT_H
#define TQ_GEN_FINGERPRINT_H

#include "schema.h"

#include <stddef.h>

/* "sha256:" + 64 hex digits */
#define GEN_FINGERPRINT_LEN (7 + 64)

/* Writes the fingerprint of `c` to `digest`. When `shape` is not NULL, *shape receives
 * the shape text, malloc'd (free with free()). Returns 0, or -1 when out of memory or
 * OpenSSL fails. */
int gen_fingerprint(const tq_schema_t *s, const tq_schema_collection_t *c,
                    char digest[GEN_FINGERPRINT_LEN + 1], char **shape);

#endif
