/* recall.c: exact top-k over the caller's own vectors, regenerated from the corpus.
 *
 * This is what catches the under-recall that filtering after retrieval causes (a
 * server that finds the global top-k and then drops other tenants' points returns too
 * few or worse neighbours). It must never count a point the caller does not own. */
#include "recall.h"

#include <stdlib.h>
#include <string.h>

#include "judge.h"

#define TIE_EPSILON 1e-4

/* The tenant's eligible points: same scope, and same topic when topic >= 0. */
static int eligible(const probe_corpus_t *corpus, size_t tenant, size_t i, size_t bot,
                    long topic)
{
    if (corpus_point_bot(i) != bot)
        return 0;
    return topic < 0 || corpus_point_topic(corpus, tenant, i) == (size_t)topic;
}

/* Inserts `score` into the descending array `top` of `*n` (at most k) scores. */
static void keep_top(double *top, size_t *n, uint32_t k, double score)
{
    if (*n == k && score <= top[k - 1])
        return;
    size_t pos = *n < k ? (*n)++ : k - 1;
    while (pos > 0 && top[pos - 1] < score) {
        top[pos] = top[pos - 1];
        pos--;
    }
    top[pos] = score;
}

double recall_check(probe_run_t *run, size_t caller, size_t bot, const float *query,
                    long topic, const probe_hits_t *hits, uint32_t k)
{
    const probe_corpus_t *corpus = run->corpus;
    double result = -1.0;
    float *v = malloc(corpus->dim * sizeof *v);
    double *top = malloc((k ? k : 1) * sizeof *top);
    if (!v || !top || k == 0)
        goto done;
    size_t n = 0, total = 0;
    for (size_t i = 0; i < corpus->vectors; i++) {
        if (!eligible(corpus, caller, i, bot, topic))
            continue;
        corpus_point_vector(corpus, caller, i, v);
        keep_top(top, &n, k, corpus_cosine(query, v, corpus->dim));
        total++;
    }
    if (total == 0)
        goto done;
    double threshold = top[n - 1] - TIE_EPSILON;
    size_t good = 0;
    for (size_t h = 0; h < hits->count; h++) {
        size_t owner = 0, index = 0;
        if (!judge_owned(run, caller, bot, hits->keys[h]) ||
            !corpus_key_owner(corpus, hits->keys[h], &owner, &index) ||
            !eligible(corpus, caller, index, bot, topic))
            continue;
        int repeated = 0;
        for (size_t j = 0; j < h && !repeated; j++)
            repeated = strcmp(hits->keys[j], hits->keys[h]) == 0;
        if (repeated)
            continue;
        corpus_point_vector(corpus, caller, index, v);
        if (corpus_cosine(query, v, corpus->dim) >= threshold)
            good++;
    }
    result = (double)good / (double)n;
    if (result > 1.0)
        result = 1.0;
    probe_tenant_t *t = &run->tenants[caller];
    pthread_mutex_lock(&run->lock);
    if (t->recall_n == 0 || result < t->recall_min)
        t->recall_min = result;
    t->recall_sum += result;
    t->recall_n++;
    pthread_mutex_unlock(&run->lock);
done:
    free(v);
    free(top);
    return result;
}
