/* exact_search_test.c: the devserver's nearest-neighbour query against a brute-force
 * scan done here, in double precision, from the float32 values this test sent.
 *
 * Four collections (Cosine 384 and 7 dims, Dot 45 and 384 dims) get a deterministic
 * corpus with exact duplicates (ties), near-duplicates, zero and one-hot vectors and,
 * for Dot, tiny and very large magnitudes; two thirds of the points carry a tenant
 * under an is_tenant keyword index. A few hundred queries (random, copies and
 * near-copies of stored vectors, one-hot) with limits 1..50, offsets, score
 * thresholds and tenant filters must return exactly what the scan says (NOTES.md
 * sections 2 and 8): every id passes the filter and the threshold, its score is the
 * exact one within a small rounding tolerance, its rank is one a tie-aware ordering
 * allows, nothing that certainly belongs in the page is missing, and the page has the
 * length the scan gives. It must never accept a result set that differs from the exact
 * one by more than float rounding, and never depend on timing. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stddef.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "devserver_proc.h"
#include "dt_http.h"

enum {
    QUERIES_PER_COLLECTION = 250,
    UPSERT_BATCH = 250,
    MAX_LIMIT = 50,
    TENANT_NONE = 2,
    MAX_DIM = 384, /* the largest dim in specs[] */
};

static const char *const tenants[] = {"acme", "globex"};

typedef struct coll_spec {
    const char *name;
    const char *distance; /* "Cosine" or "Dot" */
    size_t dim;
    size_t count;
    int index_first; /* create the tenant index before the upsert */
} coll_spec_t;

static const coll_spec_t specs[] = {
    {"cos384", "Cosine", 384, 1500, 0},
    {"dot45", "Dot", 45, 3000, 1},
    {"cos7", "Cosine", 7, 2000, 1},
    {"dot384", "Dot", 384, 1000, 0},
};

/* What the test knows of one collection: the ids, the tenant of each point and the
 * vectors as the server stores them (normalised for Cosine). */
typedef struct corpus {
    const coll_spec_t *spec;
    int cosine;
    uint64_t *ids;
    int *tenant;   /* index into tenants[], or TENANT_NONE */
    float *vec;    /* count * dim, as stored */
    float *sent;   /* count * dim, as sent */
} corpus_t;

/* One candidate of the brute-force scan. */
typedef struct expect {
    uint64_t id;
    double score; /* exact dot of the stored float32 values */
    double tol;   /* rounding allowance of the server's float32 score */
} expect_t;

/* ---- deterministic numbers ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1). */
static float rng_unit(void) { return (float)((double)(rng_next() >> 11) / 4503599627370496.0 - 1.0); }

/* ---- growable text buffer ------------------------------------------------------- */

typedef struct text {
    char *p;
    size_t len, cap;
} text_t;

/* Appends printf output; aborts the test when memory runs out. */
static void text_printf(text_t *t, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int w = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? room : 0, fmt, ap);
        va_end(ap);
        assert_true(w >= 0);
        if (t->p && (size_t)w < room) {
            t->len += (size_t)w;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + (size_t)w + 1) cap *= 2;
        char *np = realloc(t->p, cap);
        assert_non_null(np);
        t->p = np;
        t->cap = cap;
    }
}

/* Writes v as a JSON array; "%.9g" round-trips every float32 exactly. */
static void text_vector(text_t *t, const float *v, size_t dim) {
    text_printf(t, "[");
    for (size_t i = 0; i < dim; i++) text_printf(t, "%s%.9g", i ? "," : "", (double)v[i]);
    text_printf(t, "]");
}

/* ---- server access ---------------------------------------------------------------- */

static tq_test_server_t server;

/* Sends one request and asserts HTTP 200; returns the parsed body (caller deletes). */
static cJSON *call(const char *method, const char *path, const char *body) {
    char url[512];
    snprintf(url, sizeof url, "%s%s", server.url, path);
    dt_response_t r = {0};
    dt_http(method, url, NULL, body, body ? strlen(body) : 0, &r);
    if (r.status != 200)
        fail_msg("%s %s: HTTP %ld (curl %d): %.600s", method, path, r.status, r.curl_rc,
                 r.body ? r.body : "");
    cJSON *root = cJSON_ParseWithLength(r.body, r.len);
    dt_response_free(&r);
    assert_non_null(root);
    return root;
}

static void call_discard(const char *method, const char *path, const char *body) {
    cJSON_Delete(call(method, path, body));
}

/* ---- corpus ------------------------------------------------------------------------ */

/* The server's Cosine normalisation (Qdrant: stored and query vectors are L2-normalised,
 * a zero or already-unit vector is left as is): sum of squares in double, one float
 * reciprocal, float products. */
static void normalise(float *v, size_t dim) {
    double sum = 0;
    for (size_t i = 0; i < dim; i++) sum += (double)v[i] * v[i];
    if (sum == 0.0 || fabs(sum - 1.0) < 1e-6) return;
    float inv = (float)(1.0 / sqrt(sum));
    for (size_t i = 0; i < dim; i++) v[i] *= inv;
}

/* Fills v with point number i of a corpus: mostly random, with exact duplicates and
 * near-duplicates of earlier points, zero and one-hot vectors, and scaled copies
 * (tiny and huge for Dot, any scale for Cosine). */
static void make_point(const corpus_t *c, size_t i, float *v) {
    size_t dim = c->spec->dim;
    uint64_t kind = i < 8 ? 0 : rng_next() % 20;
    if (kind == 1 || kind == 2) { /* exact duplicate */
        memcpy(v, c->sent + (rng_next() % i) * dim, dim * sizeof *v);
        return;
    }
    if (kind == 3 || kind == 4) { /* near-duplicate: one coordinate moved */
        memcpy(v, c->sent + (rng_next() % i) * dim, dim * sizeof *v);
        v[rng_next() % dim] += rng_unit() * 1e-3f;
        return;
    }
    if (kind == 5) { /* zero */
        memset(v, 0, dim * sizeof *v);
        return;
    }
    if (kind == 6) { /* one-hot, sign and size random */
        memset(v, 0, dim * sizeof *v);
        v[rng_next() % dim] = (rng_next() & 1 ? 1.0f : -1.0f) * (rng_next() % 4 ? 1.0f : 3.5f);
        return;
    }
    float scale = 1.0f;
    if (kind == 7) scale = 1e-20f;
    if (kind == 8) scale = 1e12f;
    if (kind == 9) scale = 1e-3f;
    for (size_t d = 0; d < dim; d++) v[d] = rng_unit() * scale;
}

/* Creates the collection, its tenant index (before or after the data) and the points. */
static void corpus_load(corpus_t *c, const coll_spec_t *spec) {
    size_t dim = spec->dim, n = spec->count;
    c->spec = spec;
    c->cosine = strcmp(spec->distance, "Cosine") == 0;
    c->ids = calloc(n, sizeof *c->ids);
    c->tenant = calloc(n, sizeof *c->tenant);
    c->vec = calloc(n * dim, sizeof *c->vec);
    c->sent = calloc(n * dim, sizeof *c->sent);
    assert_true(c->ids && c->tenant && c->vec && c->sent);
    for (size_t i = 0; i < n; i++) {
        c->ids[i] = 5 + 3 * (uint64_t)i + (i % 7 == 0 ? 100000 : 0);
        c->tenant[i] = (int)(rng_next() % 3);
        make_point(c, i, c->sent + i * dim);
        memcpy(c->vec + i * dim, c->sent + i * dim, dim * sizeof *c->vec);
        if (c->cosine) normalise(c->vec + i * dim, dim);
    }

    char path[256], body[256];
    snprintf(path, sizeof path, "/collections/%s", spec->name);
    snprintf(body, sizeof body, "{\"vectors\":{\"size\":%zu,\"distance\":\"%s\"}}", dim,
             spec->distance);
    call_discard("PUT", path, body);
    char ipath[256];
    snprintf(ipath, sizeof ipath, "/collections/%s/index?wait=true", spec->name);
    const char *index = "{\"field_name\":\"tenant\",\"field_schema\":"
                        "{\"type\":\"keyword\",\"is_tenant\":true}}";
    if (spec->index_first) call_discard("PUT", ipath, index);

    snprintf(path, sizeof path, "/collections/%s/points?wait=true", spec->name);
    for (size_t start = 0; start < n; start += UPSERT_BATCH) {
        size_t end = start + UPSERT_BATCH < n ? start + UPSERT_BATCH : n;
        text_t t = {0};
        text_printf(&t, "{\"batch\":{\"ids\":[");
        for (size_t i = start; i < end; i++)
            text_printf(&t, "%s%llu", i > start ? "," : "", (unsigned long long)c->ids[i]);
        text_printf(&t, "],\"vectors\":[");
        for (size_t i = start; i < end; i++) {
            text_printf(&t, "%s", i > start ? "," : "");
            text_vector(&t, c->sent + i * dim, dim);
        }
        text_printf(&t, "],\"payloads\":[");
        for (size_t i = start; i < end; i++) {
            if (c->tenant[i] == TENANT_NONE)
                text_printf(&t, "%s{\"n\":%zu}", i > start ? "," : "", i);
            else
                text_printf(&t, "%s{\"tenant\":\"%s\",\"n\":%zu}", i > start ? "," : "",
                            tenants[c->tenant[i]], i);
        }
        text_printf(&t, "]}}");
        call_discard("PUT", path, t.p);
        free(t.p);
    }
    if (!spec->index_first) call_discard("PUT", ipath, index);
}

static void corpus_free(corpus_t *c) {
    free(c->ids);
    free(c->tenant);
    free(c->vec);
    free(c->sent);
}

/* ---- brute force ----------------------------------------------------------------- */

/* Best first, then lower id (the server's tie order, though ties are not checked by it). */
static int expect_cmp(const void *a, const void *b) {
    const expect_t *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Scores every point of tenant `tenant` (-1: all points) against the stored query q;
 * fills e (room for count) and returns how many. The tolerance is relative to the sum
 * of absolute products, which bounds the float32 summation error of any order. */
static size_t brute_force(const corpus_t *c, const float *q, int tenant, expect_t *e) {
    size_t dim = c->spec->dim, m = 0;
    for (size_t i = 0; i < c->spec->count; i++) {
        if (tenant >= 0 && c->tenant[i] != tenant) continue;
        const float *p = c->vec + i * dim;
        double s = 0, a = 0;
        for (size_t d = 0; d < dim; d++) {
            double prod = (double)q[d] * (double)p[d];
            s += prod;
            a += fabs(prod);
        }
        e[m++] = (expect_t){c->ids[i], s, 2e-5 * a + 1e-30};
    }
    qsort(e, m, sizeof *e, expect_cmp);
    return m;
}

static const expect_t *find_expect(const expect_t *e, size_t m, uint64_t id) {
    for (size_t i = 0; i < m; i++)
        if (e[i].id == id) return &e[i];
    return NULL;
}

/* Candidates certainly ranked above x (their interval lies wholly above x's). */
static size_t certainly_above(const expect_t *e, size_t m, const expect_t *x) {
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (&e[i] != x && e[i].score - e[i].tol > x->score + x->tol) n++;
    return n;
}

/* Candidates that may rank above x (their interval reaches x's or lies above it). */
static size_t possibly_above(const expect_t *e, size_t m, const expect_t *x) {
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (&e[i] != x && e[i].score + e[i].tol >= x->score - x->tol) n++;
    return n;
}

/* ---- one query --------------------------------------------------------------------- */

typedef struct query {
    float sent[MAX_DIM];   /* as sent */
    float stored[MAX_DIM]; /* as the server scores it */
    int tenant;            /* -1: no filter */
    size_t limit, offset;
    int has_threshold;
    float threshold;
    int exact; /* -1: params omitted, else params.exact */
    char label[64];
} query_t;

/* Builds query number k against corpus c, the brute-force result e/m included (the
 * threshold is picked from it so it lands among real scores). */
static void make_query(const corpus_t *c, size_t k, query_t *q, expect_t *e, size_t *m) {
    size_t dim = c->spec->dim;
    uint64_t kind = rng_next() % 10;
    if (kind < 3) {
        size_t src = rng_next() % c->spec->count;
        memcpy(q->sent, c->sent + src * dim, dim * sizeof *q->sent);
        snprintf(q->label, sizeof q->label, "copy of point %llu",
                 (unsigned long long)c->ids[src]);
    } else if (kind < 5) {
        size_t src = rng_next() % c->spec->count;
        memcpy(q->sent, c->sent + src * dim, dim * sizeof *q->sent);
        for (size_t d = 0; d < dim; d++) q->sent[d] += rng_unit() * 1e-3f;
        snprintf(q->label, sizeof q->label, "near copy of point %llu",
                 (unsigned long long)c->ids[src]);
    } else if (kind == 5) {
        memset(q->sent, 0, dim * sizeof *q->sent);
        q->sent[rng_next() % dim] = rng_next() & 1 ? 2.0f : -0.5f;
        snprintf(q->label, sizeof q->label, "one-hot");
    } else {
        float scale = kind == 6 ? 40.0f : 1.0f;
        for (size_t d = 0; d < dim; d++) q->sent[d] = rng_unit() * scale;
        snprintf(q->label, sizeof q->label, "random");
    }
    memcpy(q->stored, q->sent, dim * sizeof *q->stored);
    if (c->cosine) normalise(q->stored, dim);

    q->tenant = rng_next() % 3 == 0 ? (int)(rng_next() % 2) : -1;
    q->limit = k % 5 == 0 ? 1 : 1 + rng_next() % MAX_LIMIT;
    q->offset = rng_next() % 4 == 0 ? rng_next() % 30 : 0;
    q->exact = (int)(rng_next() % 3) - 1;
    *m = brute_force(c, q->stored, q->tenant, e);
    q->has_threshold = rng_next() % 4 == 0 && *m > 0;
    if (q->has_threshold) {
        /* At a real score (ties with it are excluded), or between two. */
        size_t r = rng_next() % (q->offset + q->limit + 5);
        if (r >= *m) r = *m - 1;
        double t = e[r].score;
        if (rng_next() & 1 && r + 1 < *m) t = (e[r].score + e[r + 1].score) / 2;
        q->threshold = (float)t;
    }
}

/* Writes the QueryRequest body of q. */
static void query_body(const corpus_t *c, const query_t *q, text_t *t) {
    text_printf(t, "{\"query\":");
    text_vector(t, q->sent, c->spec->dim);
    text_printf(t, ",\"limit\":%zu", q->limit);
    if (q->offset) text_printf(t, ",\"offset\":%zu", q->offset);
    if (q->has_threshold) text_printf(t, ",\"score_threshold\":%.9g", (double)q->threshold);
    if (q->exact >= 0) text_printf(t, ",\"params\":{\"exact\":%s}", q->exact ? "true" : "false");
    if (q->tenant >= 0)
        text_printf(t, ",\"filter\":{\"must\":[{\"key\":\"tenant\",\"match\":{\"value\":\"%s\"}}]}",
                    tenants[q->tenant]);
    text_printf(t, "}");
}

/* Checks the server's points (a ScoredPoint array) against the scan e/m; returns 0, or
 * 1 with the reason in why. */
static int check_result(const query_t *q, const cJSON *points, const expect_t *e, size_t m,
                        char *why, size_t whylen) {
    size_t n = (size_t)cJSON_GetArraySize(points);
    /* Candidates that certainly / possibly pass the threshold. */
    size_t pass_min = 0, pass_max = 0;
    for (size_t i = 0; i < m; i++) {
        if (!q->has_threshold || e[i].score - e[i].tol > q->threshold) pass_min++;
        if (!q->has_threshold || e[i].score + e[i].tol > q->threshold) pass_max++;
    }
    size_t want_min = pass_min > q->offset ? pass_min - q->offset : 0;
    size_t want_max = pass_max > q->offset ? pass_max - q->offset : 0;
    if (want_min > q->limit) want_min = q->limit;
    if (want_max > q->limit) want_max = q->limit;
    if (n < want_min || n > want_max) {
        snprintf(why, whylen, "%zu points returned, expected %zu..%zu", n, want_min, want_max);
        return 1;
    }
    double prev = INFINITY;
    uint64_t seen[MAX_LIMIT];
    for (size_t j = 0; j < n; j++) {
        const cJSON *p = cJSON_GetArrayItem(points, (int)j);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
        const cJSON *score = cJSON_GetObjectItemCaseSensitive(p, "score");
        if (!cJSON_IsNumber(id) || !cJSON_IsNumber(score)) {
            snprintf(why, whylen, "point %zu lacks a numeric id or score", j);
            return 1;
        }
        uint64_t pid = (uint64_t)id->valuedouble;
        double s = score->valuedouble;
        for (size_t i = 0; i < j; i++) {
            if (seen[i] == pid) {
                snprintf(why, whylen, "id %llu returned twice", (unsigned long long)pid);
                return 1;
            }
        }
        seen[j] = pid;
        const expect_t *x = find_expect(e, m, pid);
        if (!x) {
            snprintf(why, whylen, "id %llu at %zu is not a candidate (filter)",
                     (unsigned long long)pid, j);
            return 1;
        }
        if (fabs(s - x->score) > x->tol) {
            snprintf(why, whylen, "id %llu score %.9g, exact %.12g (tol %.3g)",
                     (unsigned long long)pid, s, x->score, x->tol);
            return 1;
        }
        if (s > prev) {
            snprintf(why, whylen, "score %.9g at %zu is above the previous %.9g", s, j, prev);
            return 1;
        }
        prev = s;
        if (q->has_threshold && !(s > q->threshold)) {
            snprintf(why, whylen, "id %llu score %.9g not above threshold %.9g",
                     (unsigned long long)pid, s, (double)q->threshold);
            return 1;
        }
        size_t rank = q->offset + j;
        size_t lo = certainly_above(e, m, x), hi = possibly_above(e, m, x);
        if (rank < lo || rank > hi) {
            snprintf(why, whylen, "id %llu (exact %.12g) at rank %zu, allowed %zu..%zu",
                     (unsigned long long)pid, x->score, rank, lo, hi);
            return 1;
        }
    }
    /* Every candidate that must be on this page is on it. */
    for (size_t i = q->offset; i < m && i < q->offset + n; i++) {
        const expect_t *x = &e[i];
        if (q->has_threshold && !(x->score - x->tol > q->threshold)) continue;
        if (certainly_above(e, m, x) < q->offset) continue;
        if (possibly_above(e, m, x) >= q->offset + n) continue;
        int found = 0;
        for (size_t j = 0; j < n; j++) found |= seen[j] == x->id;
        if (!found) {
            snprintf(why, whylen, "id %llu (exact %.12g, rank %zu) missing", (unsigned long long)x->id,
                     x->score, i);
            return 1;
        }
    }
    return 0;
}

/* ---- the test ------------------------------------------------------------------- */

static void test_exact_search(void **state) {
    (void)state;
    rng_state = 0x5EEDC0FFEEull;
    if (tq_test_server_start(&server, NULL) != 0) fail_msg("devserver did not start");
    size_t failures = 0, checked = 0;
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        assert_true(specs[s].dim <= MAX_DIM);
        corpus_t c = {0};
        corpus_load(&c, &specs[s]);
        expect_t *e = calloc(c.spec->count, sizeof *e);
        query_t *q = calloc(1, sizeof *q);
        assert_true(e && q);
        char path[256];
        snprintf(path, sizeof path, "/collections/%s/points/query", c.spec->name);
        for (size_t k = 0; k < QUERIES_PER_COLLECTION; k++) {
            size_t m;
            make_query(&c, k, q, e, &m);
            text_t body = {0};
            query_body(&c, q, &body);
            cJSON *root = call("POST", path, body.p);
            const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
            const cJSON *points = cJSON_GetObjectItemCaseSensitive(result, "points");
            char why[512] = "";
            int bad = cJSON_IsArray(points) ? check_result(q, points, e, m, why, sizeof why)
                                            : (snprintf(why, sizeof why, "no points array"), 1);
            if (bad) {
                char thr[32] = "none";
                if (q->has_threshold) snprintf(thr, sizeof thr, "%.9g", (double)q->threshold);
                failures++;
                print_error("%s query %zu (%s, tenant %s, limit %zu, offset %zu, threshold %s,"
                            " exact %d): %s\n  request: %.2000s\n",
                            c.spec->name, k, q->label, q->tenant >= 0 ? tenants[q->tenant] : "-",
                            q->limit, q->offset, thr, q->exact, why, body.p);
            }
            checked++;
            cJSON_Delete(root);
            free(body.p);
        }
        free(q);
        free(e);
        corpus_free(&c);
    }
    assert_int_equal(tq_test_server_stop(&server), 0);
    print_message("%zu queries checked against the brute-force scan\n", checked);
    if (failures) fail_msg("%zu of %zu queries differ from the exact scan", failures, checked);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_exact_search)};
    int rc = cmocka_run_group_tests_name("devserver.exact_search", tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
