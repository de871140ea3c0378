/* jwt.h: HS256 tokens for Qdrant's JWT RBAC. */
#ifndef TQ_JWT_H
#define TQ_JWT_H

#include <tenantq/tenantq.h>

#include <stdint.h>

/* Mints header.payload.signature with alg HS256 and claims
 * {"exp": exp, "sub": sub, "access": [{"collection": collection, "access": level}]},
 * signed with `key`; `level` is "r" or "prw". *out is tq_malloc'd (tq_free).
 * TQ_ENOMEM or TQ_ECRYPTO. */
tq_status_t tq_jwt_mint(const char *key, const char *sub, const char *collection,
                        const char *level, int64_t exp, char **out);

/* base64url without padding; `out` needs 4 * ((len + 2) / 3) + 1 bytes. Returns the
 * length written. */
size_t tq_base64url_encode(const unsigned char *in, size_t len, char *out);

#endif
