/* null_scope.c: a literal NULL for a scope value. The generated declaration marks it
 * nonnull, so this must not compile with -Werror (misuse_test.sh). */
#include "kb.tq.h"

tq_status_t null_scope(const tenant_ctx_t *ctx, uint64_t *out);

tq_status_t null_scope(const tenant_ctx_t *ctx, uint64_t *out) {
    return kb_chunks_count(ctx, NULL, NULL, out, NULL);
}
