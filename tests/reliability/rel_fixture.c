/* rel_fixture.c: the ten-tenant environment, the expected content of every point and
 * the exact read-back every reliability test ends with.
 *
 * Content is a pure function of (tenant, key, version), so a test keeps only versions
 * as its ground truth and any point that crossed tenants, went stale or was duplicated
 * shows up as a content or count difference. It uses only the public API and the
 * generated client; it must never touch the raw layer, and it never asserts (the
 * tests' threads call it, and CMocka's asserts belong to the main thread). */
#include "rel_fixture.h"

#include <stdio.h>
#include <string.h>

#define READ_ATTEMPTS 20
#define READ_PAUSE_MS 50
#define GET_BATCH 100
#define ONBOARD_ATTEMPTS 20

static const char *const tenant_ids[REL_TENANTS] = {"t00", "t01", "t02", "t03", "t04",
                                                    "t05", "t06", "t07", "t08", "t09"};

const char *rel_tenant_id(size_t tenant)
{
    return tenant < REL_TENANTS ? tenant_ids[tenant] : NULL;
}

int rel_status_transient(tq_status_t status)
{
    return status == TQ_EBUSY || status == TQ_ECONNECT || status == TQ_ETIMEOUT;
}

void rel_options(tq_client_options_t *options, long connect_timeout_ms, long total_timeout_ms,
                 int max_retries, long retry_base_ms, long retry_max_ms)
{
    tq_client_options_init(options);
    options->connect_timeout_ms = connect_timeout_ms;
    options->total_timeout_ms = total_timeout_ms;
    options->max_retries = max_retries;
    options->retry_base_ms = retry_base_ms;
    options->retry_max_ms = retry_max_ms;
}

tq_status_t rel_env_open(rel_env_t *env, const char *url, const tq_client_options_t *options,
                         tq_detail_t *detail)
{
    memset(env, 0, sizeof *env);
    char json[2048];
    int n = snprintf(json, sizeof json,
                     "{\"version\":1,\"endpoints\":{\"default\":{\"url\":\"%s\"}},\"tenants\":{",
                     url);
    for (size_t t = 0; t < REL_TENANTS; t++)
        n += snprintf(json + n, sizeof json - (size_t)n, "%s\"%s\":%s", t ? "," : "",
                      tenant_ids[t], t < REL_TENANTS / 2 ? "{}" : "{\"placement\":\"collection\"}");
    snprintf(json + n, sizeof json - (size_t)n, "}}");
    tq_status_t st = tq_registry_parse(json, strlen(json), "reliability", &env->registry, detail);
    if (st == TQ_OK)
        st = tq_client_new(env->registry, options, &env->client, detail);
    for (size_t t = 0; st == TQ_OK && t < REL_TENANTS; t++)
        st = tq_ctx_new(env->client, tenant_ids[t], &env->ctx[t], detail);
    if (st != TQ_OK)
        rel_env_close(env);
    return st;
}

void rel_env_close(rel_env_t *env)
{
    for (size_t t = 0; t < REL_TENANTS; t++) {
        tq_ctx_free(env->ctx[t]);
        env->ctx[t] = NULL;
    }
    tq_client_free(env->client);
    tq_registry_free(env->registry);
    env->client = NULL;
    env->registry = NULL;
}

tq_status_t rel_env_onboard(rel_env_t *env, tq_detail_t *detail)
{
    tq_status_t st = TQ_OK;
    for (size_t t = 0; t < REL_TENANTS; t++) {
        for (int attempt = 0; attempt < ONBOARD_ATTEMPTS; attempt++) {
            st = rel_onboard_tenant(env->ctx[t], detail);
            if (st == TQ_OK || !rel_status_transient(st))
                break;
            rel_sleep_ms(READ_PAUSE_MS);
        }
        if (st != TQ_OK)
            return st;
    }
    return st;
}

static uint32_t key_hash(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Multiples of 1/8 below 125: exact in float, in JSON and back. */
static float component(size_t tenant, uint32_t hash, uint32_t version, size_t i)
{
    uint32_t v = (uint32_t)tenant * 131u + (hash % 10007u) * 7u + version * 3u + (uint32_t)i * 11u;
    return (float)(v % 997u) / 8.0f;
}

void rel_key_name(char *out, size_t cap, const char *prefix, size_t i)
{
    snprintf(out, cap, "%s-%zu", prefix, i);
}

void rel_point_make(rel_point_buf_t *buf, size_t tenant, const char *key, uint32_t version)
{
    snprintf(buf->key, sizeof buf->key, "%s", key);
    snprintf(buf->body, sizeof buf->body, "tenant=%s key=%s version=%u", tenant_ids[tenant],
             key, version);
    uint32_t hash = key_hash(key);
    for (size_t i = 0; i < REL_ITEMS_DIM; i++)
        buf->vector[i] = component(tenant, hash, version, i);
    memset(&buf->point, 0, sizeof buf->point);
    buf->point.key = buf->key;
    buf->point.vector = buf->vector;
    buf->point.vector_len = REL_ITEMS_DIM;
    buf->point.body = buf->body;
    buf->point.owner = tenant_ids[tenant];
    buf->point.version = version;
    buf->point.has_version = 1;
}

int rel_record_check(const rel_items_record_t *record, size_t tenant, const char *key,
                     uint32_t version, int with_vector, char *why, size_t cap)
{
    rel_point_buf_t want;
    rel_point_make(&want, tenant, key, version);
    if (!record->key || strcmp(record->key, key) != 0) {
        snprintf(why, cap, "%s: record key %s", key, record->key ? record->key : "(null)");
        return -1;
    }
    if (!record->owner || strcmp(record->owner, tenant_ids[tenant]) != 0) {
        snprintf(why, cap, "%s/%s: owner %s", tenant_ids[tenant], key,
                 record->owner ? record->owner : "(null)");
        return -1;
    }
    if (!record->body || strcmp(record->body, want.body) != 0) {
        snprintf(why, cap, "%s/%s: body \"%s\", want \"%s\"", tenant_ids[tenant], key,
                 record->body ? record->body : "(null)", want.body);
        return -1;
    }
    if (!record->has_version || record->version != (int64_t)version) {
        snprintf(why, cap, "%s/%s: version %lld, want %u", tenant_ids[tenant], key,
                 record->has_version ? (long long)record->version : -1LL, version);
        return -1;
    }
    if (!with_vector)
        return 0;
    if (!record->vector || record->vector_dim != REL_ITEMS_DIM) {
        snprintf(why, cap, "%s/%s: vector missing or of %zu floats", tenant_ids[tenant], key,
                 record->vector_dim);
        return -1;
    }
    for (size_t i = 0; i < REL_ITEMS_DIM; i++) {
        if (record->vector[i] != want.vector[i]) {
            snprintf(why, cap, "%s/%s: vector[%zu] %g, want %g", tenant_ids[tenant], key, i,
                     (double)record->vector[i], (double)want.vector[i]);
            return -1;
        }
    }
    return 0;
}

int rel_first_unwritten(const char *message, char *key, size_t cap)
{
    static const char marker[] = "first key not written: \"";
    const char *p = strstr(message, marker);
    if (!p)
        return -1;
    p += sizeof marker - 1;
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= cap || end == p)
        return -1;
    memcpy(key, p, (size_t)(end - p));
    key[end - p] = '\0';
    return 0;
}

static tq_status_t count_with_retries(tenant_ctx_t *ctx, uint64_t *out, tq_detail_t *d)
{
    tq_status_t st = TQ_OK;
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        st = rel_items_count(ctx, out, d);
        if (st == TQ_OK || !rel_status_transient(st))
            break;
        rel_sleep_ms(READ_PAUSE_MS);
    }
    return st;
}

static tq_status_t get_with_retries(tenant_ctx_t *ctx, const char *const *keys, size_t n,
                                    rel_items_records_t *out, tq_detail_t *d)
{
    tq_status_t st = TQ_OK;
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        st = rel_items_get(ctx, keys, n, 1, out, d);
        if (st == TQ_OK || !rel_status_transient(st))
            break;
        rel_sleep_ms(READ_PAUSE_MS);
    }
    return st;
}

/* Checks the records a get of `keys` returned: each one asked for, none twice, each
 * stored at versions[i] exactly, and every key whose version is not 0 present.
 * Returns 0 or -1 with `why`. */
static int match_records(const rel_items_records_t *got, size_t tenant,
                         const char *const *keys, const uint32_t *versions, size_t n,
                         char *why, size_t cap)
{
    unsigned char seen[GET_BATCH] = {0};
    for (size_t r = 0; r < got->count; r++) {
        const rel_items_record_t *rec = &got->items[r];
        size_t j = 0;
        while (j < n && (!rec->key || strcmp(rec->key, keys[j]) != 0))
            j++;
        if (j == n) {
            snprintf(why, cap, "%s: get returned unasked key %s", tenant_ids[tenant],
                     rec->key ? rec->key : "(null)");
            return -1;
        }
        if (seen[j]++) {
            snprintf(why, cap, "%s/%s: returned twice", tenant_ids[tenant], keys[j]);
            return -1;
        }
        if (versions[j] == 0) {
            snprintf(why, cap, "%s/%s: present, must be absent (version %lld)",
                     tenant_ids[tenant], keys[j], (long long)rec->version);
            return -1;
        }
        if (rel_record_check(rec, tenant, keys[j], versions[j], 1, why, cap) != 0)
            return -1;
    }
    for (size_t j = 0; j < n; j++) {
        if (versions[j] != 0 && !seen[j]) {
            snprintf(why, cap, "%s/%s: lost (version %u)", tenant_ids[tenant], keys[j],
                     versions[j]);
            return -1;
        }
    }
    return 0;
}

int rel_check_keys(rel_env_t *env, size_t tenant, const char *const *keys,
                   const uint32_t *versions, size_t n, char *why, size_t cap)
{
    if (n == 0)
        return 0;
    if (n > GET_BATCH) {
        snprintf(why, cap, "rel_check_keys: more than %d keys", GET_BATCH);
        return -1;
    }
    rel_items_records_t got = {0};
    tq_detail_t d;
    tq_status_t st = get_with_retries(env->ctx[tenant], keys, n, &got, &d);
    if (st != TQ_OK) {
        snprintf(why, cap, "%s: get: %s: %s", tenant_ids[tenant], tq_status_name(st), d.message);
        return -1;
    }
    int rc = match_records(&got, tenant, keys, versions, n, why, cap);
    rel_items_records_free(&got);
    return rc;
}

int rel_verify_tenant(rel_env_t *env, size_t tenant, const char *prefix,
                      const uint32_t *versions, size_t key_count, char *why, size_t cap)
{
    uint64_t want = 0, have = 0;
    for (size_t i = 0; i < key_count; i++)
        want += versions[i] != 0;
    tq_detail_t d;
    tq_status_t st = count_with_retries(env->ctx[tenant], &have, &d);
    if (st != TQ_OK) {
        snprintf(why, cap, "%s: count: %s: %s", tenant_ids[tenant], tq_status_name(st),
                 d.message);
        return -1;
    }
    if (have != want) {
        snprintf(why, cap, "%s: count %llu, want %llu", tenant_ids[tenant],
                 (unsigned long long)have, (unsigned long long)want);
        return -1;
    }
    char names[GET_BATCH][REL_KEY_MAX];
    const char *keys[GET_BATCH];
    for (size_t from = 0; from < key_count; from += GET_BATCH) {
        size_t n = key_count - from < GET_BATCH ? key_count - from : GET_BATCH;
        for (size_t i = 0; i < n; i++) {
            rel_key_name(names[i], sizeof names[i], prefix, from + i);
            keys[i] = names[i];
        }
        if (rel_check_keys(env, tenant, keys, versions + from, n, why, cap) != 0)
            return -1;
    }
    return 0;
}

static tq_stats_t *snapshot(const tq_client_t *client)
{
    tq_stats_t *stats = NULL;
    return tq_client_stats(client, &stats) == TQ_OK ? stats : NULL;
}

uint64_t rel_leak_trips(const tq_client_t *client)
{
    tq_stats_t *stats = snapshot(client);
    if (!stats)
        return UINT64_MAX;
    uint64_t trips = stats->leak_guard_trips;
    tq_stats_free(stats);
    return trips;
}

uint64_t rel_op_retries(const tq_client_t *client, tq_op_t op)
{
    tq_stats_t *stats = snapshot(client);
    if (!stats)
        return UINT64_MAX;
    uint64_t retries = 0;
    for (size_t t = 0; t < stats->tenant_count; t++)
        retries += stats->tenants[t].ops[op].retries;
    tq_stats_free(stats);
    return retries;
}

int rel_upsert_reported(rel_env_t *writer, rel_env_t *reader, size_t tenant,
                        const char *prefix, size_t from, size_t n, uint32_t version,
                        size_t chunk, int attempts, rel_send_stats_t *stats, char *why,
                        size_t cap)
{
    rel_point_buf_t bufs[REL_SEND_MAX];
    rel_items_point_t points[REL_SEND_MAX];
    const char *keys[REL_SEND_MAX];
    if (n > REL_SEND_MAX || chunk == 0) {
        snprintf(why, cap, "rel_upsert_reported: bad arguments");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char key[REL_KEY_MAX];
        rel_key_name(key, sizeof key, prefix, from + i);
        rel_point_make(&bufs[i], tenant, key, version);
        points[i] = bufs[i].point;
        keys[i] = bufs[i].key;
    }
    size_t start = 0;
    for (int attempt = 0; attempt < attempts; attempt++) {
        tq_detail_t d;
        stats->calls++;
        tq_status_t st = rel_items_upsert(writer->ctx[tenant], points + start, n - start, &d);
        if (st == TQ_OK)
            return 0;
        stats->failed++;
        stats->timeouts += st == TQ_ETIMEOUT;
        if (!rel_status_transient(st) || d.status != st) {
            snprintf(why, cap, "%s: upsert: %s (detail %s): %s", tenant_ids[tenant],
                     tq_status_name(st), tq_status_name(d.status), d.message);
            return -1;
        }
        /* The structured count says how many leading points are known stored; the
         * message must name the next key, and that key must start a request. */
        size_t at = start + d.items_done;
        char first[REL_KEY_MAX];
        if (at >= n || rel_first_unwritten(d.message, first, sizeof first) != 0 ||
            strcmp(first, keys[at]) != 0) {
            snprintf(why, cap, "%s: failed upsert reports %zu points stored but names: %s",
                     tenant_ids[tenant], d.items_done, d.message);
            return -1;
        }
        if ((at - start) % chunk != 0) {
            snprintf(why, cap, "%s: reported key %s is no request start of the call from %s",
                     tenant_ids[tenant], first, keys[start]);
            return -1;
        }
        uint32_t versions[REL_SEND_MAX];
        for (size_t i = start; i < at; i++)
            versions[i - start] = version;
        if (rel_check_keys(reader, tenant, keys + start, versions, at - start, why, cap) != 0)
            return -1;
        start = at;
    }
    snprintf(why, cap, "%s: keys from %s still not written after %d calls", tenant_ids[tenant],
             keys[start], attempts);
    return -1;
}
