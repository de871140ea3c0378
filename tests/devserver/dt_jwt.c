/* dt_jwt.c: builds signed JWTs with OpenSSL HMAC so the auth cases can present tokens
 * the way a Qdrant client would: base64url without padding, compact serialisation.
 * It must never produce a token whose signature does not match what it claims, except
 * when a case asks for a wrong secret or another algorithm on purpose. */
#include "dt_jwt.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* base64url without padding; returns bytes written or 0 when cap is too small. */
static size_t b64url(const unsigned char *in, size_t len, char *out, size_t cap) {
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        size_t rem = len - i;
        if (rem > 1) v |= (unsigned)in[i + 1] << 8;
        if (rem > 2) v |= in[i + 2];
        size_t chars = rem >= 3 ? 4 : rem + 1;
        if (o + chars + 1 > cap) return 0;
        for (size_t k = 0; k < chars; k++) out[o++] = tbl[(v >> (18 - 6 * k)) & 63];
    }
    out[o] = '\0';
    return o;
}

int dt_jwt_mint(const char *alg, const char *secret, const char *claims, bool with_exp,
                long exp_delta, char *out, size_t cap) {
    int rc = -1;
    char *payload = NULL;
    cJSON *obj = cJSON_Parse(claims);
    if (!cJSON_IsObject(obj)) goto done;
    if (with_exp) cJSON_AddNumberToObject(obj, "exp", (double)(time(NULL) + exp_delta));
    payload = cJSON_PrintUnformatted(obj);
    if (!payload) goto done;

    char header[64];
    snprintf(header, sizeof header, "{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
    size_t o = b64url((const unsigned char *)header, strlen(header), out, cap);
    if (!o || o + 2 >= cap) goto done;
    out[o++] = '.';
    size_t p = b64url((const unsigned char *)payload, strlen(payload), out + o, cap - o);
    if (!p) goto done;
    o += p;
    if (o + 2 >= cap) goto done;
    size_t signed_len = o;
    out[o++] = '.';
    out[o] = '\0';

    const EVP_MD *md = NULL;
    if (strcmp(alg, "HS256") == 0) md = EVP_sha256();
    else if (strcmp(alg, "HS384") == 0) md = EVP_sha384();
    else if (strcmp(alg, "HS512") == 0) md = EVP_sha512();
    if (md) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned mac_len = 0;
        if (!HMAC(md, secret, (int)strlen(secret), (const unsigned char *)out, signed_len, mac,
                  &mac_len))
            goto done;
        if (!b64url(mac, mac_len, out + o, cap - o)) goto done;
    }
    rc = 0;
done:
    cJSON_free(payload);
    cJSON_Delete(obj);
    return rc;
}
