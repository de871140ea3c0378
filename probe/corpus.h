/* corpus.h: the probe's deterministic data set and the ground truth it implies.
 *
 * Every value (vector, topic, scope, source, key) is a pure function of the seed, the
 * tenant index and the point index, so nothing but the topic centroids is kept in
 * memory and any vector can be regenerated when a check needs it. */
#ifndef TQ_PROBE_CORPUS_H
#define TQ_PROBE_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include <tenantq/tenantq.h>

#define PROBE_BOTS 2
#define PROBE_KEY_MAX 96
#define PROBE_SOURCE_MAX 96
/* Points per source document: a source id is shared by this many consecutive points. */
#define PROBE_CHUNKS_PER_SOURCE 8

typedef struct probe_corpus {
    uint64_t seed;
    uint32_t dim;
    size_t tenants;
    size_t vectors; /* per tenant */
    size_t topics;
    float *centroids;                       /* topics x dim, unit length */
    char (*ids)[TQ_TENANT_ID_MAX + 1];      /* tenant ids */
} probe_corpus_t;

/* Builds the centroids and tenant ids ("<prefix>000", ...). Returns 0, or -1 when out
 * of memory or when a tenant id would be longer than TQ_TENANT_ID_MAX. */
int corpus_init(probe_corpus_t *corpus, uint64_t seed, uint32_t dim, size_t tenants,
                size_t vectors, const char *prefix);
void corpus_free(probe_corpus_t *corpus);

/* The scope (bot) value of point `i`: "bot0" or "bot1". */
const char *corpus_bot_name(size_t bot);
size_t corpus_point_bot(size_t i);

/* Number of the tenant's points in `bot`. */
size_t corpus_bot_count(const probe_corpus_t *corpus, size_t bot);

/* The topic of point `i` of `tenant`, in 0..topics-1. */
size_t corpus_point_topic(const probe_corpus_t *corpus, size_t tenant, size_t i);

/* Writes the point's unit vector (dim floats): its topic centroid plus noise. */
void corpus_point_vector(const probe_corpus_t *corpus, size_t tenant, size_t i, float *out);

/* The application key "<tenant>:<bot>:<i>" and the source id "src-<tenant>-<i/8>". */
void corpus_point_key(const probe_corpus_t *corpus, size_t tenant, size_t i,
                      char out[PROBE_KEY_MAX]);
void corpus_point_source(const probe_corpus_t *corpus, size_t tenant, size_t i,
                         char out[PROBE_SOURCE_MAX]);

/* The point's text: words shared by every tenant (its topic and section) and two
 * terms only this tenant's documents hold, corpus_tenant_term(tenant, i % 8) and
 * corpus_tenant_term(tenant, 8 + i % 8). */
#define PROBE_TEXT_MAX 160
void corpus_point_text(const probe_corpus_t *corpus, size_t tenant, size_t i,
                       char out[PROBE_TEXT_MAX]);
/* A term only `tenant`'s documents hold ("qz<tenant>k<n>", n in 0..15). */
void corpus_tenant_term(size_t tenant, size_t n, char out[32]);

/* The datetime (RFC 3339) and UUID values of `topic`, for those field types of a user's
 * schema: distinct per topic, static storage. */
const char *corpus_topic_datetime(size_t topic);
const char *corpus_topic_uuid(size_t topic);

/* Ground truth for a returned key: 1 and the owner's tenant and point index when the
 * key is exactly one the probe stored, else 0. Never trusts anything but the text. */
int corpus_key_owner(const probe_corpus_t *corpus, const char *key, size_t *tenant, size_t *i);

/* `in` plus noise scaled to `ratio` of its length, renormalised; deterministic in
 * `salt`. Returns the cosine similarity between `in` and `out`. */
double corpus_perturb(const probe_corpus_t *corpus, const float *in, double ratio, uint64_t salt,
                      float *out);

double corpus_cosine(const float *a, const float *b, uint32_t dim);

/* A small deterministic generator (splitmix64) for choosing probe targets. */
uint64_t corpus_mix(uint64_t x);

#endif
