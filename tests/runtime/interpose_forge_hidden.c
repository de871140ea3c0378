/* interpose_forge_hidden.c: a shared library that defines tq_ctx_tenant only under a
 * hidden symbol version (tq_ctx_tenant@FORGE, not the default @@): dlsym does not
 * report it, but the loader binds a program's unversioned call to it
 * (runtime.interpose, interpose.sh). */
#include <tenantq/tenantq.h>

__attribute__((visibility("default"))) const char *forged_tenant(const tenant_ctx_t *ctx);
const char *forged_tenant(const tenant_ctx_t *ctx)
{
    (void)ctx;
    return "someone-else";
}
__asm__(".symver forged_tenant, tq_ctx_tenant@FORGE");
