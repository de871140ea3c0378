/* corpus.c: the deterministic corpus: topic centroids, tenant vectors, payloads, keys.
 *
 * Vectors are centroid + Gaussian noise, so every tenant holds near-duplicates of every
 * other tenant's points: a search that forgets the tenant would find a neighbour in the
 * wrong tenant at once. This file must never depend on anything but its inputs (no
 * clock, no global random state), so two runs with one seed store the same data. */
#include "corpus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOPICS_MAX 16
#define TWO_PI 6.283185307179586
/* Noise length relative to the centroid: same-topic points have cosine near 0.9. */
#define POINT_NOISE 0.35

uint64_t corpus_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

typedef struct rng {
    uint64_t state;
    int has_spare;
    double spare;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    r->state += 0x9e3779b97f4a7c15ULL;
    return corpus_mix(r->state);
}

/* Uniform in (0, 1]. */
static double rng_unit(rng_t *r)
{
    return ((double)(rng_next(r) >> 11) + 1.0) / 9007199254740992.0;
}

/* Standard normal by Box-Muller, two values per pair of draws. */
static double rng_gauss(rng_t *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u = rng_unit(r), v = rng_unit(r);
    double m = sqrt(-2.0 * log(u));
    r->spare = m * sin(TWO_PI * v);
    r->has_spare = 1;
    return m * cos(TWO_PI * v);
}

/* Fills `out` with `n` approximately normal values (mean 0, variance 1): each is the
 * centred sum of four 16-bit uniforms from one 64-bit draw (Irwin-Hall), scaled. About
 * ten times cheaper than Box-Muller, which matters because recall checks regenerate a
 * tenant's whole corpus; noise only has to be noise, not exactly Gaussian. */
static void rng_noise(rng_t *r, float *out, size_t n, double scale)
{
    /* Sum of four U(0,1) has mean 2 and variance 1/3. */
    const double unit = 1.0 / 65536.0, norm = 1.7320508075688772 * scale;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = rng_next(r);
        double sum = (double)(x & 0xffff) + (double)((x >> 16) & 0xffff) +
                     (double)((x >> 32) & 0xffff) + (double)(x >> 48);
        out[i] = (float)((sum * unit + 2.0 * unit - 2.0) * norm);
    }
}

static rng_t rng_for(uint64_t seed, uint64_t a, uint64_t b)
{
    rng_t r = {corpus_mix(seed ^ corpus_mix(a * 0x100000001b3ULL ^ corpus_mix(b))), 0, 0.0};
    return r;
}

static void normalise(float *v, uint32_t dim)
{
    double n = 0.0;
    for (uint32_t d = 0; d < dim; d++)
        n += (double)v[d] * v[d];
    n = sqrt(n);
    if (n == 0.0) {
        v[0] = 1.0f;
        return;
    }
    for (uint32_t d = 0; d < dim; d++)
        v[d] = (float)(v[d] / n);
}

double corpus_cosine(const float *a, const float *b, uint32_t dim)
{
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (uint32_t d = 0; d < dim; d++) {
        ab += (double)a[d] * b[d];
        aa += (double)a[d] * a[d];
        bb += (double)b[d] * b[d];
    }
    if (aa == 0.0 || bb == 0.0)
        return 0.0;
    return ab / (sqrt(aa) * sqrt(bb));
}

int corpus_init(probe_corpus_t *corpus, uint64_t seed, uint32_t dim, size_t tenants,
                size_t vectors, const char *prefix)
{
    memset(corpus, 0, sizeof *corpus);
    corpus->seed = seed;
    corpus->dim = dim;
    corpus->tenants = tenants;
    corpus->vectors = vectors;
    corpus->topics = vectors < TOPICS_MAX ? (vectors ? vectors : 1) : TOPICS_MAX;
    corpus->centroids = calloc(corpus->topics * dim, sizeof *corpus->centroids);
    corpus->ids = calloc(tenants ? tenants : 1, sizeof *corpus->ids);
    if (!corpus->centroids || !corpus->ids)
        goto fail;
    for (size_t t = 0; t < corpus->topics; t++) {
        rng_t r = rng_for(seed, 0xc0ffeeULL, t);
        float *c = corpus->centroids + t * dim;
        for (uint32_t d = 0; d < dim; d++)
            c[d] = (float)rng_gauss(&r);
        normalise(c, dim);
    }
    int width = tenants > 1000 ? (int)snprintf(NULL, 0, "%zu", tenants - 1) : 3;
    for (size_t t = 0; t < tenants; t++) {
        int n = snprintf(corpus->ids[t], sizeof corpus->ids[t], "%s%0*zu", prefix, width, t);
        if (n < 0 || (size_t)n >= sizeof corpus->ids[t])
            goto fail;
    }
    return 0;
fail:
    corpus_free(corpus);
    return -1;
}

void corpus_free(probe_corpus_t *corpus)
{
    free(corpus->centroids);
    free(corpus->ids);
    memset(corpus, 0, sizeof *corpus);
}

const char *corpus_bot_name(size_t bot)
{
    return bot == 0 ? "bot0" : "bot1";
}

size_t corpus_point_bot(size_t i)
{
    return i % PROBE_BOTS;
}

size_t corpus_bot_count(const probe_corpus_t *corpus, size_t bot)
{
    return corpus->vectors / PROBE_BOTS + (bot < corpus->vectors % PROBE_BOTS ? 1 : 0);
}

size_t corpus_point_topic(const probe_corpus_t *corpus, size_t tenant, size_t i)
{
    return (size_t)(corpus_mix(corpus->seed ^ corpus_mix(tenant * 7919u + 1) ^ (i * 31u)) %
                    corpus->topics);
}

void corpus_point_vector(const probe_corpus_t *corpus, size_t tenant, size_t i, float *out)
{
    const float *c = corpus->centroids + corpus_point_topic(corpus, tenant, i) * corpus->dim;
    rng_t r = rng_for(corpus->seed, tenant + 1, i + 1);
    rng_noise(&r, out, corpus->dim, POINT_NOISE / sqrt((double)corpus->dim));
    for (uint32_t d = 0; d < corpus->dim; d++)
        out[d] += c[d];
    normalise(out, corpus->dim);
}

void corpus_point_key(const probe_corpus_t *corpus, size_t tenant, size_t i,
                      char out[PROBE_KEY_MAX])
{
    snprintf(out, PROBE_KEY_MAX, "%s:%s:%zu", corpus->ids[tenant],
             corpus_bot_name(corpus_point_bot(i)), i);
}

void corpus_point_source(const probe_corpus_t *corpus, size_t tenant, size_t i,
                         char out[PROBE_SOURCE_MAX])
{
    snprintf(out, PROBE_SOURCE_MAX, "src-%s-%zu", corpus->ids[tenant],
             i / PROBE_CHUNKS_PER_SOURCE);
}

/* Finds the tenant whose id is exactly the `len` bytes at `id`; (size_t)-1 if none. */
static size_t tenant_index(const probe_corpus_t *corpus, const char *id, size_t len)
{
    for (size_t t = 0; t < corpus->tenants; t++) {
        if (strlen(corpus->ids[t]) == len && memcmp(corpus->ids[t], id, len) == 0)
            return t;
    }
    return (size_t)-1;
}

void corpus_tenant_term(size_t tenant, size_t n, char out[32])
{
    snprintf(out, 32, "qz%zuk%zu", tenant, n % 16);
}

void corpus_point_text(const probe_corpus_t *corpus, size_t tenant, size_t i,
                       char out[PROBE_TEXT_MAX])
{
    char own_a[32], own_b[32];
    corpus_tenant_term(tenant, i % 8, own_a);
    corpus_tenant_term(tenant, 8 + i % 8, own_b);
    snprintf(out, PROBE_TEXT_MAX, "Topic t%zu guide, section s%zu: %s and %s notes.",
             corpus_point_topic(corpus, tenant, i), i % 16, own_a, own_b);
}

int corpus_key_owner(const probe_corpus_t *corpus, const char *key, size_t *tenant, size_t *i)
{
    if (!key)
        return 0;
    const char *colon = strchr(key, ':');
    const char *last = strrchr(key, ':');
    if (!colon || last == colon)
        return 0;
    size_t t = tenant_index(corpus, key, (size_t)(colon - key));
    if (t == (size_t)-1)
        return 0;
    char *end = NULL;
    if (last[1] < '0' || last[1] > '9')
        return 0;
    unsigned long long idx = strtoull(last + 1, &end, 10);
    if (*end != '\0' || idx >= corpus->vectors)
        return 0;
    char canonical[PROBE_KEY_MAX];
    corpus_point_key(corpus, t, (size_t)idx, canonical);
    if (strcmp(canonical, key) != 0)
        return 0;
    *tenant = t;
    *i = (size_t)idx;
    return 1;
}

double corpus_perturb(const probe_corpus_t *corpus, const float *in, double ratio, uint64_t salt,
                      float *out)
{
    rng_t r = rng_for(corpus->seed, 0xbadc0deULL, salt);
    rng_noise(&r, out, corpus->dim, ratio / sqrt((double)corpus->dim));
    for (uint32_t d = 0; d < corpus->dim; d++)
        out[d] += in[d];
    normalise(out, corpus->dim);
    return corpus_cosine(in, out, corpus->dim);
}

/* Values for the payload types a user's schema may declare, one per topic, so a filter
 * on any of them selects exactly one topic. */
static const char *const topic_datetimes[TOPICS_MAX] = {
    "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z",
    "2026-01-04T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z",
    "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z", "2026-01-09T00:00:00Z",
    "2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-12T00:00:00Z",
    "2026-01-13T00:00:00Z", "2026-01-14T00:00:00Z", "2026-01-15T00:00:00Z",
    "2026-01-16T00:00:00Z"};
static const char *const topic_uuids[TOPICS_MAX] = {
    "7f6b1c2e-0000-4000-8000-000000000000", "7f6b1c2e-0000-4000-8000-000000000001",
    "7f6b1c2e-0000-4000-8000-000000000002", "7f6b1c2e-0000-4000-8000-000000000003",
    "7f6b1c2e-0000-4000-8000-000000000004", "7f6b1c2e-0000-4000-8000-000000000005",
    "7f6b1c2e-0000-4000-8000-000000000006", "7f6b1c2e-0000-4000-8000-000000000007",
    "7f6b1c2e-0000-4000-8000-000000000008", "7f6b1c2e-0000-4000-8000-000000000009",
    "7f6b1c2e-0000-4000-8000-00000000000a", "7f6b1c2e-0000-4000-8000-00000000000b",
    "7f6b1c2e-0000-4000-8000-00000000000c", "7f6b1c2e-0000-4000-8000-00000000000d",
    "7f6b1c2e-0000-4000-8000-00000000000e", "7f6b1c2e-0000-4000-8000-00000000000f"};

const char *corpus_topic_datetime(size_t topic)
{
    return topic_datetimes[topic % TOPICS_MAX];
}

const char *corpus_topic_uuid(size_t topic)
{
    return topic_uuids[topic % TOPICS_MAX];
}
