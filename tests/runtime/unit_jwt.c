/* unit_jwt.c: minted tokens decoded and checked: header, HS256 signature recomputed,
 * exp, sub and an access list naming exactly the requested collection; and the
 * per-request credential choice. */
#include "test_common.h"

#include "ctx.h"
#include "jwt.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cJSON *decode_claims(const char *token)
{
    char *text = tq_test_jwt_claims(token);
    assert_non_null(text);
    cJSON *claims = cJSON_Parse(text);
    free(text);
    return claims;
}

static cJSON *decode_header(const char *token)
{
    /* The header is the claims slot of ".header." */
    const char *dot = strchr(token, '.');
    char buf[256];
    assert_true((size_t)(dot - token) + 3 < sizeof buf);
    snprintf(buf, sizeof buf, ".%.*s.", (int)(dot - token), token);
    return decode_claims(buf);
}

/* Checks `token` and returns its claims (caller deletes). */
static cJSON *verify(const char *token, const char *key)
{
    const char *dot1 = strchr(token, '.');
    assert_non_null(dot1);
    const char *dot2 = strchr(dot1 + 1, '.');
    assert_non_null(dot2);
    assert_null(strchr(dot2 + 1, '.'));
    cJSON *header = decode_header(token);
    assert_non_null(header);
    assert_string_equal(cJSON_GetObjectItem(header, "alg")->valuestring, "HS256");
    assert_string_equal(cJSON_GetObjectItem(header, "typ")->valuestring, "JWT");
    cJSON_Delete(header);
    unsigned char mac[32];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)token,
         (size_t)(dot2 - token), mac, &mac_len);
    char expect[64];
    tq_base64url_encode(mac, mac_len, expect);
    assert_string_equal(dot2 + 1, expect);
    return decode_claims(token);
}

static void mint_and_decode(void **state)
{
    (void)state;
    char *token = NULL;
    assert_int_equal(tq_jwt_mint("secret-key", "acme", "kb-docs--acme", "r", 1700000000, &token), TQ_OK);
    cJSON *claims = verify(token, "secret-key");
    assert_non_null(claims);
    assert_int_equal((long long)cJSON_GetObjectItem(claims, "exp")->valuedouble, 1700000000LL);
    assert_string_equal(cJSON_GetObjectItem(claims, "sub")->valuestring, "acme");
    cJSON *access = cJSON_GetObjectItem(claims, "access");
    assert_int_equal(cJSON_GetArraySize(access), 1);
    cJSON *entry = cJSON_GetArrayItem(access, 0);
    assert_string_equal(cJSON_GetObjectItem(entry, "collection")->valuestring, "kb-docs--acme");
    assert_string_equal(cJSON_GetObjectItem(entry, "access")->valuestring, "r");
    assert_int_equal(cJSON_GetArraySize(claims), 3);
    cJSON_Delete(claims);
    /* A different key gives a different signature. */
    char *other = NULL;
    assert_int_equal(tq_jwt_mint("other-key", "acme", "kb-docs--acme", "r", 1700000000, &other), TQ_OK);
    assert_string_not_equal(strrchr(token, '.'), strrchr(other, '.'));
    free(token);
    free(other);
}

static void base64url(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(tq_base64url_encode((const unsigned char *)"", 0, out), 0);
    tq_base64url_encode((const unsigned char *)"f", 1, out);
    assert_string_equal(out, "Zg");
    tq_base64url_encode((const unsigned char *)"fo", 2, out);
    assert_string_equal(out, "Zm8");
    tq_base64url_encode((const unsigned char *)"foo", 3, out);
    assert_string_equal(out, "Zm9v");
    tq_base64url_encode((const unsigned char *)"\xfb\xff", 2, out);
    assert_string_equal(out, "-_8");
}

static void context_tokens(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 1), 0);
    tq_raw_route_t docs, notes;
    tq_detail_t d;
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &docs, &d), TQ_OK);
    assert_int_equal(tq_raw_route(env.acme, &tq_test_notes, &notes, &d), TQ_OK);
    tq_auth_t a1, a2, a3, admin, g;
    assert_int_equal(tq_test_auth(env.acme, &docs, 0, 0, TQ_ACCESS_READ, &a1, &d), TQ_OK);
    assert_int_equal(a1.kind, TQ_CRED_BEARER);
    cJSON *claims = verify(a1.secret, "test-signing-key");
    time_t now = time(NULL);
    double exp = cJSON_GetObjectItem(claims, "exp")->valuedouble;
    assert_true(exp >= (double)now + 300 - 5 && exp <= (double)now + 300 + 5);
    assert_string_equal(cJSON_GetObjectItem(claims, "sub")->valuestring, "acme");
    cJSON *entry = cJSON_GetArrayItem(cJSON_GetObjectItem(claims, "access"), 0);
    assert_string_equal(cJSON_GetObjectItem(entry, "collection")->valuestring, "kb-docs--acme");
    cJSON_Delete(claims);
    /* cached: the same token again */
    assert_int_equal(tq_test_auth(env.acme, &docs, 0, 0, TQ_ACCESS_READ, &a2, &d), TQ_OK);
    assert_string_equal(a1.secret, a2.secret);
    /* another collection: another token naming only it */
    assert_int_equal(tq_test_auth(env.acme, &notes, 0, 0, TQ_ACCESS_READ, &a3, &d), TQ_OK);
    claims = verify(a3.secret, "test-signing-key");
    entry = cJSON_GetArrayItem(cJSON_GetObjectItem(claims, "access"), 0);
    assert_string_equal(cJSON_GetObjectItem(entry, "collection")->valuestring, "kb-notes");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(claims, "access")), 1);
    cJSON_Delete(claims);
    /* admin requests use the API key */
    assert_int_equal(tq_test_auth(env.acme, &docs, 0, 1, TQ_ACCESS_READ, &admin, &d), TQ_OK);
    assert_int_equal(admin.kind, TQ_CRED_API_KEY);
    assert_string_equal(admin.secret, "test-signing-key");
    /* another tenant never gets acme's token */
    tq_raw_route_t gdocs;
    assert_int_equal(tq_raw_route(env.globex, &tq_test_docs, &gdocs, &d), TQ_OK);
    assert_int_equal(tq_test_auth(env.globex, &gdocs, 0, 0, TQ_ACCESS_READ, &g, &d), TQ_OK);
    assert_string_not_equal(g.secret, a1.secret);
    claims = verify(g.secret, "test-signing-key");
    assert_string_equal(cJSON_GetObjectItem(claims, "sub")->valuestring, "globex");
    cJSON_Delete(claims);
    /* least privilege: a write gets its own "prw" token, a read keeps "r" */
    tq_auth_t w;
    assert_int_equal(tq_test_auth(env.acme, &docs, 0, 0, TQ_ACCESS_POINTS_RW, &w, &d), TQ_OK);
    assert_string_not_equal(w.secret, a1.secret);
    claims = verify(w.secret, "test-signing-key");
    entry = cJSON_GetArrayItem(cJSON_GetObjectItem(claims, "access"), 0);
    assert_string_equal(cJSON_GetObjectItem(entry, "access")->valuestring, "prw");
    assert_string_equal(cJSON_GetObjectItem(entry, "collection")->valuestring, "kb-docs--acme");
    cJSON_Delete(claims);
    claims = verify(a1.secret, "test-signing-key");
    entry = cJSON_GetArrayItem(cJSON_GetObjectItem(claims, "access"), 0);
    assert_string_equal(cJSON_GetObjectItem(entry, "access")->valuestring, "r");
    cJSON_Delete(claims);
    tq_auth_release(&w);
    tq_auth_release(&a1);
    tq_auth_release(&a2);
    tq_auth_release(&a3);
    tq_auth_release(&admin);
    tq_auth_release(&g);
    tq_test_env_close(&env);
}

static void without_jwt_the_api_key_is_used(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    tq_raw_route_t docs;
    tq_detail_t d;
    tq_auth_t a;
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &docs, &d), TQ_OK);
    assert_int_equal(tq_test_auth(env.acme, &docs, 0, 0, TQ_ACCESS_READ, &a, &d), TQ_OK);
    assert_int_equal(a.kind, TQ_CRED_API_KEY);
    tq_auth_release(&a);
    tq_test_env_close(&env);
    unsetenv("TENANTQ_QDRANT_API_KEY");
    tq_registry_t *r;
    tq_client_t *c;
    tenant_ctx_t *ctx;
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.tenant_jwt = 1;
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{}}}";
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &r, &d), TQ_OK);
    assert_int_equal(tq_client_new(r, &o, &c, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(c, "acme", &ctx, &d), TQ_OK);
    assert_int_equal(tq_raw_route(ctx, &tq_test_docs, &docs, &d), TQ_OK);
    assert_int_equal(tq_test_auth(ctx, &docs, 0, 0, TQ_ACCESS_READ, &a, &d), TQ_EAUTH);
    assert_non_null(strstr(d.message, "TENANTQ_QDRANT_API_KEY"));
    tq_ctx_free(ctx);
    tq_client_free(c);
    tq_registry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mint_and_decode),
        cmocka_unit_test(base64url),
        cmocka_unit_test(context_tokens),
        cmocka_unit_test(without_jwt_the_api_key_is_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
