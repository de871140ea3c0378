/* uuid.c: UUIDv5 over OpenSSL SHA-1 and the point-id derivation.
 *
 * Point ids are the only way a point is addressed, so the derivation is fixed: the
 * tenant, the logical collection and every scope value each end with a NUL byte, then
 * the key. A tenant can therefore never compute another tenant's id from its own
 * inputs. Nothing here may depend on the placement (ids survive a move). */
#include "uuid.h"

#include "alloc.h"
#include "text.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

int tq_uuid_parse(const char *text, unsigned char out[16])
{
    if (!text || strlen(text) != TQ_UUID_STR_LEN)
        return -1;
    size_t b = 0;
    for (size_t i = 0; i < TQ_UUID_STR_LEN;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return -1;
            i++;
            continue;
        }
        int hi = tq_text_hex_digit(text[i]), lo = tq_text_hex_digit(text[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[b++] = (unsigned char)(hi << 4 | lo);
        i += 2;
    }
    return 0;
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

/* SHA-1, fetched from the default provider once: EVP_sha1() makes OpenSSL 3 look the
 * algorithm up again (under its store lock) on every digest, which cost more than the
 * hashing itself. The fetched method is kept for the life of the process. */
static EVP_MD *sha1_method;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static _Atomic(EVP_MD_CTX *) spare_ctx;

static void sha1_fetch(void)
{
    sha1_method = EVP_MD_fetch(NULL, "SHA1", NULL);
}

/* UUIDv5 bytes of `ns` then `name`. */
static tq_status_t uuid5_bytes(const unsigned char ns[16], const void *name, size_t len,
                               unsigned char out[16])
{
    unsigned char stack[512];
    unsigned char *buf = 16 + len <= sizeof stack ? stack : tq_malloc(16 + len);
    if (!buf)
        return TQ_ENOMEM;
    memcpy(buf, ns, 16);
    if (len)
        memcpy(buf + 16, name, len);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    pthread_once(&sha1_once, sha1_fetch);
    /* A digest context is taken from the one-slot cache (or made), used and put back:
     * making and freeing one per id cost as much as the hashing. */
    EVP_MD_CTX *ctx = atomic_exchange(&spare_ctx, NULL);
    if (!ctx)
        ctx = EVP_MD_CTX_new();
    int ok = sha1_method && ctx && EVP_DigestInit_ex(ctx, sha1_method, NULL) &&
             EVP_DigestUpdate(ctx, buf, 16 + len) && EVP_DigestFinal_ex(ctx, digest, &dlen);
    EVP_MD_CTX_free(atomic_exchange(&spare_ctx, ctx));
    if (buf != stack)
        tq_free(buf);
    if (!ok || dlen < 16)
        return TQ_ECRYPTO;
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
    memcpy(out, digest, 16);
    return TQ_OK;
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

tq_status_t tq_point_id_bytes(const char *tenant, const char *logical_collection,
                              const char *const *scope_values, size_t scope_count,
                              const char *key, unsigned char out[16])
{
    size_t len = strlen(tenant) + 1 + strlen(logical_collection) + 1 + strlen(key);
    for (size_t i = 0; i < scope_count; i++)
        len += strlen(scope_values[i]) + 1;
    char stack[512];
    char *name = len + 1 <= sizeof stack ? stack : tq_malloc(len + 1);
    if (!name)
        return TQ_ENOMEM;
    size_t o = 0;
    const char *parts[2] = {tenant, logical_collection};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(parts[i]) + 1;
        memcpy(name + o, parts[i], n);
        o += n;
    }
    for (size_t i = 0; i < scope_count; i++) {
        size_t n = strlen(scope_values[i]) + 1;
        memcpy(name + o, scope_values[i], n);
        o += n;
    }
    memcpy(name + o, key, strlen(key));
    tq_status_t st = uuid5_bytes(point_namespace, name, len, out);
    if (name != stack)
        tq_free(name);
    return st;
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
