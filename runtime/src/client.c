/* client.c: opening and closing a tq_client_t: options, endpoint URLs and keys, the
 * pool of HTTP handles.
 *
 * API keys are read from the environment once, here, and live only in the client; they
 * must never be copied into a detail message. */
#include "client.h"
#include "ctx.h"

#include "alloc.h"
#include "detail.h"
#include "interpose.h"
#include "registry.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_status = CURLE_OK;

static void curl_init(void)
{
    curl_init_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void tq_client_options_init(tq_client_options_t *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->connect_timeout_ms = 2000;
    o->total_timeout_ms = 30000;
    o->max_retries = 4;
    o->retry_base_ms = 50;
    o->retry_max_ms = 2000;
    o->max_response_bytes = 64u * 1024u * 1024u;
    o->max_json_depth = 64;
    o->max_results = 10000;
    o->upsert_batch_size = 256;
    o->tenant_jwt = 0;
    o->skip_schema_check = 0;
    o->jwt_ttl_s = 300;
    o->ca_file = NULL;
}

static tq_status_t check_options(const tq_client_options_t *o, tq_detail_t *detail)
{
    if (o->connect_timeout_ms <= 0 || o->total_timeout_ms <= 0)
        return tq_fail(detail, TQ_EINVAL, 0, "timeouts must be positive");
    if (o->max_retries < 0 || o->max_retries > 20)
        return tq_fail(detail, TQ_EINVAL, 0, "max_retries must be 0..20");
    if (o->retry_base_ms < 0 || o->retry_max_ms < o->retry_base_ms)
        return tq_fail(detail, TQ_EINVAL, 0, "retry_base_ms must be 0..retry_max_ms");
    if (o->max_response_bytes < 1024)
        return tq_fail(detail, TQ_EINVAL, 0, "max_response_bytes must be at least 1024");
    if (o->max_json_depth < 8 || o->max_json_depth > 1000)
        return tq_fail(detail, TQ_EINVAL, 0, "max_json_depth must be 8..1000");
    if (o->max_results < 1 || o->upsert_batch_size < 1)
        return tq_fail(detail, TQ_EINVAL, 0, "max_results and upsert_batch_size must be >= 1");
    if (o->tenant_jwt && (o->jwt_ttl_s < 90 || o->jwt_ttl_s > 86400))
        return tq_fail(detail, TQ_EINVAL, 0, "jwt_ttl_s must be 90..86400");
    return TQ_OK;
}

static int header_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x21 || *p > 0x7e)
            return 0;
    }
    return 1;
}

static tq_status_t open_endpoint(tq_endpoint_t *e, const tq_registry_endpoint_t *r,
                                 tq_detail_t *detail)
{
    const char *url = r->url;
    if (!url) {
        url = getenv(TQ_ENV_URL);
        if (!url || !url[0])
            url = TQ_DEFAULT_URL;
        const char *host = strstr(url, "://"); /* not NULL once the scheme is checked */
        if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
            !header_safe(url) || !host[3] || host[3] == '/' || host[3] == ':' ||
            strchr(url, '@') || strchr(url, '?') || strchr(url, '#') || strlen(url) > 1024)
            return tq_fail(detail, TQ_EINVAL, 0,
                           "%s must be an http:// or https:// URL without credentials, query "
                           "or fragment",
                           TQ_ENV_URL);
    }
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    e->name = r->name;
    e->api_key_env = r->api_key_env;
    e->url = tq_strndup(url, n);
    if (!e->url)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    const char *key = r->api_key_env ? getenv(r->api_key_env) : NULL;
    if (key && key[0]) {
        if (!header_safe(key) || strlen(key) > 4096)
            return tq_fail(detail, TQ_EINVAL, 0,
                           "the key in %s is not a printable ASCII string of at most 4096 bytes",
                           r->api_key_env);
        e->api_key = tq_strdup(key);
        if (!e->api_key)
            return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    return TQ_OK;
}

tq_status_t tq_client_new(const tq_registry_t *registry, const tq_client_options_t *options,
                          tq_client_t **out, tq_detail_t *detail)
{
    if (!registry || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "tq_client_new: %s is NULL",
                       !registry ? "registry" : "out");
    tq_client_options_t defaults;
    tq_client_options_init(&defaults);
    if (!options)
        options = &defaults;
    tq_status_t st = check_options(options, detail);
    if (st != TQ_OK)
        return st;
    const char *replaced = tq_interposed();
    if (replaced)
        return tq_fail(detail, TQ_EVERIFY, 0, "%s; no client is made", replaced);
    pthread_once(&curl_once, curl_init);
    if (curl_init_status != CURLE_OK)
        return tq_fail(detail, TQ_ENOMEM, 0, "libcurl initialisation failed");
    tq_client_t *c = tq_calloc(1, sizeof *c);
    if (!c)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    c->registry = registry;
    c->options = *options;
    c->options.ca_file = NULL;
    for (size_t i = 0; i < TQ_POOL_SHARDS; i++)
        pthread_mutex_init(&c->pool[i].lock, NULL);
    pthread_mutex_init(&c->rbac_lock, NULL);
    c->magic = TQ_CLIENT_MAGIC;
    if (tq_verified_init(&c->verified, registry->tenant_count) != 0) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    atomic_init(&c->jitter_state, (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)c);
    if (tq_stats_store_init(&c->stats, registry) != TQ_OK) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    if (options->ca_file && !(c->ca_file = tq_strdup(options->ca_file))) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    if (tq_tenant_table_init(c) != TQ_OK) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    c->endpoints = tq_calloc(registry->endpoint_count, sizeof *c->endpoints);
    if (!c->endpoints) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < registry->endpoint_count; i++) {
        c->endpoint_count++;
        st = open_endpoint(&c->endpoints[i], &registry->endpoints[i], detail);
        if (st != TQ_OK)
            goto cleanup;
    }
    *out = c;
    c = NULL;
    tq_detail_ok(detail);
cleanup:
    tq_client_free(c);
    return st;
}

void tq_client_free(tq_client_t *client)
{
    if (!client)
        return;
    client->magic = 0;
    for (size_t i = 0; i < TQ_POOL_SHARDS; i++) {
        for (size_t k = 0; k < client->pool[i].count; k++)
            curl_easy_cleanup(client->pool[i].idle[k].handle);
        pthread_mutex_destroy(&client->pool[i].lock);
    }
    tq_tenant_table_destroy(client);
    for (size_t i = 0; i < client->endpoint_count; i++) {
        tq_free(client->endpoints[i].url);
        if (client->endpoints[i].api_key) {
            tq_wipe(client->endpoints[i].api_key, strlen(client->endpoints[i].api_key));
            tq_free(client->endpoints[i].api_key);
        }
    }
    tq_free(client->endpoints);
    tq_free(client->ca_file);
    tq_stats_store_destroy(&client->stats);
    pthread_mutex_destroy(&client->rbac_lock);
    tq_verified_destroy(&client->verified);
    tq_free(client);
}
