/* uuid.c: UUIDv5 over OpenSSL SHA-1 and the point-id derivation.
 *
 * Point ids are the only way a point is addressed, so the derivation is fixed: the
 * tenant, the logical collection and every scope value each end with a NUL byte, then
 * the key. A tenant can therefore never compute another tenant's id from its own
 * inputs. Nothing here may depend on the placement (ids survive a move). */
#include "uuid.h"

#include "alloc.h"

#include <openssl/evp.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

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
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
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

tq_status_t tq_uuid5(const unsigned char ns[16], const void *name, size_t len,
                     char out[TQ_UUID_STR_LEN + 1])
{
    unsigned char *buf = tq_malloc(16 + len);
    if (!buf)
        return TQ_ENOMEM;
    memcpy(buf, ns, 16);
    if (len)
        memcpy(buf + 16, name, len);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int ok = EVP_Digest(buf, 16 + len, digest, &dlen, EVP_sha1(), NULL);
    tq_free(buf);
    if (!ok || dlen < 16)
        return TQ_ECRYPTO;
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
    tq_uuid_format(digest, out);
    return TQ_OK;
}

tq_status_t tq_point_id_derive(const char *tenant, const char *logical_collection,
                               const char *const *scope_values, size_t scope_count,
                               const char *key, char out[TQ_UUID_STR_LEN + 1])
{
    unsigned char ns[16];
    if (tq_uuid_parse(TQ_POINT_NAMESPACE, ns) != 0)
        return TQ_ECRYPTO;
    size_t len = strlen(tenant) + 1 + strlen(logical_collection) + 1 + strlen(key);
    for (size_t i = 0; i < scope_count; i++)
        len += strlen(scope_values[i]) + 1;
    char *name = tq_malloc(len + 1);
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
    tq_status_t st = tq_uuid5(ns, name, len, out);
    tq_free(name);
    return st;
}
