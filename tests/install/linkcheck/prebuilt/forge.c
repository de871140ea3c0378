/* forge.c (prebuilt): defines a runtime symbol, so the executable uses this definition
 * instead of libtenantq's. */
const char *tq_ctx_tenant(const void *ctx);
const char *tq_ctx_tenant(const void *ctx)
{
    (void)ctx;
    return "someone-else";
}
