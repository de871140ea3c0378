/* raw.c: compiled outside the project (no compilation database entry): a vendor object
 * that counts a collection through the raw layer, skipping the generated client. */
#include <tenantq/raw.h>

tq_status_t vendor_count(const tenant_ctx_t *ctx, const tq_raw_collection_t *c, uint64_t *n);
tq_status_t vendor_count(const tenant_ctx_t *ctx, const tq_raw_collection_t *c, uint64_t *n)
{
    return tq_raw_count(ctx, c, NULL, NULL, n, NULL);
}
