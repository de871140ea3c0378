/* uuid.c: UUIDv5 over OpenSSL SHA-1 and the point-id derivation.
 *
 * Point ids are the only way a point is addressed, so the derivation is fixed: the
 * tenant, the logical collection and every scope value each end with a NUL byte, then
 * the key. A tenant can therefore never compute another tenant's id from its own
 * inputs. Nothing here may depend on the placement (ids survive a move). */
#include "uuid.h"

#include "text.h"

/* OpenSSL 3 marks its one-algorithm SHA-1 calls deprecated in favour of EVP; they
 * are still part of libcrypto 3 and run the same assembly (SHA-NI where the CPU has
 * it) without EVP's provider dispatch, which cost more than the hashing of one id
 * (docs/performance.md, "The id check"). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <string.h>

/* Where each byte's two digits start in the 36-character form. */
static const unsigned char digit_at[16] = {0,  2,  4,  6,  9,  11, 14, 16,
                                           19, 21, 24, 26, 28, 30, 32, 34};

int tq_uuid_parse(const char *text, unsigned char out[16])
{
    if (!text || strlen(text) != TQ_UUID_STR_LEN || text[8] != '-' || text[13] != '-' ||
        text[18] != '-' || text[23] != '-')
        return -1;
    int bad = 0;
    for (size_t i = 0; i < 16; i++) {
        int hi = tq_text_hex_digit(text[digit_at[i]]), lo = tq_text_hex_digit(text[digit_at[i] + 1]);
        bad |= hi | lo; /* -1 sets the sign bit */
        out[i] = (unsigned char)((unsigned)hi << 4 | (unsigned)lo);
    }
    return bad < 0 ? -1 : 0;
}

int tq_uuid_is_canonical(const char *text)
{
    unsigned char bytes[16];
    if (tq_uuid_parse(text, bytes) != 0)
        return 0;
    for (const char *p = text; *p; p++) {
        if (*p >= 'A' && *p <= 'F')
            return 0;
    }
    return 1;
}

void tq_uuid_format(const unsigned char b[16], char out[TQ_UUID_STR_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

/* The UUIDv5 bytes of a finished SHA-1 (RFC 9562: version 5, variant 10). */
static tq_status_t uuid5_finish(SHA_CTX *ctx, unsigned char out[16])
{
    unsigned char digest[SHA_DIGEST_LENGTH];
    if (!SHA1_Final(digest, ctx))
        return TQ_ECRYPTO;
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
    memcpy(out, digest, 16);
    return TQ_OK;
}

/* UUIDv5 bytes of `ns` then `name`. */
static tq_status_t uuid5_bytes(const unsigned char ns[16], const void *name, size_t len,
                               unsigned char out[16])
{
    SHA_CTX ctx;
    if (!SHA1_Init(&ctx) || !SHA1_Update(&ctx, ns, 16) || !SHA1_Update(&ctx, name, len))
        return TQ_ECRYPTO;
    return uuid5_finish(&ctx, out);
}

tq_status_t tq_uuid5(const unsigned char ns[16], const void *name, size_t len,
                     char out[TQ_UUID_STR_LEN + 1])
{
    unsigned char bytes[16];
    tq_status_t st = uuid5_bytes(ns, name, len, bytes);
    if (st == TQ_OK)
        tq_uuid_format(bytes, out);
    return st;
}

/* TQ_POINT_NAMESPACE as bytes (unit_uuid checks they agree). */
static const unsigned char point_namespace[16] = {0x03, 0xc7, 0x2f, 0xd4, 0xef, 0x59,
                                                  0x53, 0x14, 0x92, 0x0f, 0xaa, 0x93,
                                                  0xcf, 0x62, 0xf2, 0x97};

/* The name is hashed part by part, never assembled: the tenant, the logical collection
 * and each scope value with their terminating NUL bytes, then the key without one. */
tq_status_t tq_point_id_bytes(const char *tenant, const char *logical_collection,
                              const char *const *scope_values, size_t scope_count,
                              const char *key, unsigned char out[16])
{
    SHA_CTX ctx;
    int ok = SHA1_Init(&ctx) && SHA1_Update(&ctx, point_namespace, 16) &&
             SHA1_Update(&ctx, tenant, strlen(tenant) + 1) &&
             SHA1_Update(&ctx, logical_collection, strlen(logical_collection) + 1);
    for (size_t i = 0; ok && i < scope_count; i++)
        ok = SHA1_Update(&ctx, scope_values[i], strlen(scope_values[i]) + 1);
    if (!ok || !SHA1_Update(&ctx, key, strlen(key)))
        return TQ_ECRYPTO;
    return uuid5_finish(&ctx, out);
}

tq_status_t tq_point_id_derive(const char *tenant, const char *logical_collection,
                               const char *const *scope_values, size_t scope_count,
                               const char *key, char out[TQ_UUID_STR_LEN + 1])
{
    unsigned char bytes[16];
    tq_status_t st =
        tq_point_id_bytes(tenant, logical_collection, scope_values, scope_count, key, bytes);
    if (st == TQ_OK)
        tq_uuid_format(bytes, out);
    return st;
}
