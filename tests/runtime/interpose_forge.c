/* interpose_forge.c: a shared library that defines tq_ctx_tenant, a function libtenantq
 * exports; loaded with LD_PRELOAD it takes the runtime's place for every caller
 * (runtime.interpose, interpose.sh). */
#include <tenantq/tenantq.h>

const char *tq_ctx_tenant(const tenant_ctx_t *ctx)
{
    (void)ctx;
    return "someone-else";
}
