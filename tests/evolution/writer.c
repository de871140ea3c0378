/* writer.c: the application before a schema change. Built with the client generated
 * from schemas/base.tqs, it is run by every evolution test as a separate process:
 *
 *   evo_writer URL write   onboards the three tenants and stores four points each
 *   evo_writer URL check   reads them back and checks every value (exit 0 when all
 *                          are there), e.g. to show that revision 1 still serves
 *
 * Exit status 0 on success, 1 with a message on stderr otherwise. */
#include "evo.tq.h"

#include "evo_common.h"

#include <stdlib.h>

static int failed(const char *what, const char *tenant, tq_status_t st, const tq_detail_t *d)
{
    fprintf(stderr, "evo_writer: %s for %s: %s: %s\n", what, tenant, tq_status_name(st),
            d->message);
    return 1;
}

static int write_tenant(const tenant_ctx_t *ctx, const char *tenant)
{
    static const float vectors[EVO_POINTS][EVO_CHUNKS_DIM] = {
        {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    static const char *const sources[EVO_POINTS] = {"web", "pdf", "web", "pdf"};
    static const char *const titles[EVO_POINTS] = {"title 1", "title 2", "title 3", "title 4"};
    static const char *const tags[EVO_POINTS][1] = {{"t1"}, {"t2"}, {"t3"}, {"t4"}};
    evo_chunks_point_t points[EVO_POINTS];
    tq_detail_t d;
    memset(points, 0, sizeof points);
    for (int i = 0; i < EVO_POINTS; i++) {
        points[i].key = evo_keys[i];
        points[i].vector = vectors[i];
        points[i].vector_len = EVO_CHUNKS_DIM;
        points[i].source = sources[i];
        points[i].title = titles[i];
        points[i].priority = i + 1;
        points[i].has_priority = 1;
        points[i].tags = tags[i];
        points[i].tags_count = 1;
    }
    tq_status_t st = evo_onboard_tenant(ctx, &d);
    if (st != TQ_OK)
        return failed("onboard", tenant, st, &d);
    st = evo_chunks_upsert(ctx, EVO_BOT, points, EVO_POINTS, &d);
    return st == TQ_OK ? 0 : failed("upsert", tenant, st, &d);
}

static int check_tenant(const tenant_ctx_t *ctx, const char *tenant)
{
    evo_chunks_records_t r;
    tq_detail_t d;
    memset(&r, 0, sizeof r);
    tq_status_t st = evo_chunks_get(ctx, EVO_BOT, evo_keys, EVO_POINTS, 0, &r, &d);
    if (st != TQ_OK)
        return failed("get", tenant, st, &d);
    int bad = r.count != EVO_POINTS;
    for (size_t i = 0; i < r.count && !bad; i++) {
        const evo_chunks_record_t *p = &r.items[i];
        int k = p->key[1] - '0';
        char title[16];
        snprintf(title, sizeof title, "title %d", k);
        bad = !p->has_priority || p->priority != k || !p->title || strcmp(p->title, title) != 0;
    }
    evo_chunks_records_free(&r);
    if (bad) {
        fprintf(stderr, "evo_writer: %s: the stored points are not what was written\n", tenant);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[2], "write") != 0 && strcmp(argv[2], "check") != 0)) {
        fprintf(stderr, "usage: evo_writer URL write|check\n");
        return 2;
    }
    tq_registry_t *registry = NULL;
    tq_client_t *client = NULL;
    tq_detail_t d;
    int rc = 0;
    if (evo_registry(argv[1], &registry, &d) != TQ_OK ||
        tq_client_new(registry, NULL, &client, &d) != TQ_OK) {
        fprintf(stderr, "evo_writer: %s\n", d.message);
        tq_registry_free(registry);
        return 1;
    }
    for (int t = 0; t < EVO_TENANTS && rc == 0; t++) {
        tenant_ctx_t *ctx = NULL;
        if (tq_ctx_new(client, evo_tenants[t], &ctx, &d) != TQ_OK) {
            rc = failed("context", evo_tenants[t], d.status, &d);
            break;
        }
        rc = strcmp(argv[2], "write") == 0 ? write_tenant(ctx, evo_tenants[t])
                                           : check_tenant(ctx, evo_tenants[t]);
        tq_ctx_free(ctx);
    }
    tq_client_free(client);
    tq_registry_free(registry);
    return rc;
}
