/* well_formed.c: the same calls done right; must compile (misuse_test.sh), so the
 * refusals of short_vector.c and null_scope.c are about the misuse alone. */
#include "kb.tq.h"

tq_status_t full_query(const tenant_ctx_t *ctx, kb_chunks_records_t *out, uint64_t *n);

tq_status_t full_query(const tenant_ctx_t *ctx, kb_chunks_records_t *out, uint64_t *n) {
    float query[KB_CHUNKS_DIM] = {0};
    tq_status_t st = kb_chunks_search(ctx, "support", query, KB_CHUNKS_DIM, NULL, 5, NULL, out,
                                      NULL);
    return st == TQ_OK ? kb_chunks_count(ctx, "support", NULL, n, NULL) : st;
}
