/* short_vector.c: a 16-float array passed as a KB_CHUNKS_DIM-float query vector. The
 * compiler sees the array, so this must not compile (misuse_test.sh). */
#include "kb.tq.h"

tq_status_t short_query(const tenant_ctx_t *ctx, kb_chunks_records_t *out);

tq_status_t short_query(const tenant_ctx_t *ctx, kb_chunks_records_t *out) {
    float query[16] = {0};
    return kb_chunks_search(ctx, "support", query, KB_CHUNKS_DIM, NULL, 5, NULL, out, NULL);
}
