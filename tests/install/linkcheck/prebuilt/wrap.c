/* wrap.c (prebuilt): the --wrap target for tq_ctx_new. */
typedef int tq_status_t;
tq_status_t __real_tq_ctx_new(void *client, const char *id, void **out, void *detail);
tq_status_t __wrap_tq_ctx_new(void *client, const char *id, void **out, void *detail);
tq_status_t __wrap_tq_ctx_new(void *client, const char *id, void **out, void *detail)
{
    (void)id;
    return __real_tq_ctx_new(client, "someone-else", out, detail);
}
