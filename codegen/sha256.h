/* sha256.h: SHA-256 as lowercase hex, through OpenSSL. */
#ifndef TQ_GEN_SHA256_H
#define TQ_GEN_SHA256_H

#include <stddef.h>

#define GEN_SHA256_HEX_LEN 64

/* Writes the digest of `len` bytes at `data` to `hex` (65 bytes with the NUL).
 * Returns 0, or -1 when OpenSSL fails. */
int gen_sha256_hex(const void *data, size_t len, char hex[GEN_SHA256_HEX_LEN + 1]);

#endif
