/* forge.c: an innocent-looking function that a link option makes stand in for a
 * runtime symbol. */
const char *forged_tenant(const void *ctx);
const char *forged_tenant(const void *ctx)
{
    (void)ctx;
    return "someone-else";
}
