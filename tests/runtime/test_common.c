/* test_common.c: a failing allocator and a server-less test environment. */
#include "test_common.h"

#include "alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static long alloc_count, alloc_live, fail_from;
static int alloc_failed;

static void *counting_malloc(size_t size)
{
    alloc_count++;
    if (fail_from > 0 && alloc_count >= fail_from) {
        alloc_failed = 1;
        return NULL;
    }
    void *p = malloc(size);
    if (p)
        alloc_live++;
    return p;
}

static void counting_free(void *p)
{
    if (p) {
        alloc_live--;
        free(p);
    }
}

void tq_test_alloc_install(void)
{
    cJSON_Hooks hooks = {counting_malloc, counting_free};
    cJSON_InitHooks(&hooks);
    tq_alloc_set_hooks(counting_malloc, counting_free);
}

void tq_test_alloc_reset(long from)
{
    alloc_count = 0;
    alloc_live = 0;
    alloc_failed = 0;
    fail_from = from;
}

long tq_test_alloc_count(void)
{
    return alloc_count;
}

long tq_test_alloc_live(void)
{
    return alloc_live;
}

int tq_test_alloc_failed(void)
{
    return alloc_failed;
}

static const char *const docs_scopes[] = {"team"};
static const tq_raw_index_t docs_indexes[] = {{"year", TQ_FIELD_INTEGER}};

const tq_raw_collection_t tq_test_docs = {
    .schema = "kb",
    .name = "docs",
    .vector_name = "text",
    .dim = 2,
    .distance = TQ_DISTANCE_COSINE,
    .default_placement = TQ_PLACEMENT_COLLECTION,
    .scope_fields = docs_scopes,
    .scope_count = 1,
    .indexes = docs_indexes,
    .index_count = 1,
};

const tq_raw_collection_t tq_test_notes = {
    .schema = "kb",
    .name = "notes",
    .vector_name = "body",
    .dim = 4,
    .distance = TQ_DISTANCE_DOT,
    .default_placement = TQ_PLACEMENT_SHARED,
};

int tq_test_env_open(tq_test_env_t *env, int tenant_jwt)
{
    static const char json[] =
        "{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://127.0.0.1:9\","
        "\"api_key_env\":\"TQ_TEST_EU_KEY\"}},\"tenants\":{\"acme\":{},\"globex\":{},"
        "\"sh\":{\"placement\":\"shared\"},\"dd\":{\"placement\":\"dedicated\","
        "\"endpoint\":\"eu\"}}}";
    memset(env, 0, sizeof *env);
    setenv("TENANTQ_QDRANT_URL", "http://127.0.0.1:9", 1);
    setenv("TENANTQ_QDRANT_API_KEY", "test-signing-key", 1);
    setenv("TQ_TEST_EU_KEY", "eu-signing-key", 1);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.tenant_jwt = tenant_jwt;
    if (tq_registry_parse(json, strlen(json), "test", &env->registry, NULL) != TQ_OK ||
        tq_client_new(env->registry, &o, &env->client, NULL) != TQ_OK ||
        tq_ctx_new(env->client, "acme", &env->acme, NULL) != TQ_OK ||
        tq_ctx_new(env->client, "globex", &env->globex, NULL) != TQ_OK)
        return -1;
    tq_test_assume_rbac(env->client); /* nothing listens at 127.0.0.1:9 */
    return 0;
}

void tq_test_assume_rbac(tq_client_t *client)
{
    for (size_t i = 0; i < client->endpoint_count; i++)
        atomic_store(&client->endpoints[i].rbac_state, TQ_RBAC_ENFORCED);
}

tq_status_t tq_test_auth(const tenant_ctx_t *ctx, const tq_raw_route_t *route, size_t endpoint,
                         int admin, tq_access_t access, tq_auth_t *out, tq_detail_t *detail)
{
    const tq_tenant_entry_t *tenant;
    tq_status_t st = tq_ctx_resolve(ctx, "tq_test_auth", &tenant, detail);
    if (st != TQ_OK)
        return st;
    return tq_ctx_auth(ctx->client, tenant, route, endpoint, admin, access, out, detail);
}

void tq_test_env_close(tq_test_env_t *env)
{
    tq_ctx_free(env->acme);
    tq_ctx_free(env->globex);
    tq_client_free(env->client);
    tq_registry_free(env->registry);
}

char *tq_test_jwt_claims(const char *token)
{
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2)
        return NULL;
    size_t len = (size_t)(dot2 - dot1 - 1);
    char *out = malloc(len + 1);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    if (!out)
        return NULL;
    for (const char *p = dot1 + 1; p < dot2; p++) {
        char c = *p;
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '-'             ? 62
                : c == '_'             ? 63
                                       : -1;
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits);
        }
    }
    out[o] = '\0';
    return out;
}
