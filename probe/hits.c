/* hits.c: what a read through a generated client returned, as the probe judges it:
 * copies of the keys and scores, and the scroll cursor. The generated probe tables
 * (api_dim.c.in, `tenantq-gen --probe`) fill it; the probe frees it. It never looks at
 * what the keys say: ownership is the judge's business. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

tq_status_t tq_probe_hits_init(tq_probe_hits_t *out, size_t count, const char *cursor)
{
    memset(out, 0, sizeof *out);
    snprintf(out->next_cursor, sizeof out->next_cursor, "%s", cursor ? cursor : "");
    if (count == 0)
        return TQ_OK;
    out->keys = calloc(count, sizeof *out->keys);
    out->scores = calloc(count, sizeof *out->scores);
    if (!out->keys || !out->scores) {
        tq_probe_hits_free(out);
        return TQ_ENOMEM;
    }
    out->capacity = count;
    return TQ_OK;
}

tq_status_t tq_probe_hits_add(tq_probe_hits_t *out, const char *key, double score)
{
    if (out->count >= out->capacity)
        return TQ_EINVAL;
    char *copy = strdup(key ? key : "");
    if (!copy)
        return TQ_ENOMEM;
    out->keys[out->count] = copy;
    out->scores[out->count] = score;
    out->count++;
    return TQ_OK;
}

void tq_probe_hits_free(tq_probe_hits_t *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->count; i++)
        free(hits->keys[i]);
    free(hits->keys);
    free(hits->scores);
    memset(hits, 0, sizeof *hits);
}

void probe_hits_free(probe_hits_t *hits)
{
    tq_probe_hits_free(hits);
}
