/* bench.c: server-side figures for tenantq-devserver, without HTTP.
 *
 * Builds a collection of `tenants` x `per_tenant` points of `dim` dimensions through
 * the real dispatcher (ds_handle: JSON parsing, validation, insert), timing the
 * upserts, then times tenant-filtered /points/query requests (JSON in, JSON out) and
 * prints p50/p95/p99. It is a benchmark that prints figures, not a test: it asserts
 * only that every request succeeded.
 *
 * With --hybrid T every point also carries a sparse vector of T terms (drawn from a
 * 5,000-term vocabulary, BM25-like weights) in an idf-modified sparse space, and the
 * dense query is timed beside a sparse query (6 terms, IDF corpus = the tenant) and a
 * hybrid query (both as prefetches of 20, RRF), each with the tenant filter.
 *
 * usage: tenantq-devserver-bench [--tenants N] [--per-tenant N] [--dim N]
 *                                [--batch N] [--queries N] [--hybrid T]
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct strbuf {
    char *p;
    size_t len, cap;
} strbuf_t;

static void sb_put(strbuf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            fprintf(stderr, "tenantq-devserver-bench: error: out of memory\n");
            exit(1);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(strbuf_t *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_float(strbuf_t *b, double v)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.7f", v);
    sb_put(b, tmp, (size_t)n);
}

static uint64_t rng = 88172645463325252ull;

static double next_float(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

static void put_vector(strbuf_t *b, int dim)
{
    sb_put(b, "[", 1);
    for (int i = 0; i < dim; i++) {
        if (i)
            sb_put(b, ",", 1);
        /* Embedding-like text: 7 significant digits, as typical clients send. */
        sb_float(b, next_float());
    }
    sb_put(b, "]", 1);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this thread: unlike wall time it does not grow while other processes
 * on a shared machine hold the core. */
static double cpu_now(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static int call(ds_server_t *s, const char *method, const char *path, const char *body, size_t len)
{
    ds_request_t req = {.method = method, .path = path, .body = body ? body : "", .body_len = len};
    ds_response_t resp;
    ds_handle(s, &req, &resp);
    int status = resp.status;
    if (status != 200)
        fprintf(stderr, "tenantq-devserver-bench: error: %s %s -> %d %.200s\n", method, path,
                status, resp.body ? resp.body : "");
    ds_response_clear(&resp);
    return status == 200 ? 0 : -1;
}

#define VOCABULARY 5000

/* A sparse vector of `terms` distinct random term ids (spread over u32 like hashed
 * tokens) with weights in (0, 2]. */
static void put_sparse(strbuf_t *b, int terms)
{
    uint32_t ids[64];
    int n = terms < 64 ? terms : 64;
    for (int i = 0; i < n; i++) {
        uint32_t t;
        int dup;
        do {
            t = (uint32_t)((next_float() + 1.0) * 0.5 * VOCABULARY) * 858993u;
            dup = 0;
            for (int j = 0; j < i; j++)
                dup |= ids[j] == t;
        } while (dup);
        ids[i] = t;
    }
    char tmp[32];
    sb_str(b, "{\"indices\":[");
    for (int i = 0; i < n; i++) {
        int k = snprintf(tmp, sizeof tmp, "%s%u", i ? "," : "", ids[i]);
        sb_put(b, tmp, (size_t)k);
    }
    sb_str(b, "],\"values\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_str(b, ",");
        sb_float(b, 1.0 + next_float());
    }
    sb_str(b, "]}");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int arg_int(int argc, char **argv, const char *name, int dflt)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return atoi(argv[i + 1]);
    return dflt;
}

enum { QUERY_DENSE, QUERY_SPARSE, QUERY_HYBRID };

/* Times `queries` tenant-filtered queries of one kind and prints their percentiles.
 * 0, or -1 when a request failed. */
static int time_queries(ds_server_t *s, int kind, int tenants, int per_tenant, int dim,
                        int queries, int hybrid)
{
    static const char *const names[] = {"dense query", "sparse query (idf, tenant corpus)",
                                        "hybrid query (dense + sparse prefetch 20, rrf)"};
    double *lat = malloc((size_t)queries * sizeof *lat);
    double *cpu = malloc((size_t)queries * sizeof *cpu);
    strbuf_t q = {0};
    int rc = 0;
    for (int i = 0; i < queries && rc == 0; i++) {
        char tenant[160];
        snprintf(tenant, sizeof tenant,
                 "{\"must\":[{\"key\":\"tq_tenant\",\"match\":{\"value\":\"t%d\"}}]}", i % tenants);
        q.len = 0;
        if (kind == QUERY_DENSE) {
            sb_str(&q, "{\"query\":");
            put_vector(&q, dim);
            if (hybrid)
                sb_str(&q, ",\"using\":\"dense\"");
        } else {
            strbuf_t sq = {0};
            put_sparse(&sq, 6);
            char params[256];
            int n = snprintf(params, sizeof params, ",\"using\":\"text\",\"params\":{\"idf\":"
                                                    "{\"corpus\":%s}}", tenant);
            if (kind == QUERY_SPARSE) {
                sb_str(&q, "{\"query\":");
                sb_put(&q, sq.p, sq.len);
                sb_put(&q, params, (size_t)n);
            } else {
                sb_str(&q, "{\"prefetch\":[{\"query\":");
                put_vector(&q, dim);
                sb_str(&q, ",\"using\":\"dense\",\"limit\":20},{\"query\":");
                sb_put(&q, sq.p, sq.len);
                sb_put(&q, params, (size_t)n);
                sb_str(&q, ",\"limit\":20}],\"query\":{\"fusion\":\"rrf\"}");
            }
            free(sq.p);
        }
        sb_str(&q, ",\"filter\":");
        sb_put(&q, tenant, strlen(tenant));
        sb_str(&q, ",\"limit\":10,\"with_payload\":true}");
        double a = now(), ac = cpu_now();
        rc = call(s, "POST", "/collections/bench/points/query", q.p, q.len);
        cpu[i] = cpu_now() - ac;
        lat[i] = now() - a;
    }
    if (rc == 0) {
        qsort(lat, (size_t)queries, sizeof *lat, cmp_double);
        qsort(cpu, (size_t)queries, sizeof *cpu, cmp_double);
        printf("%s (one tenant of %d points, limit 10, JSON in/out), %d queries:\n", names[kind],
               per_tenant, queries);
        printf("  wall: p50 %.1f us, p95 %.1f us, p99 %.1f us\n", lat[queries / 2] * 1e6,
               lat[queries * 95 / 100] * 1e6, lat[queries * 99 / 100] * 1e6);
        printf("  cpu:  p50 %.1f us, p95 %.1f us, p99 %.1f us\n", cpu[queries / 2] * 1e6,
               cpu[queries * 95 / 100] * 1e6, cpu[queries * 99 / 100] * 1e6);
    }
    free(lat);
    free(cpu);
    free(q.p);
    return rc;
}

int main(int argc, char **argv)
{
    int tenants = arg_int(argc, argv, "--tenants", 20);
    int per_tenant = arg_int(argc, argv, "--per-tenant", 1000);
    int dim = arg_int(argc, argv, "--dim", 384);
    int batch = arg_int(argc, argv, "--batch", 500);
    int queries = arg_int(argc, argv, "--queries", 2000);
    int hybrid = arg_int(argc, argv, "--hybrid", 0);
    if (tenants < 1 || per_tenant < 1 || dim < 1 || batch < 1 || queries < 1 || hybrid < 0) {
        fprintf(stderr, "tenantq-devserver-bench: error: arguments must be positive\n");
        return 2;
    }
    ds_config_t cfg = {0};
    char err[256];
    ds_server_t *s = ds_server_new(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "tenantq-devserver-bench: error: %s\n", err);
        return 1;
    }
    char body[256];
    if (hybrid)
        snprintf(body, sizeof body,
                 "{\"vectors\":{\"dense\":{\"size\":%d,\"distance\":\"Cosine\"}},"
                 "\"sparse_vectors\":{\"text\":{\"modifier\":\"idf\"}}}",
                 dim);
    else
        snprintf(body, sizeof body, "{\"vectors\":{\"size\":%d,\"distance\":\"Cosine\"}}", dim);
    const char *index = "{\"field_name\":\"tq_tenant\",\"field_schema\":{\"type\":\"keyword\","
                        "\"is_tenant\":true}}";
    if (call(s, "PUT", "/collections/bench", body, strlen(body)) != 0 ||
        call(s, "PUT", "/collections/bench/index", index, strlen(index)) != 0)
        return 1;

    /* Upserts: bodies are built before timing so only server work is measured. */
    long total = (long)tenants * per_tenant;
    long nbodies = (total + batch - 1) / batch;
    strbuf_t *bodies = calloc((size_t)nbodies, sizeof *bodies);
    long id = 0;
    for (long b = 0; b < nbodies; b++) {
        sb_put(&bodies[b], "{\"points\":[", 11);
        for (int k = 0; k < batch && id < total; k++, id++) {
            char head[128];
            int n = snprintf(head, sizeof head,
                             "%s{\"id\":%ld,\"payload\":{\"tq_tenant\":\"t%ld\"},\"vector\":",
                             k ? "," : "", id, id / per_tenant);
            sb_put(&bodies[b], head, (size_t)n);
            if (hybrid) {
                sb_str(&bodies[b], "{\"dense\":");
                put_vector(&bodies[b], dim);
                sb_str(&bodies[b], ",\"text\":");
                put_sparse(&bodies[b], hybrid);
                sb_str(&bodies[b], "}");
            } else {
                put_vector(&bodies[b], dim);
            }
            sb_str(&bodies[b], "}");
        }
        sb_put(&bodies[b], "]}", 2);
    }
    double t0 = now(), t0c = cpu_now();
    for (long b = 0; b < nbodies; b++)
        if (call(s, "PUT", "/collections/bench/points", bodies[b].p, bodies[b].len) != 0)
            return 1;
    double upsert_s = now() - t0, upsert_cpu = cpu_now() - t0c;
    size_t bytes = 0;
    for (long b = 0; b < nbodies; b++) {
        bytes += bodies[b].len;
        free(bodies[b].p);
    }
    free(bodies);

    printf("collection: %ld points, %d tenants x %d, dim %d, Cosine%s\n", total, tenants,
           per_tenant, dim, hybrid ? ", sparse idf" : "");
    printf("upsert parse+insert: %ld vectors, wall %.3f s = %.0f vectors/s, cpu %.3f s = %.0f "
           "vectors/s (%.1f MB JSON, batch %d)\n",
           total, upsert_s, (double)total / upsert_s, upsert_cpu, (double)total / upsert_cpu,
           (double)bytes / 1e6, batch);
    int rc = time_queries(s, QUERY_DENSE, tenants, per_tenant, dim, queries, hybrid);
    if (rc == 0 && hybrid)
        rc = time_queries(s, QUERY_SPARSE, tenants, per_tenant, dim, queries, hybrid);
    if (rc == 0 && hybrid)
        rc = time_queries(s, QUERY_HYBRID, tenants, per_tenant, dim, queries, hybrid);
    ds_server_free(s);
    return rc ? 1 : 0;
}
