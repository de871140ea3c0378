/* migrate.c: `migrate TENANT --to PLACEMENT [--endpoint NAME]`: moving a tenant's
 * points between placements with proof, and resuming or rolling back after a crash.
 *
 * The steps (journal.h) are: prepare the target collections, copy every point in
 * batches (ids, vectors and payload unchanged), verify the target against the source
 * (same ids, payload digests, vectors), switch the registry atomically, delete the
 * source, verify it is empty. The journal beside the registry records the last step
 * completed and is rewritten atomically after each; every step is idempotent, so
 * running `migrate` again after a crash or a server fault replays from there. Until
 * the switch the registry names the source and the target copy is invisible to the
 * application; after it the registry names the target. The source is deleted only
 * after the switch, and the target is deleted (--abort) only before it, so the
 * tenant is always readable from exactly the one place its registry names.
 *
 * Source and target are addressed through contexts made from in-memory copies of the
 * registry that place the tenant at the journal's `from` and `to`, so every physical
 * name comes from the runtime's own routing code, never from this file.
 *
 * A tiered tenant's promotion (`from` and `to` both "tiered") runs the same steps inside
 * one collection, between two shard keys: the copy is Qdrant's replicate_points from
 * "default" into the tenant's own key, the switch changes no registry value, and since
 * the key serves the tenant once the copy is done, undoing it copies the key's points
 * back into "default" before the key is dropped (unpromote). */
#include "commands.h"

#include "client.h"
#include "ctx.h"
#include "detail.h"
#include "journal.h"
#include "json.h"
#include "progress.h"
#include "registry.h"
#include "side.h"
#include "sweep.h"
#include "tiered.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define MIGRATE_BATCH_DEFAULT 256
#define MIGRATE_BATCH_MAX 4096
#define VECTOR_TOLERANCE 1e-6

typedef struct migration {
    adm_env_t *env;
    adm_journal_t j;
    char journal_path[4096];
    side_t src, dst;
    place_t *src_places, *dst_places; /* one per env->collections */
    int *same;                        /* 1 when source and target are one collection */
    size_t batch;
    long grace_ms;
    int promote; /* tiered -> tiered: the tenant's own shard key, by replicate_points */
} migration_t;

/* ---- crash injection, for the tests of resuming ----------------------------------- */

/* Ends the process abruptly (as kill -9 would) when TENANTQ_ADMIN_CRASH_AT names
 * `point`. Only the test suite sets it; docs/admin.md lists the points. */
static void crash_point(const char *point)
{
    const char *at = getenv("TENANTQ_ADMIN_CRASH_AT");
    if (at && strcmp(at, point) == 0) {
        fprintf(stderr, "tenantq-admin: crash injected at \"%s\"\n", point);
        fflush(stderr);
        _exit(137);
    }
}

/* ---- the two sides --------------------------------------------------------------- */

/* Journals where the copy stands: collection `c` done up to `next` (NULL: all of it),
 * so a resumed run continues there instead of at the first page. */
static tq_status_t save_copy_position(migration_t *m, size_t c, const cJSON *next,
                                      tq_detail_t *detail)
{
    const tq_raw_collection_t *col = &m->env->collections[c];
    snprintf(m->j.copy_collection, sizeof m->j.copy_collection, "%s-%s", col->schema,
             col->name);
    if (!next) {
        snprintf(m->j.copy_offset, sizeof m->j.copy_offset, "end");
    } else {
        char *text = cJSON_PrintUnformatted(next);
        if (!text || strlen(text) >= sizeof m->j.copy_offset) {
            cJSON_free(text);
            return tq_fail(detail, TQ_ELIMIT, 0, "a scroll offset too long to journal");
        }
        strcpy(m->j.copy_offset, text);
        cJSON_free(text);
    }
    return adm_journal_save(m->journal_path, &m->j, detail);
}

/* Where a resumed copy starts: the collection index and the offset (owned, may be
 * NULL). Returns TQ_EREGISTRY for an offset that does not parse. */
static tq_status_t copy_start(migration_t *m, size_t *start, cJSON **offset,
                              tq_detail_t *detail)
{
    *start = 0;
    *offset = NULL;
    if (!m->j.copy_collection[0])
        return TQ_OK;
    for (size_t c = 0; c < m->env->collection_count; c++) {
        char logical[TQ_COLLECTION_NAME_MAX + 1];
        snprintf(logical, sizeof logical, "%s-%s", m->env->collections[c].schema,
                 m->env->collections[c].name);
        if (strcmp(logical, m->j.copy_collection) != 0)
            continue;
        if (strcmp(m->j.copy_offset, "end") == 0) {
            *start = c + 1;
        } else {
            *start = c;
            if (m->j.copy_offset[0] && !(*offset = cJSON_Parse(m->j.copy_offset)))
                return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key copy_offset: not JSON",
                               m->journal_path);
        }
        fprintf(m->env->err, "copy: resuming in %s after %llu points\n", logical,
                (unsigned long long)m->j.points);
        return TQ_OK;
    }
    /* The schemas changed since: copying again from the start is always safe. */
    m->j.points = 0;
    return TQ_OK;
}

/* ---- promotion inside a tiered collection ------------------------------------------ */

#define REPLICATE_WAIT_MS 600000L
#define REPLICATE_POLL_MS 100L

/* Copies the tenant's points in one tiered collection from shard key `from` to `to`
 * with Qdrant's replicate_points, then waits until `to` holds at least as many of them
 * as `from` (a real cluster transfers in the background; a read of `to` that fails
 * meanwhile counts as "not yet" until REPLICATE_WAIT_MS). */
static tq_status_t replicate(migration_t *m, const place_t *from, const place_t *to,
                            uint64_t *copied, tq_detail_t *detail)
{
    const side_t *s = &m->dst;
    tq_status_t st = tq_replicate_points(s->client, s->slot, to->endpoint, to->route.collection,
                                         from->shard, to->shard, m->j.tenant, detail);
    for (long waited = 0; st == TQ_OK; waited += REPLICATE_POLL_MS) {
        uint64_t want = 0, have = 0;
        st = adm_tenant_points(s, from, &want, detail);
        /* A shard still in transfer may refuse direct reads: not yet, until the end. */
        tq_status_t target = st == TQ_OK ? adm_tenant_points(s, to, &have, detail) : st;
        if (st == TQ_OK && target == TQ_OK && have >= want) {
            *copied = have;
            return TQ_OK;
        }
        if (st == TQ_OK && target != TQ_OK && waited >= REPLICATE_WAIT_MS)
            st = target;
        if (st == TQ_OK && waited >= REPLICATE_WAIT_MS)
            st = tq_fail(detail, TQ_ETIMEOUT, 0,
                         "%s: replicate_points from shard key \"%s\" to \"%s\" has copied %llu "
                         "of %llu points after %ld s; run migrate again",
                         to->route.collection, from->shard, to->shard,
                         (unsigned long long)have, (unsigned long long)want, waited / 1000);
        struct timespec ts = {0, REPLICATE_POLL_MS * 1000000L};
        if (st == TQ_OK)
            nanosleep(&ts, NULL);
    }
    return st;
}

/* The copy of a promotion: every collection's points from "default" to the tenant's
 * shard key (created "Partial" by step_prepare, active once the copy is done). */
static tq_status_t step_replicate(migration_t *m, tq_detail_t *detail)
{
    m->j.points = 0;
    for (size_t c = 0; c < m->env->collection_count; c++) {
        uint64_t n = 0;
        tq_status_t st = replicate(m, &m->src_places[c], &m->dst_places[c], &n, detail);
        if (st != TQ_OK)
            return st;
        m->j.points += n;
    }
    fprintf(m->env->err, "copy: %llu points replicated into shard key \"%s\"\n",
            (unsigned long long)m->j.points, m->j.tenant);
    return TQ_OK;
}

/* Undoes a promotion that has not been verified: the tenant's own shard key may already
 * be live (writes go there once replicate_points finished), so its points are first
 * replicated back into "default", then the key is retired. */
static tq_status_t unpromote(migration_t *m, tq_detail_t *detail)
{
    for (size_t c = 0; c < m->env->collection_count; c++) {
        int present = 0;
        uint64_t n = 0;
        tq_status_t st = adm_place_owned(&m->dst, &m->dst_places[c], &present, detail);
        if (st == TQ_OK && present)
            st = replicate(m, &m->dst_places[c], &m->src_places[c], &n, detail);
        if (st == TQ_OK)
            st = adm_place_erase(&m->dst, &m->dst_places[c], detail);
        if (st != TQ_OK)
            return st;
    }
    return TQ_OK;
}

static tq_status_t step_copy(migration_t *m, tq_detail_t *detail)
{
    adm_env_t *env = m->env;
    if (m->promote)
        return step_replicate(m, detail);
    uint64_t total = 0, batches = 0;
    size_t start = 0;
    cJSON *offset = NULL;
    tq_status_t st = copy_start(m, &start, &offset, detail);
    for (size_t c = 0; st == TQ_OK && c < env->collection_count; c++) {
        uint64_t n = 0;
        if (!m->same[c])
            st = adm_tenant_points(&m->src, &m->src_places[c], &n, detail);
        total += n;
    }
    if (st != TQ_OK) {
        cJSON_Delete(offset);
        return st;
    }
    if (!m->j.copy_collection[0])
        m->j.points = 0;
    adm_progress_t prog;
    adm_progress_start(&prog, env->err, "copy", total);
    adm_progress_update(&prog, m->j.points);
    for (size_t c = start; c < env->collection_count; c++) {
        if (m->same[c])
            continue;
        for (;;) {
            cJSON *root = NULL, *points = NULL;
            const cJSON *next = NULL;
            st = adm_scroll_page(&m->src, &m->src_places[c], m->batch, offset, &root, &points,
                             &next, detail);
            if (st == TQ_ENOTFOUND) { /* never onboarded there: nothing to copy */
                cJSON_Delete(root);
                st = TQ_OK;
                next = NULL;
                root = NULL;
            }
            size_t n = st == TQ_OK && points ? (size_t)cJSON_GetArraySize(points) : 0;
            if (st == TQ_OK && n > 0)
                st = adm_upsert_page(&m->dst, &m->dst_places[c], points, detail);
            if (st == TQ_OK) {
                m->j.points += n;
                st = save_copy_position(m, c, next, detail);
            }
            cJSON_Delete(offset);
            offset = st == TQ_OK && next ? cJSON_Duplicate(next, 1) : NULL;
            cJSON_Delete(root);
            if (st == TQ_OK && next && !offset)
                st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            if (st != TQ_OK)
                return st;
            adm_progress_update(&prog, m->j.points);
            if (++batches == 1)
                crash_point("copying");
            if (!offset)
                break;
        }
    }
    cJSON_Delete(offset);
    adm_progress_finish(&prog);
    return TQ_OK;
}

/* ---- verification ------------------------------------------------------------------ */

typedef struct digest_entry {
    char id[64];
    unsigned char payload[32];
    float *vector;
    size_t dim;
} digest_entry_t;

typedef struct digest_set {
    digest_entry_t *items;
    size_t count, cap;
} digest_set_t;

static void digest_set_free(digest_set_t *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i].vector);
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* Sorts object members by key at every level, so equal payloads print equal. */
static void canonicalise(cJSON *item)
{
    if (!item || !(cJSON_IsObject(item) || cJSON_IsArray(item)))
        return;
    for (cJSON *c = item->child; c; c = c->next)
        canonicalise(c);
    if (!cJSON_IsObject(item))
        return;
    cJSON *sorted = NULL;
    while (item->child) { /* insertion sort of the member list */
        cJSON *c = item->child;
        item->child = c->next;
        cJSON **at = &sorted;
        while (*at && strcmp((*at)->string, c->string) <= 0)
            at = &(*at)->next;
        c->next = *at;
        *at = c;
    }
    cJSON *prev = NULL;
    for (cJSON *c = sorted; c; c = c->next) {
        c->prev = prev;
        prev = c;
    }
    if (sorted)
        sorted->prev = prev; /* cJSON keeps the last element in child->prev */
    item->child = sorted;
}

/* Appends every number under `item` (depth first, members in the order given) to
 * *vals; 0, or -1 when out of memory or for a value that is not a number. */
static int collect_numbers(const cJSON *item, float **vals, size_t *n, size_t *cap, int depth)
{
    if (depth > 8)
        return -1;
    if (cJSON_IsNumber(item)) {
        if (*n == *cap) {
            size_t grown_cap = *cap ? *cap * 2 : 64;
            float *grown = realloc(*vals, grown_cap * sizeof *grown);
            if (!grown)
                return -1;
            *vals = grown;
            *cap = grown_cap;
        }
        (*vals)[(*n)++] = (float)item->valuedouble;
        return 0;
    }
    if (!cJSON_IsArray(item) && !cJSON_IsObject(item))
        return -1;
    const cJSON *c;
    cJSON_ArrayForEach(c, item)
    {
        if (collect_numbers(c, vals, n, cap, depth + 1) != 0)
            return -1;
    }
    return 0;
}

/* The values of a point's vectors in a fixed order: named vectors sorted by name,
 * dense arrays and sparse {indices, values} alike. 0, or -1 when out of memory or
 * malformed. *out is malloc'd. */
static int flatten_vector(const cJSON *v, float **out, size_t *dim)
{
    cJSON *copy = cJSON_Duplicate(v, 1);
    float *vals = NULL;
    size_t n = 0, cap = 0;
    if (!copy)
        return -1;
    canonicalise(copy);
    int rc = collect_numbers(copy, &vals, &n, &cap, 0);
    cJSON_Delete(copy);
    if (rc != 0) {
        free(vals);
        return -1;
    }
    *out = vals;
    *dim = n;
    return 0;
}

static tq_status_t collect_digests(const side_t *s, const place_t *p, size_t batch,
                                   digest_set_t *set, tq_detail_t *detail)
{
    cJSON *offset = NULL;
    for (;;) {
        cJSON *root = NULL, *points = NULL;
        const cJSON *next = NULL;
        tq_status_t st = adm_scroll_page(s, p, batch, offset, &root, &points, &next, detail);
        cJSON_Delete(offset);
        offset = NULL;
        if (st == TQ_ENOTFOUND) {
            cJSON_Delete(root);
            return TQ_OK;
        }
        cJSON *pt, *list = st == TQ_OK ? points : NULL;
        cJSON_ArrayForEach(pt, list)
        {
            if (set->count == set->cap) {
                size_t cap = set->cap ? set->cap * 2 : 256;
                digest_entry_t *grown = realloc(set->items, cap * sizeof *grown);
                if (!grown) {
                    st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
                    break;
                }
                set->items = grown;
                set->cap = cap;
            }
            digest_entry_t *e = &set->items[set->count];
            memset(e, 0, sizeof *e);
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(pt, "id");
            if (cJSON_IsString(id))
                snprintf(e->id, sizeof e->id, "%s", id->valuestring);
            else
                snprintf(e->id, sizeof e->id, "#%.0f", id->valuedouble);
            cJSON *payload = cJSON_GetObjectItemCaseSensitive(pt, "payload");
            canonicalise(payload);
            char *text = cJSON_PrintUnformatted(payload);
            int ok = text && adm_sha256(text, strlen(text), e->payload) == 0 &&
                     flatten_vector(cJSON_GetObjectItemCaseSensitive(pt, "vector"), &e->vector,
                                    &e->dim) == 0;
            cJSON_free(text);
            if (!ok) {
                st = tq_fail(detail, TQ_ENOMEM, 0, "cannot digest point %s", e->id);
                break;
            }
            set->count++;
        }
        if (st == TQ_OK && next && !(offset = cJSON_Duplicate(next, 1)))
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        cJSON_Delete(root);
        if (st != TQ_OK)
            return st;
        if (!offset)
            return TQ_OK;
    }
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const digest_entry_t *)a)->id, ((const digest_entry_t *)b)->id);
}

/* Compares two sorted sets; 0 when equal, else writes the first difference. */
static int digests_differ(const digest_set_t *a, const digest_set_t *b, char *why, size_t cap)
{
    if (a->count != b->count) {
        snprintf(why, cap, "the source has %zu points, the target %zu", a->count, b->count);
        return 1;
    }
    for (size_t i = 0; i < a->count; i++) {
        const digest_entry_t *x = &a->items[i], *y = &b->items[i];
        if (strcmp(x->id, y->id) != 0) {
            snprintf(why, cap, "point %s is missing from the target", x->id);
            return 1;
        }
        if (memcmp(x->payload, y->payload, 32) != 0) {
            snprintf(why, cap, "point %s has a different payload in the target", x->id);
            return 1;
        }
        if (x->dim != y->dim) {
            snprintf(why, cap, "point %s has a vector of another size in the target", x->id);
            return 1;
        }
        for (size_t k = 0; k < x->dim; k++) {
            double d = (double)x->vector[k] - (double)y->vector[k];
            double scale = x->vector[k] < 0 ? -x->vector[k] : x->vector[k];
            if ((d < 0 ? -d : d) > VECTOR_TOLERANCE * (scale > 1 ? scale : 1)) {
                snprintf(why, cap, "point %s has a different vector in the target", x->id);
                return 1;
            }
        }
    }
    return 0;
}

static tq_status_t step_verify(migration_t *m, tq_detail_t *detail)
{
    adm_env_t *env = m->env;
    uint64_t verified = 0;
    for (size_t c = 0; c < env->collection_count; c++) {
        if (m->same[c])
            continue;
        digest_set_t a = {0}, b = {0};
        tq_status_t st = collect_digests(&m->src, &m->src_places[c], m->batch, &a, detail);
        if (st == TQ_OK)
            st = collect_digests(&m->dst, &m->dst_places[c], m->batch, &b, detail);
        char why[256];
        if (st == TQ_OK) {
            qsort(a.items, a.count, sizeof *a.items, entry_cmp);
            qsort(b.items, b.count, sizeof *b.items, entry_cmp);
            if (digests_differ(&a, &b, why, sizeof why))
                st = tq_fail(detail, TQ_EVERIFY, 0, "verify %s -> %s: %s",
                             m->src_places[c].route.collection,
                             m->dst_places[c].route.collection, why);
        }
        /* An own target collection (or shard key) must hold nothing but the tenant's
         * points. */
        uint64_t all = 0;
        const place_t *dp = &m->dst_places[c];
        cJSON *own_key = dp->route.placement == TQ_PLACEMENT_TIERED
                             ? cJSON_CreateString(m->j.tenant)
                             : NULL;
        if (st == TQ_OK && dp->route.placement == TQ_PLACEMENT_TIERED && !own_key)
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        if (st == TQ_OK && dp->route.placement != TQ_PLACEMENT_SHARED) {
            st = tq_admin_count_in(m->dst.client, m->dst.slot, dp->endpoint,
                                   dp->route.collection, NULL, own_key, &all, detail);
            if (st == TQ_OK && all != b.count)
                st = tq_fail(detail, TQ_EVERIFY, 0, "verify: %s holds %llu points, %zu of "
                                                    "them the tenant's",
                             m->dst_places[c].route.collection, (unsigned long long)all,
                             b.count);
        }
        cJSON_Delete(own_key);
        verified += a.count;
        digest_set_free(&a);
        digest_set_free(&b);
        if (st != TQ_OK)
            return st;
    }
    fprintf(env->err, "verify: %llu points: ids, payload digests and vectors match\n",
            (unsigned long long)verified);
    m->j.points = verified;
    return TQ_OK;
}

/* ---- preparing, deleting ---------------------------------------------------------- */

static tq_status_t step_prepare(migration_t *m, tq_detail_t *detail)
{
    for (size_t c = 0; c < m->env->collection_count; c++) {
        if (m->same[c])
            continue;
        tq_status_t st = tq_raw_onboard(m->dst.ctx, &m->env->collections[c], detail);
        /* Into tiered, the tenant gets its own shard key: "Partial" for a promotion
         * (reads stay on "default" until replicate_points has filled it), active for a
         * copy from another collection (nothing reads it before the switch). */
        const place_t *p = &m->dst_places[c];
        if (st == TQ_OK && p->route.placement == TQ_PLACEMENT_TIERED)
            st = tq_shard_key_ensure(m->dst.client, m->dst.slot, p->endpoint,
                                     p->route.collection, m->j.tenant, m->promote, detail);
        if (st != TQ_OK)
            return st;
    }
    return TQ_OK;
}

/* Deletes the tenant's points at every place of one side (adm_place_erase). */
static tq_status_t erase_side(migration_t *m, const side_t *s, const place_t *places,
                              tq_detail_t *detail)
{
    for (size_t c = 0; c < m->env->collection_count; c++) {
        if (m->same[c])
            continue;
        tq_status_t st = adm_place_erase(s, &places[c], detail);
        if (st != TQ_OK)
            return st;
    }
    tq_detail_ok(detail);
    return TQ_OK;
}

/* Verifies a side holds none of the tenant's points (and no own collection or shard
 * key). */
static tq_status_t verify_empty(migration_t *m, const side_t *s, const place_t *places,
                                tq_detail_t *detail)
{
    for (size_t c = 0; c < m->env->collection_count; c++) {
        if (m->same[c])
            continue;
        const place_t *p = &places[c];
        uint64_t left = 0;
        int present = 0;
        tq_status_t st = adm_tenant_points(s, p, &left, detail);
        if (st == TQ_OK)
            st = adm_place_owned(s, p, &present, detail);
        if (st != TQ_OK)
            return st;
        if (left || present)
            return tq_fail(detail, TQ_EVERIFY, 0,
                           "%s on endpoint \"%s\" still holds %llu of tenant \"%s\"'s points",
                           p->route.collection, p->route.endpoint_name,
                           (unsigned long long)left, tq_ctx_tenant(s->ctx));
    }
    return TQ_OK;
}

/* ---- the registry switch ------------------------------------------------------------ */

static tq_status_t save(migration_t *m, adm_step_t step, tq_detail_t *detail)
{
    m->j.step = step;
    tq_status_t st = adm_journal_save(m->journal_path, &m->j, detail);
    if (st == TQ_OK) {
        fprintf(m->env->err, "migrate %s: step %s\n", m->j.tenant, adm_step_name(step));
        crash_point(adm_step_name(step));
    }
    return st;
}

static tq_status_t step_switch(migration_t *m, tq_detail_t *detail)
{
    char *text = NULL;
    size_t len = 0;
    tq_status_t st = adm_registry_plan(m->env->registry_path, m->j.tenant, &m->j.to,
                                       m->j.registry_before, &text, &len, m->j.registry_after,
                                       detail);
    /* Journal the digest the switch will produce first: a crash between the rename and
     * the next journal write is then recognised, not taken for a foreign edit. */
    if (st == TQ_OK)
        st = adm_journal_save(m->journal_path, &m->j, detail);
    if (st == TQ_OK) {
        crash_point("switching");
        st = adm_file_replace(m->env->registry_path, text, len, detail);
    }
    free(text);
    if (st == TQ_OK)
        crash_point("registry-written");
    return st;
}

/* ---- command ------------------------------------------------------------------------ */

static int same_location(const adm_location_t *a, const adm_location_t *b)
{
    return a->placement == b->placement && strcmp(a->endpoint, b->endpoint) == 0;
}

/* Opens both sides and computes every collection's source and target place. */
static tq_status_t open_sides(migration_t *m, tq_detail_t *detail)
{
    adm_env_t *env = m->env;
    size_t n = env->collection_count ? env->collection_count : 1;
    m->src_places = calloc(n, sizeof *m->src_places);
    m->dst_places = calloc(n, sizeof *m->dst_places);
    m->same = calloc(n, sizeof *m->same);
    if (!m->src_places || !m->dst_places || !m->same)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = adm_side_open(&m->src, env->registry, m->j.tenant, &m->j.from, detail);
    if (st == TQ_OK)
        st = adm_side_open(&m->dst, env->registry, m->j.tenant, &m->j.to, detail);
    for (size_t c = 0; st == TQ_OK && c < env->collection_count; c++) {
        st = adm_place_of(&m->src, &env->collections[c], &m->src_places[c], detail);
        if (st == TQ_OK)
            st = adm_place_of(&m->dst, &env->collections[c], &m->dst_places[c], detail);
        if (st == TQ_OK)
            m->same[c] = strcmp(m->src_places[c].route.endpoint_name,
                                m->dst_places[c].route.endpoint_name) == 0 &&
                         strcmp(m->src_places[c].route.collection,
                                m->dst_places[c].route.collection) == 0;
        if (st == TQ_OK && m->promote) { /* one collection, two shard keys */
            m->same[c] = 0;
            snprintf(m->src_places[c].shard, sizeof m->src_places[c].shard, "%s",
                     TQ_TIERED_FALLBACK);
            snprintf(m->dst_places[c].shard, sizeof m->dst_places[c].shard, "%s", m->j.tenant);
        }
    }
    return st;
}

static void migration_close(migration_t *m)
{
    adm_side_close(&m->src);
    adm_side_close(&m->dst);
    free(m->src_places);
    free(m->dst_places);
    free(m->same);
}

/* Checks the requested target against the registry's endpoints. */
static int parse_target(adm_env_t *env, const char *placement, const char *endpoint,
                        adm_location_t *to)
{
    memset(to, 0, sizeof *to);
    if (tq_placement_parse(placement, &to->placement) != TQ_OK) {
        fprintf(env->err,
                "tenantq-admin: error: --to %s: unknown placement (collection, shared, "
                "dedicated or tiered)\n",
                placement);
        return ADM_EXIT_FAIL;
    }
    const char *ep = endpoint ? endpoint : TQ_DEFAULT_ENDPOINT;
    if (tq_admin_endpoint_index(env->client, ep) == (size_t)-1) {
        fprintf(env->err, "tenantq-admin: error: --endpoint %s: the registry names no such "
                          "endpoint\n", ep);
        return ADM_EXIT_FAIL;
    }
    int is_default = strcmp(ep, TQ_DEFAULT_ENDPOINT) == 0;
    if (to->placement == TQ_PLACEMENT_DEDICATED && is_default) {
        fprintf(env->err, "tenantq-admin: error: --to dedicated needs --endpoint NAME, an "
                          "endpoint other than \"default\"\n");
        return ADM_EXIT_FAIL;
    }
    if (to->placement != TQ_PLACEMENT_DEDICATED && !is_default) {
        fprintf(env->err, "tenantq-admin: error: --endpoint %s: only the dedicated placement "
                          "uses an endpoint other than \"default\"\n", ep);
        return ADM_EXIT_FAIL;
    }
    snprintf(to->endpoint, sizeof to->endpoint, "%s", ep);
    return ADM_EXIT_OK;
}

/* Whether a tiered tenant already has its own shard key in every schema collection's
 * tiered collection (then `migrate --to tiered` has nothing to do), into *out. */
static tq_status_t promoted_everywhere(adm_env_t *env, const adm_location_t *at,
                                       const char *tenant, int *out, tq_detail_t *detail)
{
    side_t s;
    memset(&s, 0, sizeof s);
    *out = 1;
    tq_status_t st = adm_side_open(&s, env->registry, tenant, at, detail);
    for (size_t c = 0; st == TQ_OK && *out && c < env->collection_count; c++) {
        place_t p;
        st = adm_place_of(&s, &env->collections[c], &p, detail);
        if (st == TQ_OK)
            st = adm_place_owned(&s, &p, out, detail);
    }
    adm_side_close(&s);
    return st;
}

/* Refuses a target that already holds any of the tenant's points. */
static tq_status_t check_target_empty(migration_t *m, tq_detail_t *detail)
{
    for (size_t c = 0; c < m->env->collection_count; c++) {
        uint64_t n = 0;
        if (m->same[c])
            continue;
        tq_status_t st = adm_tenant_points(&m->dst, &m->dst_places[c], &n, detail);
        if (st != TQ_OK)
            return st;
        if (n)
            return tq_fail(detail, TQ_ECONFLICT, 0,
                           "the target %s on endpoint \"%s\" already holds %llu points; "
                           "nothing was changed (see `audit`, or `offboard` what is there)",
                           m->dst_places[c].route.collection,
                           m->dst_places[c].route.endpoint_name, (unsigned long long)n);
    }
    return TQ_OK;
}

/* After a failed verification (the application wrote to the source during the copy,
 * or the target lost points): deletes the target copy and journals "begun", so the
 * next run copies afresh. Returns TQ_EVERIFY with the difference found. */
static tq_status_t discard_copy(migration_t *m, tq_detail_t *detail)
{
    tq_detail_t why = *detail, d;
    tq_status_t st = m->promote ? unpromote(m, &d) : erase_side(m, &m->dst, m->dst_places, &d);
    if (st == TQ_OK) {
        m->j.points = 0;
        m->j.copy_collection[0] = '\0';
        m->j.copy_offset[0] = '\0';
        st = save(m, ADM_STEP_BEGUN, &d);
    }
    if (st != TQ_OK) {
        *detail = d;
        return st;
    }
    return tq_fail(detail, TQ_EVERIFY, 0,
                   "%.300s; the target copy is discarded: run migrate again to copy afresh "
                   "(writes to the tenant during a migration cause this)",
                   why.message);
}

/* Runs the steps from the journal's one to the end. */
static tq_status_t run_steps(migration_t *m, tq_detail_t *detail)
{
    tq_status_t st = TQ_OK;
    while (st == TQ_OK && m->j.step != ADM_STEP_DONE) {
        switch (m->j.step) {
        case ADM_STEP_BEGUN:
            st = step_prepare(m, detail);
            if (st == TQ_OK)
                st = save(m, ADM_STEP_PREPARED, detail);
            break;
        case ADM_STEP_PREPARED:
            st = step_copy(m, detail);
            if (st == TQ_OK)
                st = save(m, ADM_STEP_COPIED, detail);
            break;
        case ADM_STEP_COPIED:
            st = step_verify(m, detail);
            if (st == TQ_OK)
                st = save(m, ADM_STEP_VERIFIED, detail);
            else if (st == TQ_EVERIFY)
                st = discard_copy(m, detail);
            break;
        case ADM_STEP_VERIFIED:
            /* A promotion changes no registry value: the selector already names the
             * tenant's shard key, which is live since replicate_points finished. */
            if (m->promote)
                memcpy(m->j.registry_after, m->j.registry_before, sizeof m->j.registry_after);
            else
                st = step_switch(m, detail);
            if (st == TQ_OK)
                st = save(m, ADM_STEP_SWITCHED, detail);
            break;
        case ADM_STEP_SWITCHED:
            /* Applications that load the registry before the switch still read the
             * source until they reload; the grace period lets them. */
            if (m->grace_ms > 0) {
                struct timespec ts = {m->grace_ms / 1000, (m->grace_ms % 1000) * 1000000L};
                nanosleep(&ts, NULL);
            }
            st = erase_side(m, &m->src, m->src_places, detail);
            if (st == TQ_OK)
                st = save(m, ADM_STEP_DELETED, detail);
            break;
        case ADM_STEP_DELETED:
            st = verify_empty(m, &m->src, m->src_places, detail);
            if (st == TQ_OK)
                m->j.step = ADM_STEP_DONE;
            break;
        default:
            st = tq_fail(detail, TQ_EINVAL, 0, "bad journal step");
        }
    }
    if (st == TQ_OK)
        st = adm_file_remove(m->journal_path, detail);
    return st;
}

/* Reconciles a journal with the registry file as it is now. */
static tq_status_t check_registry(migration_t *m, tq_detail_t *detail)
{
    char now[ADM_SHA256_HEX_LEN + 1];
    tq_status_t st = adm_registry_sha(m->env->registry_path, now, detail);
    if (st != TQ_OK)
        return st;
    if (m->j.step < ADM_STEP_SWITCHED && strcmp(now, m->j.registry_before) == 0)
        return TQ_OK;
    if (m->j.registry_after[0] && strcmp(now, m->j.registry_after) == 0) {
        if (m->j.step < ADM_STEP_SWITCHED) /* the crash fell between rename and journal */
            m->j.step = ADM_STEP_SWITCHED;
        return TQ_OK;
    }
    return tq_fail(detail, TQ_ECONFLICT, 0,
                   "%s changed since the migration of \"%s\" began (journal %s, step \"%s\"); "
                   "nothing was touched: restore the registry or resolve by hand",
                   m->env->registry_path, m->j.tenant, m->journal_path,
                   adm_step_name(m->j.step));
}

static int lock_registry(adm_env_t *env)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.lock", env->registry_path);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(env->err, "tenantq-admin: error: %s: %s\n", path,
                fd < 0 ? strerror(errno) : "another tenantq-admin holds the migration lock");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd; /* held until the process ends */
}

int adm_cmd_migrate(adm_env_t *env, int argc, char **argv)
{
    const char *tenant = NULL, *placement = NULL, *endpoint = NULL;
    int abort_it = 0;
    migration_t m;
    memset(&m, 0, sizeof m);
    m.env = env;
    m.batch = MIGRATE_BATCH_DEFAULT;
    for (int i = 0; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            placement = argv[++i];
        } else if (strcmp(argv[i], "--endpoint") == 0 && i + 1 < argc) {
            endpoint = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || v == 0 || v > MIGRATE_BATCH_MAX)
                goto usage;
            m.batch = v;
        } else if (strcmp(argv[i], "--grace-ms") == 0 && i + 1 < argc) {
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 3600000)
                goto usage;
            m.grace_ms = v;
        } else if (strcmp(argv[i], "--abort") == 0) {
            abort_it = 1;
        } else if (argv[i][0] != '-' && !tenant) {
            tenant = argv[i];
        } else {
            goto usage;
        }
    }
    if (!tenant || (abort_it && placement))
        goto usage;
    tenant_ctx_t *probe_ctx = adm_tenant(env, tenant);
    if (!probe_ctx)
        return ADM_EXIT_FAIL;
    tq_ctx_free(probe_ctx);
    if (lock_registry(env) < 0)
        return ADM_EXIT_FAIL;
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    int present = 0, rc = ADM_EXIT_FAIL;
    tq_status_t st = TQ_OK;
    if (adm_journal_path(env->registry_path, m.journal_path, sizeof m.journal_path) != 0) {
        fprintf(env->err, "tenantq-admin: error: registry path too long\n");
        return ADM_EXIT_FAIL;
    }
    st = adm_journal_load(m.journal_path, &m.j, &present, &d);
    if (st != TQ_OK) {
        adm_fail(env, "reading the migration journal", st, &d);
        return ADM_EXIT_FAIL;
    }
    adm_location_t to;
    if (placement && parse_target(env, placement, endpoint, &to) != ADM_EXIT_OK)
        return ADM_EXIT_FAIL;
    if (present && strcmp(m.j.tenant, tenant) != 0) {
        fprintf(env->err, "tenantq-admin: error: the migration of tenant \"%s\" is unfinished "
                          "(%s); run `migrate %s` (or `migrate %s --abort`) first\n",
                m.j.tenant, m.journal_path, m.j.tenant, m.j.tenant);
        return ADM_EXIT_FAIL;
    }
    if (present && placement && !same_location(&to, &m.j.to)) {
        fprintf(env->err, "tenantq-admin: error: an unfinished migration of \"%s\" to %s "
                          "(endpoint \"%s\") is journaled in %s; finish it with `migrate %s`"
                          " or roll it back with `migrate %s --abort`\n",
                tenant, adm_location_placement(&m.j.to), m.j.to.endpoint, m.journal_path,
                tenant, tenant);
        return ADM_EXIT_FAIL;
    }
    if (!present && (abort_it || !placement)) {
        if (abort_it)
            fprintf(env->err, "tenantq-admin: error: no migration of \"%s\" to abort\n",
                    tenant);
        else
            fprintf(env->err, "tenantq-admin: usage: migrate TENANT --to PLACEMENT "
                              "[--endpoint NAME]\n");
        return abort_it ? ADM_EXIT_FAIL : ADM_EXIT_USAGE;
    }
    if (!present) {
        adm_location_t from;
        adm_current_location(env, tenant, &from);
        int promoted = 1;
        if (same_location(&from, &to) && to.placement == TQ_PLACEMENT_TIERED) {
            st = promoted_everywhere(env, &to, tenant, &promoted, &d);
            if (st != TQ_OK) {
                adm_fail(env, "migrate", st, &d);
                return ADM_EXIT_FAIL;
            }
        }
        if (same_location(&from, &to) && promoted) {
            fprintf(env->out, "migrate %s: already in the %s placement; nothing to do\n",
                    tenant, placement);
            return ADM_EXIT_OK;
        }
        snprintf(m.j.tenant, sizeof m.j.tenant, "%s", tenant);
        m.j.from = from;
        m.j.to = to;
        m.promote = from.placement == TQ_PLACEMENT_TIERED && to.placement == TQ_PLACEMENT_TIERED;
        adm_now_rfc3339(m.j.started);
        st = adm_registry_sha(env->registry_path, m.j.registry_before, &d);
        if (st == TQ_OK)
            st = open_sides(&m, &d);
        if (st == TQ_OK)
            st = check_target_empty(&m, &d);
        if (st == TQ_OK)
            st = save(&m, ADM_STEP_BEGUN, &d);
    } else {
        fprintf(env->err, "migrate %s: resuming after step \"%s\" (journal %s)\n", tenant,
                adm_step_name(m.j.step), m.journal_path);
        m.promote = m.j.from.placement == TQ_PLACEMENT_TIERED &&
                    m.j.to.placement == TQ_PLACEMENT_TIERED;
        st = check_registry(&m, &d);
        if (st == TQ_OK)
            st = open_sides(&m, &d);
    }
    if (st == TQ_OK && abort_it) {
        if (m.j.step >= ADM_STEP_SWITCHED) {
            st = tq_fail(&d, TQ_ECONFLICT, 0,
                         "the registry already names the target; finish with `migrate %s`, "
                         "then migrate back",
                         tenant);
        } else {
            st = m.promote ? unpromote(&m, &d) : erase_side(&m, &m.dst, m.dst_places, &d);
            if (st == TQ_OK)
                st = verify_empty(&m, &m.dst, m.dst_places, &d);
            if (st == TQ_OK)
                st = adm_file_remove(m.journal_path, &d);
            if (st == TQ_OK)
                fprintf(env->out, "migrate %s: aborted; the target copy is deleted and the "
                                  "tenant stays in %s\n",
                        tenant, adm_location_placement(&m.j.from));
        }
    } else if (st == TQ_OK) {
        st = run_steps(&m, &d);
        if (st == TQ_OK && m.promote)
            fprintf(env->out,
                    "promoted %s: %llu points replicated into its own shard key of the tiered "
                    "collections and verified; removed from shard key \"%s\" and verified "
                    "empty there\n",
                    tenant, (unsigned long long)m.j.points, TQ_TIERED_FALLBACK);
        else if (st == TQ_OK)
            fprintf(env->out,
                    "migrated %s: %s -> %s (endpoint \"%s\"): %llu points copied and verified; "
                    "registry switched; source deleted and verified empty\n",
                    tenant, adm_location_placement(&m.j.from), adm_location_placement(&m.j.to),
                    m.j.to.endpoint, (unsigned long long)m.j.points);
    }
    if (st == TQ_OK) {
        rc = ADM_EXIT_OK;
    } else {
        adm_fail(env, "migrate", st, &d);
        int still = 0;
        adm_journal_t j;
        if (adm_journal_load(m.journal_path, &j, &still, NULL) == TQ_OK && still)
            fprintf(env->err, "tenantq-admin: the journal %s keeps step \"%s\"; run the same "
                              "command again to resume, or `migrate %s --abort` before the "
                              "switch\n",
                    m.journal_path, adm_step_name(j.step), tenant);
    }
    migration_close(&m);
    return rc;
usage:
    fprintf(env->err, "tenantq-admin: usage: migrate TENANT --to "
                      "collection|shared|dedicated|tiered [--endpoint NAME] [--batch N] "
                      "[--grace-ms MS] | migrate TENANT [--abort]\n");
    return ADM_EXIT_USAGE;
}
