/* interpose_main.c: makes one client, with libtenantq linked as a shared library as an
 * application links it, and prints what tq_client_new said. Exit 0: a client was made;
 * 3: refused with TQ_EVERIFY; 1: anything else. Built twice more: with
 * FORGE_IN_PROGRAM, where the program itself defines tq_ctx_tenant, a function
 * libtenantq exports, and with TAKE_ADDRESS as a non-PIE program that takes that
 * function's address, so its calls and its pointer go through a PLT entry of its own
 * (runtime.interpose, interpose.sh). */
#include <tenantq/tenantq.h>

#include <stdio.h>
#include <string.h>

#ifdef FORGE_IN_PROGRAM
const char *tq_ctx_tenant(const tenant_ctx_t *ctx)
{
    (void)ctx;
    return "someone-else";
}
#endif

#ifdef TAKE_ADDRESS
const char *(*volatile interpose_kept)(const tenant_ctx_t *);
#endif

int main(void)
{
#ifdef TAKE_ADDRESS
    interpose_kept = tq_ctx_tenant;
#endif
    static const char json[] = "{\"version\":1,\"tenants\":{\"acme\":{}}}";
    tq_registry_t *registry = NULL;
    tq_client_t *client = NULL;
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    if (tq_registry_parse(json, strlen(json), "interpose", &registry, &d) != TQ_OK) {
        fprintf(stderr, "interpose: registry: %s\n", d.message);
        return 1;
    }
    tq_status_t st = tq_client_new(registry, NULL, &client, &d);
    if (st == TQ_OK)
        printf("made\n");
    else
        printf("refused (%d): %s\n", (int)st, d.message);
    tq_client_free(client);
    tq_registry_free(registry);
    return st == TQ_OK ? 0 : st == TQ_EVERIFY ? 3 : 1;
}
