/* admin_fixture.c: the application side of the tenantq-admin live tests.
 *
 * Writes and reads tenants' points through the client generated from adm.tqs, exactly
 * as an application would, and counts points with plain HTTP (libcurl, no tenantq
 * code) so a test can see where data really is:
 *   admin_fixture seed REGISTRY TENANT N        N docs (k00000..) and 3 notes
 *   admin_fixture check REGISTRY TENANT N       every doc and note readable and intact
 *   admin_fixture reads REGISTRY TENANT N MS    `check` in a loop for MS milliseconds,
 *                                               reloading the registry each time
 *   admin_fixture attack REGISTRY TENANT N VICTIM VN   TENANT (N docs) searches with
 *                                               VICTIM's vectors and titles, scrolls
 *                                               all: nothing of VICTIM may come back
 *   admin_fixture offboard REGISTRY TENANT      the generated adm_offboard_tenant
 *   admin_fixture rawcount URL COLLECTION [TENANT|- [SHARD]]   prints the count (in one
 *                                               shard key with SHARD), or "absent"
 *   admin_fixture rawhas URL COLLECTION KEY      points carrying payload key KEY
 *   admin_fixture rawput URL COLLECTION [TENANT]     creates a bare collection, or puts
 *                                               one point with that tq_tenant into it
 *   admin_fixture rawshard URL COLLECTION KEY    creates shard key KEY by hand
 *   admin_fixture report FILE                   checks an erasure report's seal and
 *                                               prints "found deleted remaining verified"
 * Exit 0 on success, 1 for missing, altered or leaked data, 3 when a request failed. */
#include "adm.tq.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOTES 3

/* A call that failed (as opposed to data that is wrong) exits 3, so a scenario
 * against a faulty server can tell a refused request from a lost point. TQ_ELEAK is
 * never a transport failure. */
static int fail(const char *what, tq_status_t st, const tq_detail_t *d)
{
    fprintf(stderr, "admin_fixture: %s: %s (%s)\n", what, d ? d->message : "",
            tq_status_name(st));
    return st == TQ_ELEAK ? 1 : 3;
}

static void doc_vector(const char *tenant, size_t i, float v[ADM_DOCS_DIM])
{
    for (size_t k = 0; k < ADM_DOCS_DIM; k++)
        v[k] = (float)((i * 7 + k * 13 + strlen(tenant)) % 97) / 97.0f + 0.001f * (float)k;
}

typedef struct session {
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *ctx;
} session_t;

static int open_session(session_t *s, const char *registry, const char *tenant)
{
    tq_detail_t d;
    tq_status_t st = tq_registry_load(registry, &s->registry, &d);
    if (st == TQ_OK)
        st = tq_client_new(s->registry, NULL, &s->client, &d);
    if (st == TQ_OK)
        st = tq_ctx_new(s->client, tenant, &s->ctx, &d);
    return st == TQ_OK ? 0 : fail("open", st, &d);
}

static void close_session(session_t *s)
{
    tq_ctx_free(s->ctx);
    tq_client_free(s->client);
    tq_registry_free(s->registry);
    memset(s, 0, sizeof *s);
}

static int seed(const tenant_ctx_t *ctx, const char *tenant, size_t n)
{
    enum { BATCH = 256 };
    adm_docs_point_t pts[BATCH];
    char keys[BATCH][16], titles[BATCH][96];
    float vecs[BATCH][ADM_DOCS_DIM];
    tq_detail_t d;
    for (size_t at = 0; at < n; at += BATCH) {
        size_t m = n - at < BATCH ? n - at : BATCH;
        for (size_t j = 0; j < m; j++) {
            size_t i = at + j;
            snprintf(keys[j], sizeof keys[j], "k%05zu", i);
            snprintf(titles[j], sizeof titles[j], "%s-%zu", tenant, i);
            doc_vector(tenant, i, vecs[j]);
            memset(&pts[j], 0, sizeof pts[j]);
            pts[j].key = keys[j];
            pts[j].vector = vecs[j];
            pts[j].vector_len = ADM_DOCS_DIM;
            pts[j].title = titles[j];
            pts[j].n = (int64_t)i;
            pts[j].has_n = 1;
        }
        tq_status_t st = adm_docs_upsert(ctx, pts, m, &d);
        if (st != TQ_OK)
            return fail("upsert docs", st, &d);
    }
    adm_notes_point_t notes[NOTES];
    float nv[NOTES][ADM_NOTES_DIM];
    const char *nkeys[NOTES] = {"n0", "n1", "n2"};
    for (size_t j = 0; j < NOTES; j++) {
        memset(&notes[j], 0, sizeof notes[j]);
        for (size_t k = 0; k < ADM_NOTES_DIM; k++)
            nv[j][k] = (float)(j + k + 1);
        notes[j].key = nkeys[j];
        notes[j].vector = nv[j];
        notes[j].vector_len = ADM_NOTES_DIM;
        notes[j].body = tenant;
    }
    tq_status_t st = adm_notes_upsert(ctx, notes, NOTES, &d);
    return st == TQ_OK ? 0 : fail("upsert notes", st, &d);
}

/* Reads back every doc (with vectors) and note; 0 when all are there and intact. */
static int check(const tenant_ctx_t *ctx, const char *tenant, size_t n)
{
    tq_detail_t d;
    uint64_t count = 0;
    tq_status_t st = adm_docs_count(ctx, NULL, &count, &d);
    if (st != TQ_OK)
        return fail("count docs", st, &d);
    if (count != n) {
        fprintf(stderr, "admin_fixture: %s has %llu docs, expected %zu\n", tenant,
                (unsigned long long)count, n);
        return 1;
    }
    enum { BATCH = 200 };
    char keybuf[BATCH][16];
    const char *keys[BATCH];
    for (size_t at = 0; at < n; at += BATCH) {
        size_t m = n - at < BATCH ? n - at : BATCH;
        for (size_t j = 0; j < m; j++) {
            snprintf(keybuf[j], sizeof keybuf[j], "k%05zu", at + j);
            keys[j] = keybuf[j];
        }
        adm_docs_records_t recs;
        st = adm_docs_get(ctx, keys, m, 1, &recs, &d);
        if (st != TQ_OK)
            return fail("get docs", st, &d);
        int bad = recs.count != m;
        for (size_t j = 0; !bad && j < recs.count; j++) {
            const adm_docs_record_t *r = &recs.items[j];
            size_t i = (size_t)strtoul(r->key + 1, NULL, 10);
            char title[96];
            float v[ADM_DOCS_DIM];
            snprintf(title, sizeof title, "%s-%zu", tenant, i);
            doc_vector(tenant, i, v);
            bad = !r->title || strcmp(r->title, title) != 0 || !r->has_n ||
                  r->n != (int64_t)i || !r->vector || r->vector_dim != ADM_DOCS_DIM;
            /* Cosine vectors are stored normalised: compare with the unit vector. */
            double norm = 0;
            for (size_t k = 0; k < ADM_DOCS_DIM; k++)
                norm += (double)v[k] * v[k];
            norm = sqrt(norm);
            for (size_t k = 0; !bad && k < ADM_DOCS_DIM; k++)
                bad = fabs((double)r->vector[k] - v[k] / norm) > 1e-5;
        }
        adm_docs_records_free(&recs);
        if (bad) {
            fprintf(stderr, "admin_fixture: %s: docs %zu.. are missing or altered\n", tenant,
                    at);
            return 1;
        }
    }
    st = adm_notes_count(ctx, &count, &d);
    if (st != TQ_OK)
        return fail("count notes", st, &d);
    if (count != NOTES) {
        fprintf(stderr, "admin_fixture: %s has %llu notes, expected %d\n", tenant,
                (unsigned long long)count, NOTES);
        return 1;
    }
    return 0;
}

/* Whether a doc title ("<tenant>-<i>") is `tenant`'s. */
static int owned(const char *title, const char *tenant)
{
    size_t plen = strlen(tenant);
    return title && strncmp(title, tenant, plen) == 0 && title[plen] == '-';
}

/* Adversarial reads of `victim`'s data from `tenant`'s context: searches with the
 * victim's own vectors and a filter on the victim's titles, and a full scroll; every
 * answer must hold only the caller's points (the client's leak guard turns a foreign
 * point into TQ_ELEAK first). 0 when nothing of the victim came back. */
static int attack(const tenant_ctx_t *ctx, const char *tenant, size_t n, const char *victim,
                  size_t victim_n)
{
    tq_detail_t d;
    for (size_t i = 0; i < victim_n; i += victim_n / 16 + 1) {
        float v[ADM_DOCS_DIM];
        char title[96];
        doc_vector(victim, i, v);
        snprintf(title, sizeof title, "%s-%zu", victim, i);
        adm_docs_filter_t by_title = {.title = title};
        for (int filtered = 0; filtered < 2; filtered++) {
            adm_docs_records_t recs;
            tq_status_t st = adm_docs_search(ctx, v, ADM_DOCS_DIM, filtered ? &by_title : NULL,
                                             10, NULL, &recs, &d);
            if (st != TQ_OK)
                return fail("search", st, &d);
            int foreign = filtered ? recs.count != 0 : 0;
            for (size_t j = 0; j < recs.count; j++)
                foreign |= !owned(recs.items[j].title, tenant);
            adm_docs_records_free(&recs);
            if (foreign) {
                fprintf(stderr, "admin_fixture: LEAK: %s's search returned %s's data\n",
                        tenant, victim);
                return 1;
            }
        }
    }
    size_t seen = 0;
    char cursor[64] = "";
    do {
        adm_docs_records_t recs;
        tq_status_t st = adm_docs_scroll(ctx, NULL, 256, cursor[0] ? cursor : NULL, &recs, &d);
        if (st != TQ_OK)
            return fail("scroll", st, &d);
        for (size_t j = 0; j < recs.count; j++) {
            if (!owned(recs.items[j].title, tenant)) {
                fprintf(stderr, "admin_fixture: LEAK: %s's scroll returned a foreign point\n",
                        tenant);
                adm_docs_records_free(&recs);
                return 1;
            }
        }
        seen += recs.count;
        snprintf(cursor, sizeof cursor, "%s", recs.next_cursor);
        adm_docs_records_free(&recs);
    } while (cursor[0]);
    if (seen != n) {
        fprintf(stderr, "admin_fixture: %s's scroll saw %zu docs, expected %zu\n", tenant, seen,
                n);
        return 1;
    }
    return 0;
}

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    char *buf = user;
    size_t have = strlen(buf), add = size * n;
    if (have + add >= 8192)
        add = 8191 - have;
    memcpy(buf + have, data, add);
    buf[have + add] = '\0';
    return size * n;
}

/* One plain HTTP request; the answer goes to answer[8192]. Returns the HTTP status,
 * or -1 when there was no answer. */
static long raw(const char *method, const char *url, const char *body, char *answer)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    long code = 0;
    answer[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, answer);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK) {
        fprintf(stderr, "admin_fixture: %s: %s\n", url, curl_easy_strerror(rc));
        return -1;
    }
    return code;
}

/* Prints the count of a count answer; 0, or 1 with the answer on stderr. */
static int print_count(const char *url, long code, const char *answer)
{
    cJSON *root = code == 200 ? cJSON_Parse(answer) : NULL;
    const cJSON *count = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "result"), "count");
    int ok = cJSON_IsNumber(count);
    if (ok)
        printf("%.0f\n", count->valuedouble);
    else
        fprintf(stderr, "admin_fixture: %s: HTTP %ld %s\n", url, code, answer);
    cJSON_Delete(root);
    return ok ? 0 : 1;
}

/* With `shard`, the count is limited to that shard key of a custom-sharded collection
 * (a shard key that does not exist prints "absent", like a collection). */
static int rawcount(const char *url, const char *collection, const char *tenant,
                    const char *shard)
{
    char full[1024], body[512], sel[160] = "", answer[8192];
    snprintf(full, sizeof full, "%s/collections/%s/points/count", url, collection);
    if (shard)
        snprintf(sel, sizeof sel, ",\"shard_key\":\"%s\"", shard);
    if (tenant && strcmp(tenant, "-") != 0)
        snprintf(body, sizeof body,
                 "{\"exact\":true%s,\"filter\":{\"must\":[{\"key\":\"tq_tenant\",\"match\":"
                 "{\"value\":\"%s\"}}]}}",
                 sel, tenant);
    else
        snprintf(body, sizeof body, "{\"exact\":true%s}", sel);
    long code = raw("POST", full, body, answer);
    if (code < 0)
        return 1;
    if (code == 404 || (shard && code == 400 && strstr(answer, "not found"))) {
        printf("absent\n");
        return 0;
    }
    return print_count(full, code, answer);
}

/* Prints how many points of COLLECTION carry the payload key KEY (not empty). */
static int rawhas(const char *url, const char *collection, const char *key)
{
    char full[1024], body[512], answer[8192];
    snprintf(full, sizeof full, "%s/collections/%s/points/count", url, collection);
    snprintf(body, sizeof body,
             "{\"exact\":true,\"filter\":{\"must_not\":[{\"is_empty\":{\"key\":\"%s\"}}]}}",
             key);
    return print_count(full, raw("POST", full, body, answer), answer);
}

/* PUT URL/collections/NAME (a bare collection, vector "v" of 4 dims, no indexes) or,
 * with a tenant, one point carrying that tq_tenant value into NAME. */
static int rawput(const char *url, const char *name, const char *tenant)
{
    char full[1024], body[512], answer[8192];
    if (tenant) {
        snprintf(full, sizeof full, "%s/collections/%s/points?wait=true", url, name);
        snprintf(body, sizeof body,
                 "{\"points\":[{\"id\":1,\"vector\":{\"v\":[1,2,3,4]},\"payload\":"
                 "{\"tq_tenant\":\"%s\"}}]}",
                 tenant);
    } else {
        snprintf(full, sizeof full, "%s/collections/%s", url, name);
        snprintf(body, sizeof body, "{\"vectors\":{\"v\":{\"size\":4,\"distance\":\"Dot\"}}}");
    }
    long code = raw("PUT", full, body, answer);
    if (code != 200)
        fprintf(stderr, "admin_fixture: PUT %s: HTTP %ld %s\n", full, code, answer);
    return code == 200 ? 0 : 1;
}

/* PUT URL/collections/NAME/shards: creates shard key KEY in a custom-sharded
 * collection, as an operator could by hand. */
static int rawshard(const char *url, const char *name, const char *key)
{
    char full[1024], body[512], answer[8192];
    snprintf(full, sizeof full, "%s/collections/%s/shards", url, name);
    snprintf(body, sizeof body, "{\"shard_key\":\"%s\"}", key);
    long code = raw("PUT", full, body, answer);
    if (code != 200)
        fprintf(stderr, "admin_fixture: PUT %s: HTTP %ld %s\n", full, code, answer);
    return code == 200 ? 0 : 1;
}

/* Checks the seal the way docs/admin.md tells a reader to: sha256 over the compact
 * report without its "sha256" member. */
static int report(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "admin_fixture: cannot open %s\n", path);
        return 1;
    }
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *root = cJSON_Parse(text);
    cJSON *seal = cJSON_DetachItemFromObject(root, "sha256");
    char *compact = root ? cJSON_PrintUnformatted(root) : NULL;
    unsigned char md[32];
    unsigned int mdlen = 0;
    char hex[65] = "";
    if (compact && EVP_Digest(compact, strlen(compact), md, &mdlen, EVP_sha256(), NULL) == 1)
        for (unsigned i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", md[i]);
    int ok = cJSON_IsString(seal) && strcmp(seal->valuestring, hex) == 0;
    if (ok)
        printf("%.0f %.0f %.0f %s\n", cJSON_GetObjectItem(root, "points_found")->valuedouble,
               cJSON_GetObjectItem(root, "points_deleted")->valuedouble,
               cJSON_GetObjectItem(root, "points_remaining")->valuedouble,
               cJSON_IsTrue(cJSON_GetObjectItem(root, "verified")) ? "verified"
                                                                    : "unverified");
    else
        fprintf(stderr, "admin_fixture: %s: the seal does not match\n", path);
    cJSON_free(compact);
    cJSON_Delete(seal);
    cJSON_Delete(root);
    return ok ? 0 : 1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "report") == 0)
        return report(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "rawhas") == 0)
        return rawhas(argv[2], argv[3], argv[4]);
    if (argc >= 4 && strcmp(argv[1], "rawput") == 0)
        return rawput(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
    if (argc >= 5 && strcmp(argv[1], "rawshard") == 0)
        return rawshard(argv[2], argv[3], argv[4]);
    if (argc >= 4 && strcmp(argv[1], "rawcount") == 0)
        return rawcount(argv[2], argv[3], argc > 4 ? argv[4] : NULL, argc > 5 ? argv[5] : NULL);
    if (argc < 4) {
        fprintf(stderr, "usage: admin_fixture seed|check|reads|attack|offboard|rawcount|report "
                        "...\n");
        return 2;
    }
    const char *cmd = argv[1], *registry = argv[2], *tenant = argv[3];
    size_t n = argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 0;
    session_t s = {0};
    int rc = 1;
    if (strcmp(cmd, "reads") == 0 && argc > 5) {
        long long until = now_ms() + atoll(argv[5]);
        unsigned long rounds = 0;
        do {
            if (open_session(&s, registry, tenant) != 0)
                return 1;
            rc = check(s.ctx, tenant, n);
            close_session(&s);
            rounds++;
        } while (rc == 0 && now_ms() < until);
        if (rc == 0)
            printf("reads: %lu full reads of %s, all complete\n", rounds, tenant);
        return rc;
    }
    if (open_session(&s, registry, tenant) != 0)
        return 1;
    if (strcmp(cmd, "seed") == 0) {
        rc = seed(s.ctx, tenant, n);
    } else if (strcmp(cmd, "check") == 0) {
        rc = check(s.ctx, tenant, n);
    } else if (strcmp(cmd, "attack") == 0 && argc > 6) {
        rc = attack(s.ctx, tenant, n, argv[5], (size_t)strtoul(argv[6], NULL, 10));
    } else if (strcmp(cmd, "offboard") == 0) {
        tq_detail_t d;
        tq_status_t st = adm_offboard_tenant(s.ctx, &d);
        rc = st == TQ_OK ? 0 : fail("adm_offboard_tenant", st, &d);
        if (rc == 0)
            printf("offboarded %s: verified\n", tenant);
    }
    close_session(&s);
    return rc;
}
