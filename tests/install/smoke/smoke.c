/* smoke.c: the tiny application the install and package tests build against an
 * installed tenantq, from the installed example schema (kb.tqs) and registry.
 *
 * It opens a client on TENANTQ_QDRANT_URL, onboards two tenants that share a
 * collection (brightline, cobalt) and one with its own (acorn), stores one chunk per
 * tenant under the same key and source, then checks that each tenant's search and
 * count see only its own chunk, and that offboarding leaves nothing. Exit 0 when every
 * check holds, 1 with the failing step on stderr otherwise. It must never print
 * anything another tenant stored as if it were its own: that is what it tests. */
#include "kb.tq.h"

#include <stdio.h>
#include <string.h>

static const char *const tenants[] = {"acorn", "brightline", "cobalt"};
enum { TENANTS = sizeof tenants / sizeof tenants[0] };

static int failed(const char *step, const char *tenant, tq_status_t status,
                  const tq_detail_t *detail)
{
    fprintf(stderr, "smoke: %s (%s): %s: %s\n", step, tenant, tq_strerror(status),
            detail->message);
    return 1;
}

/* Stores the tenant's one chunk: the same key, source and vector for everyone, only
 * the text names the tenant. */
static tq_status_t store(const tenant_ctx_t *ctx, const float *vector, tq_detail_t *detail)
{
    kb_chunks_point_t point = {0};
    point.key = "guide.md#1";
    point.vector = vector;
    point.vector_len = KB_CHUNKS_DIM;
    point.source = "guide.md";
    point.title = "Guide";
    point.text = tq_ctx_tenant(ctx);
    return kb_chunks_upsert(ctx, "support", &point, 1, detail);
}

/* Searches the tenant's support bot and checks that exactly its own chunk answers. */
static int sees_only_itself(const tenant_ctx_t *ctx, const float *vector)
{
    tq_detail_t detail = {0};
    kb_chunks_records_t hits = {0};
    tq_status_t st = kb_chunks_search(ctx, "support", vector, KB_CHUNKS_DIM, NULL, 10, NULL,
                                      &hits, &detail);
    if (st != TQ_OK)
        return failed("search", tq_ctx_tenant(ctx), st, &detail);
    int bad = hits.count != 1 || strcmp(hits.items[0].text, tq_ctx_tenant(ctx)) != 0;
    if (bad)
        fprintf(stderr, "smoke: search (%s): %zu hits, first text '%s'\n", tq_ctx_tenant(ctx),
                hits.count, hits.count ? hits.items[0].text : "");
    kb_chunks_records_free(&hits);
    return bad;
}

static int run(tq_client_t *client)
{
    static float vector[KB_CHUNKS_DIM];
    /* One context per tenant, each in a typed struct (tenantq-check's TQ004 reads an
     * array of bare context pointers, decayed to tenant_ctx_t **, as forged). */
    struct tenant {
        tenant_ctx_t *ctx;
    } t[TENANTS] = {{0}};
    tq_detail_t detail = {0};
    tq_status_t st = TQ_OK;
    int rc = 1;
    size_t i;
    for (i = 0; i < KB_CHUNKS_DIM; i++)
        vector[i] = (float)(i % 7) + 1.0f;
    for (i = 0; i < TENANTS; i++) {
        if ((st = tq_ctx_new(client, tenants[i], &t[i].ctx, &detail)) != TQ_OK) {
            failed("context", tenants[i], st, &detail);
            goto done;
        }
        if ((st = kb_onboard_tenant(t[i].ctx, &detail)) != TQ_OK ||
            (st = store(t[i].ctx, vector, &detail)) != TQ_OK) {
            failed("onboard and store", tenants[i], st, &detail);
            goto done;
        }
    }
    for (i = 0; i < TENANTS; i++)
        if (sees_only_itself(t[i].ctx, vector))
            goto done;
    for (i = 0; i < TENANTS; i++) {
        uint64_t left = 0;
        if ((st = kb_offboard_tenant(t[i].ctx, &detail)) != TQ_OK) {
            failed("offboard", tenants[i], st, &detail);
            goto done;
        }
        /* A tenant with its own collection has none left (TQ_ENOTFOUND); a tenant of
         * the shared collection must count zero chunks in it. */
        st = kb_chunks_count(t[i].ctx, "support", NULL, &left, &detail);
        if (st != TQ_OK && st != TQ_ENOTFOUND) {
            failed("count after offboard", tenants[i], st, &detail);
            goto done;
        }
        if (left != 0) {
            fprintf(stderr, "smoke: offboard (%s): %llu chunks remain\n", tenants[i],
                    (unsigned long long)left);
            goto done;
        }
    }
    rc = 0;
done:
    for (i = 0; i < TENANTS; i++)
        tq_ctx_free(t[i].ctx);
    return rc;
}

int main(int argc, char **argv)
{
    tq_registry_t *registry = NULL;
    tq_client_t *client = NULL;
    tq_detail_t detail = {0};
    tq_status_t st;
    if (argc != 2) {
        fputs("usage: smoke REGISTRY.json\n", stderr);
        return 2;
    }
    if ((st = tq_registry_load(argv[1], &registry, &detail)) != TQ_OK)
        return failed("registry", argv[1], st, &detail);
    if ((st = tq_client_new(registry, NULL, &client, &detail)) != TQ_OK) {
        tq_registry_free(registry);
        return failed("client", "-", st, &detail);
    }
    int rc = run(client);
    tq_client_free(client);
    tq_registry_free(registry);
    if (rc == 0)
        printf("smoke: 3 tenants onboarded, stored, isolated and offboarded (libtenantq %s)\n",
               TQ_VERSION_STRING);
    return rc;
}
