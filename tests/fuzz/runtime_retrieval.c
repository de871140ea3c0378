/* runtime_retrieval.c: libFuzzer target over the client half of hybrid retrieval: the
 * grouped answer (flattened, then parsed through the leak guard) and the BM25
 * tokeniser, stemmer and vector builders on arbitrary text. The first input byte picks
 * the mode; the rest is the body or the text.
 *
 * Beyond memory safety it checks two promises: an accepted grouped answer hands out
 * only points of the caller's tenant and scope, each carrying its group value; and every
 * BM25 vector has strictly ascending indices with finite positive values, 1 for
 * queries and at most (k1 + 1) for documents. */
#include "bm25.h"
#include "groups.h"
#include "result.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_fields[] = {"team"};
static const char *const scope_values[] = {"team-a"};

static void check_point(const tq_raw_point_t *p)
{
    char *s = NULL;
    int present = 0;
    if (tq_raw_point_keyword(p, "tq_tenant", &s, &present) != TQ_OK || !present ||
        strcmp(s, "acme") != 0)
        abort();
    free(s);
    s = NULL;
    if (tq_raw_point_keyword(p, "team", &s, &present) != TQ_OK || !present ||
        strcmp(s, "team-a") != 0)
        abort();
    free(s);
}

static void groups(const char *body, size_t len)
{
    tq_guard_t g = {
        .tenant = "acme",
        .collection = "kb-docs--acme",
        .logical = "kb-docs",
        .scope_fields = scope_fields,
        .scope_values = scope_values,
        .scope_count = 1,
        .vector_name = "text",
        .dim = 2,
        .max_results = 64,
        .max_depth = 32,
    };
    tq_detail_t detail;
    char *flat = NULL;
    if (tq_groups_flatten(body, len, 32, "doc", "kb-docs--acme", &flat, &detail) != TQ_OK)
        return;
    tq_raw_result_t r;
    memset(&r, 0, sizeof r);
    if (tq_result_parse(flat, strlen(flat), TQ_PARSE_QUERY, &g, &r, &detail) == TQ_OK) {
        for (size_t i = 0; i < r.count; i++) {
            const tq_raw_point_t *p = tq_raw_result_point(&r, i);
            check_point(p);
            char *doc = NULL;
            int present = 0;
            if (tq_raw_point_keyword(p, "doc", &doc, &present) != TQ_OK || !present)
                abort(); /* every hit carries its group's id */
            free(doc);
        }
    } else if (r.count != 0 || r.points != NULL) {
        abort();
    }
    tq_raw_result_free(&r);
    cJSON_free(flat);
}

static void bm25(const char *text, size_t len, int query)
{
    tq_bm25_t *b = tq_bm25_new();
    tq_sparse_t s;
    if (!b)
        return;
    tq_status_t st = query ? tq_bm25_query(b, text, len, &s) : tq_bm25_document(b, text, len, &s);
    if (st == TQ_OK) {
        for (size_t i = 0; i < s.count; i++) {
            if (i > 0 && s.indices[i] <= s.indices[i - 1])
                abort();
            if (!isfinite(s.values[i]) || s.values[i] <= 0.0f)
                abort();
            if (query ? s.values[i] != 1.0f : s.values[i] > (float)(TQ_BM25_K1 + 1.0))
                abort();
        }
        tq_sparse_free(&s);
    } else if (st != TQ_EINVAL && st != TQ_ENOMEM) {
        abort();
    }
    tq_bm25_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] % 3;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    if (mode == 0)
        groups(body, len);
    else
        bm25(body, len, mode == 1);
    return 0;
}
