/* embed.h: the embedder interface kb uses, and the built-in hashed-feature embedder.
 *
 * kb never depends on a particular model: every command takes a kb_embedder_t, a
 * dimension plus one function that turns a text into a unit vector. The built-in
 * embedder needs no model file and gives the same vector for the same text on every
 * machine; a real model plugs in by filling the same struct. */
#ifndef KB_EMBED_H
#define KB_EMBED_H

#include <stddef.h>

typedef struct kb_embedder {
    const char *name; /* shown by `kb status` */
    size_t dim;       /* length of every vector `embed` writes */
    /* Writes `dim` floats for `text` into `out`. Returns 0 on success, -1 when the
     * text has nothing to embed (no words) or the model failed; `out` is then
     * unspecified. Must be safe to call from one thread at a time. */
    int (*embed)(void *state, const char *text, float *out);
    void *state;
} kb_embedder_t;

/* The built-in embedder: lower-cased word unigrams and bigrams (stop words dropped
 * from unigrams), each hashed into `dim` buckets with a hashed sign, summed with
 * sub-linear term weights and L2-normalised. Deterministic and model-free; similar
 * wording gives similar vectors, which is enough to show retrieval and isolation. */
void kb_embedder_hashed(kb_embedder_t *out, size_t dim);

/* Calls `embedder` on `text`; the same contract as kb_embedder_t.embed. */
int kb_embed(const kb_embedder_t *embedder, const char *text, float *out);

#endif
