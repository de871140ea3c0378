/* bm25.h: text to BM25 sparse vectors, after the conventions of fastembed's
 * Qdrant/bm25 model (see docs/runtime.md, "BM25").
 *
 * Documents get the BM25 term-frequency part of the weight (k1 = 1.2, b = 0.75,
 * average length 256 terms); queries get weight 1 per distinct term. The IDF part is
 * left to the server (`modifier: idf` on the sparse vector). */
#ifndef TQ_BM25_H
#define TQ_BM25_H

#include <tenantq/tenantq.h>

#include <stddef.h>
#include <stdint.h>

#define TQ_BM25_K1 1.2
#define TQ_BM25_B 0.75
#define TQ_BM25_AVG_LEN 256.0
/* Tokens longer than this many code points are dropped, as fastembed does. */
#define TQ_BM25_TOKEN_MAX 40
/* Largest text turned into a vector, in bytes. */
#define TQ_BM25_TEXT_MAX (1024 * 1024)

/* A sparse vector: `count` distinct indices in ascending order and their values.
 * Arrays are tq_malloc'd; free with tq_sparse_free. */
typedef struct tq_sparse {
    uint32_t *indices;
    float *values;
    size_t count;
} tq_sparse_t;

/* A tokeniser with its Snowball stemmer; not thread-safe, make one per thread. */
typedef struct tq_bm25 tq_bm25_t;

/* NULL when out of memory or when the stemmer cannot be created. */
tq_bm25_t *tq_bm25_new(void);
void tq_bm25_free(tq_bm25_t *bm25);

/* The document vector of `len` bytes of UTF-8 `text`: per distinct stem s occurring
 * n times among the d kept stems, n(k1+1) / (n + k1(1 - b + b d / 256)). TQ_EINVAL
 * for malformed UTF-8 or text over TQ_BM25_TEXT_MAX, TQ_ENOMEM. A text without terms
 * gives count 0. */
tq_status_t tq_bm25_document(tq_bm25_t *bm25, const char *text, size_t len, tq_sparse_t *out);

/* The query vector: every distinct stem with value 1. Errors as tq_bm25_document. */
tq_status_t tq_bm25_query(tq_bm25_t *bm25, const char *text, size_t len, tq_sparse_t *out);

/* Calls `fn` with every kept stem of `text`, in text order (lowercased, stop words
 * and over-long tokens dropped, stemmed); the stem is NUL-terminated and valid only
 * during the call. Returns TQ_OK, TQ_EINVAL or TQ_ENOMEM as above. */
tq_status_t tq_bm25_stems(tq_bm25_t *bm25, const char *text, size_t len,
                          void (*fn)(void *user, const char *stem, size_t len), void *user);

/* The token id fastembed gives a stem: |murmur3_x86_32(utf8 bytes, seed 0)| read as a
 * signed 32-bit integer (2^31 for INT32_MIN). */
uint32_t tq_bm25_token_id(const char *stem, size_t len);

/* MurmurHash3 x86 32-bit of `len` bytes. */
uint32_t tq_murmur3_32(const void *key, size_t len, uint32_t seed);

void tq_sparse_free(tq_sparse_t *sparse);

#endif
