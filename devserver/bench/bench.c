/* bench.c: server-side figures for tenantq-devserver, without HTTP.
 *
 * Builds a collection of `tenants` x `per_tenant` points of `dim` dimensions through
 * the real dispatcher (ds_handle: JSON parsing, validation, insert), timing the
 * upserts, then times tenant-filtered /points/query requests (JSON in, JSON out) and
 * prints p50/p95/p99. It is a benchmark that prints figures, not a test: it asserts
 * only that every request succeeded.
 *
 * usage: tenantq-devserver-bench [--tenants N] [--per-tenant N] [--dim N]
 *                                [--batch N] [--queries N]
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

int main(int argc, char **argv)
{
    int tenants = arg_int(argc, argv, "--tenants", 20);
    int per_tenant = arg_int(argc, argv, "--per-tenant", 1000);
    int dim = arg_int(argc, argv, "--dim", 384);
    int batch = arg_int(argc, argv, "--batch", 500);
    int queries = arg_int(argc, argv, "--queries", 2000);
    if (tenants < 1 || per_tenant < 1 || dim < 1 || batch < 1 || queries < 1) {
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
            put_vector(&bodies[b], dim);
            sb_put(&bodies[b], "}", 1);
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

    /* Queries: one tenant of per_tenant points, top 10, tenant filter. */
    double *lat = malloc((size_t)queries * sizeof *lat);
    double *cpu = malloc((size_t)queries * sizeof *cpu);
    strbuf_t q = {0};
    for (int i = 0; i < queries; i++) {
        q.len = 0;
        sb_put(&q, "{\"query\":", 9);
        put_vector(&q, dim);
        char tail[160];
        int n = snprintf(
            tail, sizeof tail,
            ",\"filter\":{\"must\":[{\"key\":\"tq_tenant\",\"match\":{\"value\":\"t%d\"}}]},"
            "\"limit\":10,\"with_payload\":true}",
            i % tenants);
        sb_put(&q, tail, (size_t)n);
        double a = now(), ac = cpu_now();
        if (call(s, "POST", "/collections/bench/points/query", q.p, q.len) != 0)
            return 1;
        cpu[i] = cpu_now() - ac;
        lat[i] = now() - a;
    }
    qsort(lat, (size_t)queries, sizeof *lat, cmp_double);
    qsort(cpu, (size_t)queries, sizeof *cpu, cmp_double);
    printf("collection: %ld points, %d tenants x %d, dim %d, Cosine\n", total, tenants, per_tenant,
           dim);
    printf("upsert parse+insert: %ld vectors, wall %.3f s = %.0f vectors/s, cpu %.3f s = %.0f "
           "vectors/s (%.1f MB JSON, batch %d)\n",
           total, upsert_s, (double)total / upsert_s, upsert_cpu, (double)total / upsert_cpu,
           (double)bytes / 1e6, batch);
    printf("query (one tenant of %d points, limit 10, JSON in/out), %d queries:\n", per_tenant,
           queries);
    printf("  wall: p50 %.1f us, p95 %.1f us, p99 %.1f us\n", lat[queries / 2] * 1e6,
           lat[queries * 95 / 100] * 1e6, lat[queries * 99 / 100] * 1e6);
    printf("  cpu:  p50 %.1f us, p95 %.1f us, p99 %.1f us\n", cpu[queries / 2] * 1e6,
           cpu[queries * 95 / 100] * 1e6, cpu[queries * 99 / 100] * 1e6);
    free(lat);
    free(cpu);
    free(q.p);
    ds_server_free(s);
    return 0;
}
