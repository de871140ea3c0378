/* jwt.c: mints the short-lived HS256 tokens that scope a context's data requests to
 * the one collection being addressed (Qdrant JWT RBAC, access "rw").
 *
 * The signing key is the endpoint's API key; it must never appear in the token or in
 * any message. Tokens never list more than one collection. */
#include "jwt.h"

#include "alloc.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

size_t tq_base64url_encode(const unsigned char *in, size_t len, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
        out[o++] = alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
    }
    out[o] = '\0';
    return o;
}

static char *claims_json(const char *sub, const char *collection, const char *level,
                         int64_t exp)
{
    char *text = NULL;
    cJSON *claims = cJSON_CreateObject();
    cJSON *access = cJSON_AddArrayToObject(claims, "access");
    cJSON *entry = cJSON_CreateObject();
    if (!cJSON_AddItemToArray(access, entry)) {
        cJSON_Delete(entry);
        goto cleanup;
    }
    cJSON *exp_item = tq_json_int(exp);
    if (!cJSON_AddItemToObject(claims, "exp", exp_item)) {
        cJSON_Delete(exp_item);
        goto cleanup;
    }
    if (!cJSON_AddStringToObject(claims, "sub", sub) ||
        !cJSON_AddStringToObject(entry, "collection", collection) ||
        !cJSON_AddStringToObject(entry, "access", level))
        goto cleanup;
    text = cJSON_PrintUnformatted(claims);
cleanup:
    cJSON_Delete(claims);
    return text;
}

tq_status_t tq_jwt_mint(const char *key, const char *sub, const char *collection,
                        const char *level, int64_t exp, char **out)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    tq_status_t st = TQ_ENOMEM;
    char *token = NULL;
    char *claims = claims_json(sub, collection, level, exp);
    if (!claims)
        goto cleanup;
    size_t hlen = strlen(header), clen = strlen(claims);
    size_t cap = 4 * ((hlen + 2) / 3) + 4 * ((clen + 2) / 3) + 4 * ((32 + 2) / 3) + 4;
    token = tq_malloc(cap);
    if (!token)
        goto cleanup;
    size_t o = tq_base64url_encode((const unsigned char *)header, hlen, token);
    token[o++] = '.';
    o += tq_base64url_encode((const unsigned char *)claims, clen, token + o);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)token, o, mac,
              &mac_len) ||
        mac_len != 32) {
        st = TQ_ECRYPTO;
        goto cleanup;
    }
    token[o++] = '.';
    tq_base64url_encode(mac, mac_len, token + o);
    *out = token;
    token = NULL;
    st = TQ_OK;
cleanup:
    cJSON_free(claims);
    tq_free(token);
    return st;
}
