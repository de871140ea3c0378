/* auth.c: authentication and RBAC, following src/actix/auth.rs and
 * lib/storage/src/rbac in Qdrant.
 *
 * The api-key header wins over Authorization: Bearer. Keys compare in constant time.
 * A JWT is accepted only with alg HS256, signed with the api key; `exp` allows 30 s of
 * leeway. Token parts must be canonical base64url and hold no duplicate JSON member
 * (Qdrant's base64 and serde refuse both: 401). Messages match Qdrant's (401 and JWT failures as plain text, RBAC denials as
 * "Forbidden: ..."). This file never looks at collections' existence: access is
 * decided before any lookup so a token cannot probe names.
 *
 * A token that verified is remembered (its exact bytes, the key it was verified
 * against, the access it grants and its `exp`), so a client sending the same token on
 * every request pays the base64, JSON and HMAC work once. A remembered token is
 * honoured only while the server's key is the one it was verified against and its
 * `exp` (with the leeway) is not passed, checked on every use; a refused token is
 * never remembered, so what is accepted or refused does not change.
 */
#include "auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define JWT_MAX_LEN 16384
#define JWT_LEEWAY_SECONDS 30

static const char msg_missing[] = "Must provide an API key or an Authorization bearer token";
static const char msg_invalid[] = "Invalid API key or JWT";

const char *ds_cred_name(ds_cred_t cred)
{
    switch (cred) {
    case DS_CRED_API_KEY: return "api_key";
    case DS_CRED_ALT_API_KEY: return "alt_api_key";
    case DS_CRED_READ_ONLY: return "read_only_key";
    case DS_CRED_JWT: return "jwt";
    case DS_CRED_INVALID: return "invalid";
    case DS_CRED_NONE: break;
    }
    return "none";
}

int ds_auth_whitelisted(const char *path)
{
    return strcmp(path, "/") == 0 || strcmp(path, "/healthz") == 0 ||
           strncmp(path, "/readyz", 7) == 0 || strncmp(path, "/livez", 6) == 0;
}

static int key_equal(const char *given, const char *key)
{
    if (!key || !*key)
        return 0;
    size_t a = strlen(given), b = strlen(key);
    return a == b && CRYPTO_memcmp(given, key, a) == 0;
}

long ds_base64url_decode(const char *in, size_t len, unsigned char *out)
{
    unsigned acc = 0;
    int bits = 0;
    long o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        else
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)((acc >> bits) & 0xFF);
        }
    }
    /* Canonical only: a lone sextet, or leftover bits that are not zero, means the text
     * is not what encoding the decoded bytes gives (Qdrant's base64 engine refuses it). */
    if (bits >= 6 || (acc & ((1u << bits) - 1u)) != 0)
        return -1;
    return o;
}

/* 1 when some object in `item`'s tree has two members of the same name. serde, which
 * Qdrant decodes tokens with, refuses a duplicate field; cJSON would keep the first. */
static int has_duplicate_member(const cJSON *item)
{
    for (const cJSON *a = item ? item->child : NULL; a; a = a->next) {
        if (cJSON_IsObject(item)) {
            for (const cJSON *b = a->next; b; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    return 1;
        }
        if (has_duplicate_member(a))
            return 1;
    }
    return 0;
}

static cJSON *decode_part(const char *s, size_t len)
{
    unsigned char *buf = malloc(len * 3 / 4 + 4);
    if (!buf)
        return NULL;
    long n = ds_base64url_decode(s, len, buf);
    cJSON *doc = n < 0 ? NULL : cJSON_ParseWithLength((const char *)buf, (size_t)n);
    free(buf);
    return doc;
}

/* HMAC-SHA256 keyed with `secret`, ready for the token's bytes. The keyed state is
 * made once per key and copied per request: the one-shot HMAC() looks HMAC and SHA-256
 * up in OpenSSL 3's provider store on every call, which cost more than the MAC. NULL
 * on failure; free with EVP_MAC_CTX_free. */
static EVP_MAC_CTX *hmac_start(const char *secret)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static EVP_MAC_CTX *keyed;
    static char *keyed_secret;
    EVP_MAC_CTX *copy = NULL;
    pthread_mutex_lock(&lock);
    if (!keyed || strcmp(keyed_secret, secret) != 0) {
        EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
        EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
        char digest[] = "SHA256";
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
        char *dup = strdup(secret);
        EVP_MAC_free(mac);
        if (ctx && dup &&
            EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params)) {
            EVP_MAC_CTX_free(keyed);
            free(keyed_secret);
            keyed = ctx;
            keyed_secret = dup;
        } else {
            EVP_MAC_CTX_free(ctx);
            free(dup);
        }
    }
    if (keyed && strcmp(keyed_secret, secret) == 0)
        copy = EVP_MAC_CTX_dup(keyed);
    pthread_mutex_unlock(&lock);
    return copy;
}

static int signature_ok(const char *token, size_t signed_len, const char *sig, size_t sig_len,
                        const char *secret)
{
    if (!secret || !*secret)
        return 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    EVP_MAC_CTX *ctx = hmac_start(secret);
    int ok = ctx && EVP_MAC_update(ctx, (const unsigned char *)token, signed_len) &&
             EVP_MAC_final(ctx, mac, &mac_len, sizeof mac);
    EVP_MAC_CTX_free(ctx);
    if (!ok)
        return 0;
    unsigned char got[64];
    if (sig_len > 86)
        return 0;
    long n = ds_base64url_decode(sig, sig_len, got);
    return n == (long)mac_len && CRYPTO_memcmp(got, mac, mac_len) == 0;
}

/* Parses the `access` claim. Returns 0 on success, -1 when invalid. */
static int parse_access(const cJSON *claim, ds_access_t *out)
{
    out->global = 1;
    out->manage = 1;
    if (!claim)
        return 0;
    if (cJSON_IsString(claim)) {
        if (strcmp(claim->valuestring, "m") == 0)
            return 0;
        if (strcmp(claim->valuestring, "r") == 0) {
            out->manage = 0;
            return 0;
        }
        return -1;
    }
    if (!cJSON_IsArray(claim))
        return -1;
    out->global = 0;
    out->manage = 0;
    size_t n = (size_t)cJSON_GetArraySize(claim);
    out->list = calloc(n ? n : 1, sizeof *out->list);
    if (!out->list)
        return -1;
    for (const cJSON *e = claim->child; e; e = e->next) {
        const cJSON *col = cJSON_GetObjectItemCaseSensitive(e, "collection");
        const cJSON *acc = cJSON_GetObjectItemCaseSensitive(e, "access");
        if (!cJSON_IsString(col) || !cJSON_IsString(acc))
            return -1;
        for (const cJSON *k = e->child; k; k = k->next)
            if (strcmp(k->string, "collection") != 0 && strcmp(k->string, "access") != 0)
                return -1; /* e.g. the removed per-point `payload` rule */
        ds_col_mode_t mode;
        if (strcmp(acc->valuestring, "r") == 0)
            mode = DS_COL_R;
        else if (strcmp(acc->valuestring, "rw") == 0)
            mode = DS_COL_RW;
        else if (strcmp(acc->valuestring, "prw") == 0)
            mode = DS_COL_PRW;
        else
            return -1;
        for (size_t i = 0; i < out->n; i++)
            if (strcmp(out->list[i].collection, col->valuestring) == 0)
                return -1;
        out->list[out->n].collection = strdup(col->valuestring);
        if (!out->list[out->n].collection)
            return -1;
        out->list[out->n++].mode = mode;
    }
    return 0;
}

/* Decodes and checks a JWT. Returns 0, 401 or 403 (message in msg). */
static int check_jwt(const ds_config_t *cfg, const char *token, ds_access_t *out, char *msg,
                     size_t len)
{
    int status = 401;
    cJSON *header = NULL, *claims = NULL;
    size_t tlen = strlen(token);
    const char *d1 = memchr(token, '.', tlen);
    const char *d2 = d1 ? memchr(d1 + 1, '.', tlen - (size_t)(d1 + 1 - token)) : NULL;
    snprintf(msg, len, "%s", msg_invalid);
    if (tlen > JWT_MAX_LEN || !d1 || !d2 || memchr(d2 + 1, '.', tlen - (size_t)(d2 + 1 - token)))
        goto done;
    header = decode_part(token, (size_t)(d1 - token));
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0 ||
        has_duplicate_member(header))
        goto done;
    size_t signed_len = (size_t)(d2 - token);
    const char *sig = d2 + 1;
    size_t sig_len = tlen - signed_len - 1;
    unsigned char sig_bytes[64];
    if (sig_len > 86 || ds_base64url_decode(sig, sig_len, sig_bytes) < 0)
        goto done; /* not canonical base64url: malformed, not merely a wrong signature */
    if (!signature_ok(token, signed_len, sig, sig_len, cfg->api_key)) {
        status = 403;
        snprintf(msg, len, "InvalidSignature");
        goto done;
    }
    claims = decode_part(d1 + 1, (size_t)(d2 - d1 - 1));
    if (!cJSON_IsObject(claims)) {
        status = 403;
        snprintf(msg, len, "InvalidToken");
        goto done;
    }
    if (has_duplicate_member(claims))
        goto done; /* claims that do not deserialise: 401 */
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(claims, "exp");
    if (exp) {
        if (!cJSON_IsNumber(exp)) {
            status = 403;
            snprintf(msg, len, "InvalidToken");
            goto done;
        }
        if ((double)time(NULL) > exp->valuedouble + JWT_LEEWAY_SECONDS) {
            status = 403;
            snprintf(msg, len, "ExpiredSignature");
            goto done;
        }
    }
    const cJSON *access = cJSON_GetObjectItemCaseSensitive(claims, "access");
    if (access)
        out->jwt_access = cJSON_PrintUnformatted(access);
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(claims, "sub");
    if (cJSON_IsString(sub))
        out->jwt_sub = strdup(sub->valuestring);
    if (parse_access(access, out) != 0)
        goto done;
    const cJSON *ve = cJSON_GetObjectItemCaseSensitive(claims, "value_exists");
    if (ve && !cJSON_IsNull(ve)) {
        const cJSON *col = cJSON_GetObjectItemCaseSensitive(ve, "collection");
        const cJSON *matches = cJSON_GetObjectItemCaseSensitive(ve, "matches");
        if (!cJSON_IsString(col) || !cJSON_IsArray(matches))
            goto done;
        out->value_exists = cJSON_Duplicate(ve, 1);
        if (!out->value_exists)
            goto done;
    }
    status = 0;
done:
    cJSON_Delete(header);
    cJSON_Delete(claims);
    return status;
}

/* The verified-token cache: direct-mapped, JWT_CACHE_SLOTS entries, each a copy of a
 * token that passed check_jwt and of the access it granted. The slot index is a hash
 * seeded from the kernel's random source (getrandom) at first use, and tokens compare in constant
 * time, so timing tells a caller nothing about other callers' tokens. */
#define JWT_CACHE_SLOTS 1024
#define JWT_CACHE_TOKEN_MAX 4096

typedef struct jwt_cached {
    char *token; /* NULL: empty slot */
    size_t token_len;
    int has_exp;
    double exp;
    ds_access_t access;
} jwt_cached_t;

static pthread_mutex_t jwt_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static jwt_cached_t jwt_cache[JWT_CACHE_SLOTS];
static char *jwt_cache_key; /* the api key every cached token was verified against */
static uint64_t jwt_cache_seed;
static int jwt_cache_seeded;

static size_t jwt_slot(const char *token, size_t len)
{
    uint64_t h = jwt_cache_seed ^ 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)token[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    return (size_t)(h % JWT_CACHE_SLOTS);
}

static void jwt_slot_clear(jwt_cached_t *e)
{
    if (e->token) {
        OPENSSL_cleanse(e->token, e->token_len);
        free(e->token);
    }
    ds_access_clear(&e->access);
    memset(e, 0, sizeof *e);
}

/* A deep copy of `src`; 0, or -1 when out of memory (dst then holds nothing). */
static int access_copy(ds_access_t *dst, const ds_access_t *src)
{
    *dst = *src;
    dst->list = NULL;
    dst->n = 0;
    dst->jwt_access = NULL;
    dst->jwt_sub = NULL;
    dst->value_exists = NULL;
    if (src->n) {
        dst->list = calloc(src->n, sizeof *dst->list);
        if (!dst->list)
            goto fail;
        for (; dst->n < src->n; dst->n++) {
            dst->list[dst->n].mode = src->list[dst->n].mode;
            dst->list[dst->n].collection = strdup(src->list[dst->n].collection);
            if (!dst->list[dst->n].collection)
                goto fail;
        }
    }
    if ((src->jwt_access && !(dst->jwt_access = strdup(src->jwt_access))) ||
        (src->jwt_sub && !(dst->jwt_sub = strdup(src->jwt_sub))) ||
        (src->value_exists && !(dst->value_exists = cJSON_Duplicate(src->value_exists, 1))))
        goto fail;
    return 0;
fail:
    ds_access_clear(dst);
    return -1;
}

/* Must hold jwt_cache_lock. Empties the cache when the server's key is no longer the one
 * its tokens were verified against; 0 when the cache may be used with `key`. */
static int jwt_cache_for_key(const char *key)
{
    if (!jwt_cache_seeded) {
        if (getrandom(&jwt_cache_seed, sizeof jwt_cache_seed, 0) != (ssize_t)sizeof jwt_cache_seed)
            return -1;
        jwt_cache_seeded = 1;
    }
    if (jwt_cache_key && strcmp(jwt_cache_key, key) == 0)
        return 0;
    for (size_t i = 0; i < JWT_CACHE_SLOTS; i++)
        jwt_slot_clear(&jwt_cache[i]);
    free(jwt_cache_key);
    jwt_cache_key = strdup(key);
    return jwt_cache_key ? 0 : -1;
}

/* 1 with `out` filled when `token` was verified against `key` and is not expired; 0
 * when it must be checked in full (an expired one is dropped, and check_jwt then
 * refuses it with its own message). */
static int jwt_cache_lookup(const char *key, const char *token, ds_access_t *out)
{
    size_t len = strlen(token);
    int hit = 0;
    if (len > JWT_CACHE_TOKEN_MAX)
        return 0;
    pthread_mutex_lock(&jwt_cache_lock);
    if (jwt_cache_for_key(key) == 0) {
        jwt_cached_t *e = &jwt_cache[jwt_slot(token, len)];
        if (e->token && e->token_len == len && CRYPTO_memcmp(e->token, token, len) == 0) {
            if (e->has_exp && (double)time(NULL) > e->exp + JWT_LEEWAY_SECONDS)
                jwt_slot_clear(e);
            else
                hit = access_copy(out, &e->access) == 0;
        }
    }
    pthread_mutex_unlock(&jwt_cache_lock);
    return hit;
}

/* Remembers a token check_jwt just accepted with `access`; nothing when out of memory
 * (the next use then verifies it again). */
static void jwt_cache_store(const char *key, const char *token, const ds_access_t *access)
{
    size_t len = strlen(token);
    if (len > JWT_CACHE_TOKEN_MAX)
        return;
    /* exp as check_jwt read it: the claims part decoded again, outside the lock. */
    const char *d1 = strchr(token, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    cJSON *claims = d2 ? decode_part(d1 + 1, (size_t)(d2 - d1 - 1)) : NULL;
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(claims, "exp");
    jwt_cached_t fresh = {.has_exp = exp != NULL, .exp = cJSON_IsNumber(exp) ? exp->valuedouble : 0};
    cJSON_Delete(claims);
    if (!claims || (exp && !cJSON_IsNumber(exp)))
        return;
    fresh.token = malloc(len + 1);
    if (!fresh.token)
        return;
    memcpy(fresh.token, token, len + 1);
    fresh.token_len = len;
    if (access_copy(&fresh.access, access) != 0) {
        jwt_slot_clear(&fresh);
        return;
    }
    pthread_mutex_lock(&jwt_cache_lock);
    if (jwt_cache_for_key(key) == 0) {
        jwt_cached_t *e = &jwt_cache[jwt_slot(token, len)];
        jwt_slot_clear(e);
        *e = fresh;
        fresh.token = NULL;
    }
    pthread_mutex_unlock(&jwt_cache_lock);
    if (fresh.token)
        jwt_slot_clear(&fresh);
}

int ds_authenticate(const ds_config_t *config, const ds_request_t *req, ds_access_t *out, char *msg,
                    size_t len)
{
    memset(out, 0, sizeof *out);
    out->global = 1;
    out->manage = 1;
    int have_key = (config->api_key && *config->api_key) ||
                   (config->read_only_api_key && *config->read_only_api_key);
    if (!have_key || ds_auth_whitelisted(req->path))
        return 0;
    const char *token = req->api_key;
    if (!token && req->authorization && strncmp(req->authorization, "Bearer ", 7) == 0)
        token = req->authorization + 7;
    if (!token) {
        snprintf(msg, len, "%s", msg_missing);
        return 401;
    }
    if (key_equal(token, config->api_key)) {
        out->cred = DS_CRED_API_KEY;
        return 0;
    }
    if (key_equal(token, config->read_only_api_key)) {
        out->cred = DS_CRED_READ_ONLY;
        out->manage = 0;
        return 0;
    }
    out->cred = DS_CRED_INVALID;
    if (!config->jwt_rbac || !config->api_key || !*config->api_key) {
        snprintf(msg, len, "%s", msg_invalid);
        return 401;
    }
    if (jwt_cache_lookup(config->api_key, token, out)) {
        out->cred = DS_CRED_JWT;
        return 0;
    }
    int status = check_jwt(config, token, out, msg, len);
    if (status == 0) {
        out->cred = DS_CRED_JWT;
        jwt_cache_store(config->api_key, token, out);
    }
    return status;
}

void ds_access_clear(ds_access_t *access)
{
    for (size_t i = 0; i < access->n; i++)
        free(access->list[i].collection);
    free(access->list);
    free(access->jwt_access);
    free(access->jwt_sub);
    cJSON_Delete(access->value_exists);
    memset(access, 0, sizeof *access);
}

static const ds_access_entry_t *find_entry(const ds_access_t *a, const char *collection)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->list[i].collection, collection) == 0)
            return &a->list[i];
    return NULL;
}

int ds_authorize(const ds_access_t *access, const char *collection, ds_need_t need, char *msg,
                 size_t len)
{
    if (access->global) {
        if (need == DS_NEED_READ || access->manage)
            return 0;
        snprintf(msg, len, "Forbidden: Global manage access is required");
        return 403;
    }
    if (need == DS_NEED_GLOBAL || !collection) {
        snprintf(msg, len, "Forbidden: Global access is required");
        return 403;
    }
    const ds_access_entry_t *e = find_entry(access, collection);
    if (!e) {
        snprintf(msg, len, "Forbidden: Access to collection %s is required", collection);
        return 403;
    }
    /* Same order as CollectionAccessView::meets_requirements: extras, write, manage. */
    if (need == DS_NEED_COL_MANAGE && e->mode == DS_COL_PRW) {
        snprintf(msg, len, "Forbidden: Only points access is allowed for collection %s",
                 collection);
        return 403;
    }
    if (need != DS_NEED_READ && e->mode == DS_COL_R) {
        snprintf(msg, len, "Forbidden: Write access to collection %s is required", collection);
        return 403;
    }
    if (need == DS_NEED_COL_ADMIN) {
        snprintf(msg, len, "Forbidden: Manage access for this operation is required");
        return 403;
    }
    return 0;
}

int ds_access_can_see(const ds_access_t *access, const char *collection)
{
    return access->global || find_entry(access, collection) != NULL;
}
