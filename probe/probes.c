/* probes.c: every adversarial probe kind, planned deterministically and run on the
 * configured number of threads.
 *
 * Each probe calls the generated client as one tenant with another tenant's data
 * (vectors, payload values, keys), or with the other scope value of its own, and hands
 * every returned point to the leak judge. Where a probe expects a definite answer
 * (counts, the caller's own keys, the victim's data after a foreign delete) a mismatch
 * is a failed check. This file must never build a request itself or decide ownership
 * from anything the server returned other than the key, which the judge checks
 * against the probe's own ground truth. */
#include "probes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "recall.h"
#include "threads.h"

/* How far "near" moves the victim's vector: cosine stays above NEAR_MIN_COSINE. */
#define NEAR_NOISE 0.1
#define NEAR_MIN_COSINE 0.99
/* Foreign keys tried by get and delete probes, own keys mixed into a get. */
#define FOREIGN_KEYS 8
#define OWN_KEYS 4
#define SCROLL_PAGE 128

probe_plan_t probes_plan(const probe_corpus_t *corpus, size_t i, size_t *pair_index,
                         size_t *tenant_index)
{
    return probes_plan_kinds(corpus, PROBE_KINDS_ALL, i, pair_index, tenant_index);
}

probe_plan_t probes_plan_kinds(const probe_corpus_t *corpus, unsigned kinds, size_t i,
                               size_t *pair_index, size_t *tenant_index)
{
    probe_plan_t plan;
    size_t n = corpus->tenants;
    probe_kind_t list[PK_COUNT];
    size_t listed = probe_kinds_list(kinds, list);
    plan.kind = listed ? list[i % listed] : PK_COUNT;
    plan.point = (size_t)(corpus_mix(corpus->seed ^ (0x51ed2701ULL + i)) % corpus->vectors);
    if (probe_kind_is_pair(plan.kind) && n > 1) {
        /* p -> (p mod n, p mod n + 1 + p div n): every ordered pair once per n(n-1). */
        size_t p = (*pair_index)++ % (n * (n - 1));
        plan.attacker = p % n;
        plan.victim = (plan.attacker + 1 + p / n) % n;
    } else {
        plan.attacker = (*tenant_index)++ % n;
        plan.victim = plan.attacker;
    }
    return plan;
}

/* ---- timed calls: each records its latency for the calling tenant ---------------- */

static void record(probe_run_t *run, size_t caller, probe_op_t op, double started)
{
    double ms = now_ms() - started;
    samples_add(&run->op_latency[op], ms);
    if (op != POP_DELETE)
        samples_add(&run->tenants[caller].latency, ms);
}

static tq_status_t do_search(probe_run_t *run, size_t caller, size_t bot, const float *vector,
                             const probe_filter_t *filter, probe_hits_t *out,
                             tq_detail_t *detail)
{
    double t0 = now_ms();
    tq_status_t st = run->api->search(run->tenants[caller].ctx, run_scopes(run, bot), vector,
                                      filter, run->opt->k, out, detail);
    record(run, caller, POP_SEARCH, t0);
    return st;
}

static tq_status_t do_get(probe_run_t *run, size_t caller, size_t bot, const char *const *keys,
                          size_t count, probe_hits_t *out, tq_detail_t *detail)
{
    double t0 = now_ms();
    tq_status_t st = run->api->get(run->tenants[caller].ctx, run_scopes(run, bot), keys, count,
                                   out, detail);
    record(run, caller, POP_GET, t0);
    return st;
}

static tq_status_t do_count(probe_run_t *run, size_t caller, size_t bot,
                            const probe_filter_t *filter, uint64_t *out, tq_detail_t *detail)
{
    double t0 = now_ms();
    tq_status_t st =
        run->api->count(run->tenants[caller].ctx, run_scopes(run, bot), filter, out, detail);
    record(run, caller, POP_COUNT, t0);
    return st;
}

static tq_status_t do_scroll(probe_run_t *run, size_t caller, size_t bot,
                             const probe_filter_t *filter, const char *cursor,
                             probe_hits_t *out, tq_detail_t *detail)
{
    double t0 = now_ms();
    tq_status_t st = run->api->scroll(run->tenants[caller].ctx, run_scopes(run, bot), filter,
                                      SCROLL_PAGE, cursor, out, detail);
    record(run, caller, POP_SCROLL, t0);
    return st;
}

static tq_status_t do_delete(probe_run_t *run, size_t caller, size_t bot,
                             const char *const *keys, size_t count, tq_detail_t *detail)
{
    double t0 = now_ms();
    tq_status_t st =
        run->api->del(run->tenants[caller].ctx, run_scopes(run, bot), keys, count, detail);
    record(run, caller, POP_DELETE, t0);
    return st;
}

/* text_search (POP_TEXT), hybrid (POP_HYBRID) or search_groups (POP_GROUPS) with
 * the run's k. */
static tq_status_t do_retrieve(probe_run_t *run, size_t caller, size_t bot, probe_op_t op,
                               const float *vector, const char *text, probe_hits_t *out,
                               tq_detail_t *detail)
{
    const tenant_ctx_t *ctx = run->tenants[caller].ctx;
    tq_probe_scopes_t scope = run_scopes(run, bot);
    uint32_t k = run->opt->k;
    double t0 = now_ms();
    tq_status_t st = op == POP_TEXT     ? run->api->text_search(ctx, scope, text, k, out, detail)
                     : op == POP_HYBRID ? run->api->hybrid(ctx, scope, vector, text, k, out, detail)
                                        : run->api->groups(ctx, scope, vector, text, k, out, detail);
    record(run, caller, op, t0);
    return st;
}

/* ---- checked building blocks ------------------------------------------------------- */

/* Searches as `caller`, judges every hit and, when `recall_topic` >= -1, records
 * recall@k (topic -1: the whole scope). Returns 1 when `must_contain` (may be NULL)
 * was among the hits, else 0; -1 when the call failed (recorded). */
static int checked_search(probe_run_t *run, probe_kind_t kind, size_t caller, size_t bot,
                          const float *query, const probe_filter_t *filter, long recall_topic,
                          int want_recall, const char *must_contain, size_t *hit_count)
{
    probe_hits_t hits;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_search(run, caller, bot, query, filter, &hits, &detail);
    if (st != TQ_OK) {
        judge_status(run, caller, kind, "search", st, &detail);
        return -1;
    }
    judge_hits(run, caller, bot, kind, &hits);
    if (want_recall)
        recall_check(run, caller, bot, query, recall_topic, &hits, run->opt->k);
    int found = 0;
    for (size_t i = 0; must_contain && i < hits.count; i++)
        found |= strcmp(hits.keys[i], must_contain) == 0;
    if (hit_count)
        *hit_count = hits.count;
    probe_hits_free(&hits);
    return found;
}

/* Counts as `caller` and compares with `expected`. */
static void checked_count(probe_run_t *run, probe_kind_t kind, size_t caller, size_t bot,
                          const probe_filter_t *filter, uint64_t expected, const char *what)
{
    uint64_t got = 0;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_count(run, caller, bot, filter, &got, &detail);
    if (st != TQ_OK) {
        judge_status(run, caller, kind, "count", st, &detail);
        return;
    }
    if (got != expected)
        judge_fail(run, caller, kind, "", "count %s: got %llu, the caller owns %llu", what,
                   (unsigned long long)got, (unsigned long long)expected);
}

/* Gets `keys` as `caller`; judges the hits and checks that exactly the `own` keys the
 * caller owns were returned. */
static void checked_get(probe_run_t *run, probe_kind_t kind, size_t caller, size_t bot,
                        const char *const *keys, size_t count, size_t own)
{
    probe_hits_t hits;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_get(run, caller, bot, keys, count, &hits, &detail);
    if (st != TQ_OK) {
        judge_status(run, caller, kind, "get", st, &detail);
        return;
    }
    size_t leaks = judge_hits(run, caller, bot, kind, &hits);
    if (hits.count - leaks != own)
        judge_fail(run, caller, kind, "", "get returned %zu of the caller's %zu own keys",
                   hits.count - leaks, own);
    probe_hits_free(&hits);
}

/* Runs one retrieval as `caller` and judges every hit; grouped answers must also hold
 * at most one hit per source document. Returns the number of hits, or -1 when the call
 * failed (recorded). */
static long checked_retrieve(probe_run_t *run, probe_kind_t kind, size_t caller, size_t bot,
                             probe_op_t op, const float *vector, const char *text)
{
    probe_hits_t hits;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_retrieve(run, caller, bot, op, vector, text, &hits, &detail);
    if (st != TQ_OK) {
        judge_status(run, caller, kind, probe_op_name(op), st, &detail);
        return -1;
    }
    judge_hits(run, caller, bot, kind, &hits);
    for (size_t i = 0; op == POP_GROUPS && i < hits.count; i++) {
        size_t ti, pi, tj, pj;
        for (size_t j = i + 1; j < hits.count; j++) {
            if (corpus_key_owner(run->corpus, hits.keys[i], &ti, &pi) &&
                corpus_key_owner(run->corpus, hits.keys[j], &tj, &pj) && ti == tj &&
                pi / PROBE_CHUNKS_PER_SOURCE == pj / PROBE_CHUNKS_PER_SOURCE)
                judge_fail(run, caller, kind, hits.keys[j],
                           "grouped search returned two hits of one source document");
        }
    }
    long n = (long)hits.count;
    probe_hits_free(&hits);
    return n;
}

/* How many of `tenant`'s points in `bot` have topic `topic`. */
static uint64_t truth_topic(const probe_corpus_t *c, size_t tenant, size_t bot, size_t topic)
{
    uint64_t n = 0;
    for (size_t i = bot; i < c->vectors; i += PROBE_BOTS)
        n += corpus_point_topic(c, tenant, i) == topic;
    return n;
}

/* How many points in `bot` belong to source document `source_index` (the same for
 * every tenant: sources group consecutive points). */
static uint64_t truth_source(const probe_corpus_t *c, size_t bot, size_t source_index)
{
    uint64_t n = 0;
    size_t first = source_index * PROBE_CHUNKS_PER_SOURCE;
    for (size_t i = first; i < first + PROBE_CHUNKS_PER_SOURCE && i < c->vectors; i++)
        n += corpus_point_bot(i) == bot;
    return n;
}

/* Keys of up to `want` points of `tenant` in the scope of point `start`, walking from
 * it. Writes into `storage` and points `keys` at it; returns how many. */
static size_t scope_keys(const probe_corpus_t *c, size_t tenant, size_t start, size_t want,
                         char storage[][PROBE_KEY_MAX], const char **keys)
{
    size_t n = 0;
    for (size_t i = start; i < c->vectors && n < want; i += PROBE_BOTS) {
        corpus_point_key(c, tenant, i, storage[n]);
        keys[n] = storage[n];
        n++;
    }
    for (size_t i = start % PROBE_BOTS; i < start && n < want; i += PROBE_BOTS) {
        corpus_point_key(c, tenant, i, storage[n]);
        keys[n] = storage[n];
        n++;
    }
    return n;
}

/* ---- the probe kinds ---------------------------------------------------------------- */

/* exact_vector, near_vector, topic_centroid: the attacker searches with the victim's
 * data; for the first two the victim's own search must find the targeted point, so
 * the attack had something to find. */
static void probe_vector(probe_run_t *run, const probe_plan_t *p, float *victim_v, float *query)
{
    const probe_corpus_t *c = run->corpus;
    size_t bot = corpus_point_bot(p->point);
    corpus_point_vector(c, p->victim, p->point, victim_v);
    if (p->kind == PK_EXACT) {
        memcpy(query, victim_v, c->dim * sizeof *query);
    } else if (p->kind == PK_NEAR) {
        double cos = corpus_perturb(c, victim_v, NEAR_NOISE, p->point * 131u + p->victim, query);
        if (cos <= NEAR_MIN_COSINE)
            judge_fail(run, p->attacker, p->kind, "", "near probe vector has cosine %.4f", cos);
    } else {
        size_t topic = corpus_point_topic(c, p->victim, p->point);
        memcpy(query, c->centroids + topic * c->dim, c->dim * sizeof *query);
    }
    checked_search(run, p->kind, p->attacker, bot, query, NULL, -1, 1, NULL, NULL);
    if (p->kind != PK_CENTROID) {
        char key[PROBE_KEY_MAX];
        corpus_point_key(c, p->victim, p->point, key);
        if (checked_search(run, p->kind, p->victim, bot, query, NULL, -1, 0, key, NULL) == 0)
            judge_fail(run, p->victim, p->kind, key,
                       "the victim's own search did not find its targeted point");
    }
}

/* payload_filter's scroll with the victim's source: nothing of the caller's may come back
 * (and nothing foreign, which the judge counts). */
static void filter_scroll(probe_run_t *run, const probe_plan_t *p, size_t bot,
                          const probe_filter_t *f)
{
    probe_hits_t hits;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_scroll(run, p->attacker, bot, f, NULL, &hits, &detail);
    if (st != TQ_OK) {
        judge_status(run, p->attacker, p->kind, "scroll", st, &detail);
        return;
    }
    size_t leaks = judge_hits(run, p->attacker, bot, p->kind, &hits);
    if (hits.count > leaks)
        judge_fail(run, p->attacker, p->kind, hits.keys[0],
                   "scroll with the victim's source id returned the caller's points");
    probe_hits_free(&hits);
}

/* payload_filter: typed filter values copied from the victim's point, on every kind of
 * filterable field the collection has (all of them for the built-in client). */
static void probe_filter(probe_run_t *run, const probe_plan_t *p, float *victim_v)
{
    const probe_corpus_t *c = run->corpus;
    unsigned filters = run->api ? run->api->filters
                                : TQ_PROBE_FILTERS_SOURCE | TQ_PROBE_FILTERS_SOURCE_ANY |
                                      TQ_PROBE_FILTERS_TOPIC;
    size_t bot = corpus_point_bot(p->point);
    char victim_source[PROBE_SOURCE_MAX], own_source[PROBE_SOURCE_MAX], victim_term[32];
    corpus_point_vector(c, p->victim, p->point, victim_v);
    corpus_point_source(c, p->victim, p->point, victim_source);
    corpus_point_source(c, p->attacker, p->point, own_source);
    corpus_tenant_term(p->victim, p->point % 8, victim_term);

    probe_filter_t f;
    if (filters & TQ_PROBE_FILTERS_SOURCE) {
        memset(&f, 0, sizeof f);
        f.source = victim_source;
        f.text = victim_term;
        size_t got = 0;
        checked_search(run, p->kind, p->attacker, bot, victim_v, &f, -1, 0, NULL, &got);
        if (got != 0)
            judge_fail(run, p->attacker, p->kind, "",
                       "search with the victim's source id returned %zu points", got);
        checked_count(run, p->kind, p->attacker, bot, &f, 0, "with the victim's source id");

        /* A collection whose ops have no scroll is filtered through search and count. */
        if (!run->api || run->api->scroll)
            filter_scroll(run, p, bot, &f);
    }

    if (filters & TQ_PROBE_FILTERS_TOPIC) {
        size_t victim_topic = corpus_point_topic(c, p->victim, p->point);
        int64_t topic = (int64_t)victim_topic;
        double topic_real = (double)victim_topic;
        int topic_flag = (int)(victim_topic & 1u);
        memset(&f, 0, sizeof f);
        f.topic = &topic;
        f.topic_real = &topic_real;
        f.topic_flag = &topic_flag;
        f.topic_datetime = corpus_topic_datetime(victim_topic);
        f.topic_uuid = corpus_topic_uuid(victim_topic);
        checked_search(run, p->kind, p->attacker, bot, victim_v, &f, (long)topic, 1, NULL, NULL);
        checked_count(run, p->kind, p->attacker, bot, &f,
                      truth_topic(c, p->attacker, bot, victim_topic), "with the victim's topic");
    }

    if (filters & TQ_PROBE_FILTERS_SOURCE_ANY) {
        const char *any[2] = {victim_source, own_source};
        memset(&f, 0, sizeof f);
        f.source_any = any;
        f.source_any_count = 2;
        checked_count(run, p->kind, p->attacker, bot, &f,
                      truth_source(c, bot, p->point / PROBE_CHUNKS_PER_SOURCE),
                      "with any of the victim's and the caller's source ids");
    }
}

/* get_by_key: the victim's keys mixed with a few of the caller's own. */
static void probe_get(probe_run_t *run, const probe_plan_t *p)
{
    const probe_corpus_t *c = run->corpus;
    size_t bot = corpus_point_bot(p->point);
    char storage[FOREIGN_KEYS + OWN_KEYS][PROBE_KEY_MAX];
    const char *keys[FOREIGN_KEYS + OWN_KEYS];
    size_t n = scope_keys(c, p->victim, p->point, FOREIGN_KEYS, storage, keys);
    size_t own = scope_keys(c, p->attacker, p->point, OWN_KEYS, storage + n, keys + n);
    checked_get(run, p->kind, p->attacker, bot, keys, n, 0);
    checked_get(run, p->kind, p->attacker, bot, keys, n + own, own);
}

/* delete_by_key: the attacker deletes the victim's keys; the victim keeps every point. */
static void probe_delete(probe_run_t *run, const probe_plan_t *p)
{
    const probe_corpus_t *c = run->corpus;
    size_t bot = corpus_point_bot(p->point);
    char storage[FOREIGN_KEYS][PROBE_KEY_MAX];
    const char *keys[FOREIGN_KEYS];
    size_t n = scope_keys(c, p->victim, p->point, FOREIGN_KEYS, storage, keys);
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    tq_status_t st = do_delete(run, p->attacker, bot, keys, n, &detail);
    if (st != TQ_OK)
        judge_status(run, p->attacker, p->kind, "delete", st, &detail);
    checked_count(run, p->kind, p->victim, bot, NULL, corpus_bot_count(c, bot),
                  "of the victim after a foreign delete");
    checked_get(run, p->kind, p->victim, bot, keys, n, n);
    checked_count(run, p->kind, p->attacker, bot, NULL, corpus_bot_count(c, bot),
                  "of the attacker after its delete");
}

/* count_scroll: count, then scroll every page; exactly the caller's points appear. */
static void probe_count_scroll(probe_run_t *run, const probe_plan_t *p)
{
    const probe_corpus_t *c = run->corpus;
    size_t bot = corpus_point_bot(p->point);
    size_t t = p->attacker;
    checked_count(run, p->kind, t, bot, NULL, corpus_bot_count(c, bot), "of the scope");
    unsigned char *seen = calloc(c->vectors, 1);
    if (!seen) {
        judge_fail(run, t, p->kind, "", "out of memory");
        return;
    }
    char cursor[sizeof ((probe_hits_t *)0)->next_cursor] = "";
    size_t total = 0, pages = 0, max_pages = c->vectors / SCROLL_PAGE + 2;
    for (;;) {
        probe_hits_t hits;
        tq_detail_t detail;
        memset(&detail, 0, sizeof detail);
        tq_status_t st = do_scroll(run, t, bot, NULL, cursor, &hits, &detail);
        if (st != TQ_OK) {
            judge_status(run, t, p->kind, "scroll", st, &detail);
            break;
        }
        judge_hits(run, t, bot, p->kind, &hits);
        for (size_t i = 0; i < hits.count; i++) {
            size_t owner = 0, index = 0;
            if (!judge_owned(run, t, bot, hits.keys[i]) ||
                !corpus_key_owner(c, hits.keys[i], &owner, &index))
                continue;
            if (seen[index])
                judge_fail(run, t, p->kind, hits.keys[i], "scroll returned a point twice");
            seen[index] = 1;
            total++;
        }
        memcpy(cursor, hits.next_cursor, sizeof cursor);
        probe_hits_free(&hits);
        if (!cursor[0])
            break;
        if (++pages > max_pages) {
            judge_fail(run, t, p->kind, "", "scroll did not end after %zu pages", pages);
            break;
        }
    }
    if (total != corpus_bot_count(c, bot))
        judge_fail(run, t, p->kind, "", "scroll returned %zu of the caller's %zu points", total,
                   corpus_bot_count(c, bot));
    free(seen);
}

/* client_switch: one client, one query, contexts A, B, A. */
static void probe_switch(probe_run_t *run, const probe_plan_t *p, float *query)
{
    size_t bot = corpus_point_bot(p->point);
    corpus_point_vector(run->corpus, p->attacker, p->point, query);
    const size_t order[3] = {p->attacker, p->victim, p->attacker};
    for (size_t i = 0; i < 3; i++)
        checked_search(run, p->kind, order[i], bot, query, NULL, -1, 1, NULL, NULL);
}

/* other_scope: the tenant's own bot0 data asked for under bot1 (and vice versa). */
static void probe_scope(probe_run_t *run, const probe_plan_t *p, float *query)
{
    const probe_corpus_t *c = run->corpus;
    size_t t = p->attacker;
    size_t other = (corpus_point_bot(p->point) + 1) % PROBE_BOTS;
    corpus_point_vector(c, t, p->point, query);
    checked_search(run, p->kind, t, other, query, NULL, -1, 1, NULL, NULL);
    char storage[FOREIGN_KEYS][PROBE_KEY_MAX];
    const char *keys[FOREIGN_KEYS];
    size_t n = scope_keys(c, t, p->point, FOREIGN_KEYS, storage, keys);
    checked_get(run, p->kind, t, other, keys, n, 0);
    checked_count(run, p->kind, t, other, NULL, corpus_bot_count(c, other), "of the other scope");
}

/* interleaved: C threads (--concurrency), each walking every tenant in its own order,
 * so consecutive calls on the shared client alternate tenants (and, from C = 2, run at
 * the same time). */
typedef struct interleave_arg {
    probe_run_t *run;
    size_t thread;
    size_t threads;
    size_t salt;
} interleave_arg_t;

static void *interleave_thread(void *opaque)
{
    interleave_arg_t *a = opaque;
    const probe_corpus_t *c = a->run->corpus;
    float *query = malloc(c->dim * sizeof *query);
    if (!query) {
        judge_fail(a->run, 0, PK_INTERLEAVED, "", "out of memory");
        return NULL;
    }
    size_t n = c->tenants;
    for (size_t s = 0; s < n; s++) {
        size_t t = (a->thread * (n / a->threads + 1) + s) % n;
        size_t point = (size_t)(corpus_mix(a->salt * 977u + s * 31u + a->thread) % c->vectors);
        corpus_point_vector(c, t, point, query);
        checked_search(a->run, PK_INTERLEAVED, t, corpus_point_bot(point), query, NULL, -1, 1,
                       NULL, NULL);
    }
    free(query);
    return NULL;
}

static void probe_interleaved(probe_run_t *run, const probe_plan_t *p)
{
    size_t threads = run->opt->concurrency ? run->opt->concurrency : 1;
    interleave_arg_t *args = calloc(threads, sizeof *args);
    if (!args) {
        judge_fail(run, p->attacker, p->kind, "", "out of memory");
        return;
    }
    for (size_t i = 0; i < threads; i++)
        args[i] = (interleave_arg_t){run, i, threads, p->point};
    size_t started = threads_run(threads, interleave_thread, args, sizeof *args);
    if (started < threads)
        judge_fail(run, p->attacker, p->kind, "", "started %zu of %zu threads", started,
                   threads);
    free(args);
}

/* sparse_terms, hybrid, grouped: the incident's shape. The attacker's query is made
 * only of terms that exist in the victim's documents and nowhere in its own: BM25
 * must find nothing, and the fused and grouped searches (with the victim's vector too)
 * must return only the attacker's points, which the judge checks. The attacker's own
 * term must find its own points, so the keyword path is shown to work. */
static void probe_keyword(probe_run_t *run, const probe_plan_t *p, float *victim_v)
{
    const probe_corpus_t *c = run->corpus;
    size_t bot = corpus_point_bot(p->point);
    int foreign = p->attacker != p->victim;
    char a[32], b[32], theirs[80];
    corpus_tenant_term(p->victim, p->point % 8, a);
    corpus_tenant_term(p->victim, 8 + p->point % 8, b);
    snprintf(theirs, sizeof theirs, "%s %s", a, b);
    corpus_tenant_term(p->attacker, p->point % 8, a);
    corpus_point_vector(c, p->victim, p->point, victim_v);
    long n;
    switch (p->kind) {
    case PK_SPARSE:
        n = checked_retrieve(run, p->kind, p->attacker, bot, POP_TEXT, NULL, theirs);
        if (foreign && n > 0)
            judge_fail(run, p->attacker, p->kind, "",
                       "text search with only the victim's terms returned %ld points", n);
        if (checked_retrieve(run, p->kind, p->attacker, bot, POP_TEXT, NULL, a) == 0)
            judge_fail(run, p->attacker, p->kind, "", "text search for an own term found nothing");
        break;
    case PK_HYBRID:
        if (checked_retrieve(run, p->kind, p->attacker, bot, POP_HYBRID, victim_v, theirs) == 0)
            judge_fail(run, p->attacker, p->kind, "", "hybrid search found nothing");
        break;
    default:
        n = checked_retrieve(run, p->kind, p->attacker, bot, POP_GROUPS, NULL, theirs);
        if (foreign && n > 0)
            judge_fail(run, p->attacker, p->kind, "",
                       "grouped text search with only the victim's terms returned %ld groups", n);
        if (checked_retrieve(run, p->kind, p->attacker, bot, POP_GROUPS, victim_v, theirs) == 0)
            judge_fail(run, p->attacker, p->kind, "", "grouped hybrid search found nothing");
        break;
    }
}

/* Runs one planned probe with scratch vectors of dim floats. */
static void probe_one(probe_run_t *run, const probe_plan_t *p, float *a, float *b)
{
    double t0 = now_ms();
    switch (p->kind) {
    case PK_EXACT:
    case PK_NEAR:
    case PK_CENTROID:
        probe_vector(run, p, a, b);
        break;
    case PK_FILTER:
        probe_filter(run, p, a);
        break;
    case PK_GET:
        probe_get(run, p);
        break;
    case PK_DELETE:
        probe_delete(run, p);
        break;
    case PK_COUNT_SCROLL:
        probe_count_scroll(run, p);
        break;
    case PK_SWITCH:
        probe_switch(run, p, a);
        break;
    case PK_INTERLEAVED:
        probe_interleaved(run, p);
        break;
    case PK_SCOPE:
        probe_scope(run, p, a);
        break;
    case PK_SPARSE:
    case PK_HYBRID:
    case PK_GROUPED:
        probe_keyword(run, p, a);
        break;
    default:
        return;
    }
    samples_add(&run->kind_latency[p->kind], now_ms() - t0);
    if (probe_kind_is_pair(p->kind))
        judge_cover_pair(run, p->attacker, p->victim);
    judge_probe_done(run, p->kind);
}

/* ---- the worker pool ---------------------------------------------------------------- */

typedef struct pool {
    probe_run_t *run;
    const probe_plan_t *plans;
    size_t count;
    size_t next;
    pthread_mutex_t lock;
} pool_t;

static void *worker(void *opaque)
{
    pool_t *pool = opaque;
    uint32_t dim = pool->run->corpus->dim;
    float *a = malloc(dim * sizeof *a);
    float *b = malloc(dim * sizeof *b);
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t i = pool->next < pool->count ? pool->next++ : pool->count;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->count)
            break;
        if (!a || !b) {
            judge_fail(pool->run, pool->plans[i].attacker, pool->plans[i].kind, "",
                       "out of memory");
            continue;
        }
        probe_one(pool->run, &pool->plans[i], a, b);
    }
    free(a);
    free(b);
    return NULL;
}

int probes_run_all(probe_run_t *run)
{
    size_t count = run->opt->probes;
    pool_t pool = {run, NULL, count, 0, PTHREAD_MUTEX_INITIALIZER};
    probe_plan_t *plans = calloc(count ? count : 1, sizeof *plans);
    if (!plans)
        return -1;
    size_t pair_index = 0, tenant_index = 0;
    for (size_t i = 0; i < count; i++)
        plans[i] = probes_plan_kinds(run->corpus, run->kinds, i, &pair_index, &tenant_index);
    pool.plans = plans;
    size_t threads = run->opt->concurrency ? run->opt->concurrency : 1;
    size_t started = threads_run(threads, worker, &pool, 0);
    pthread_mutex_destroy(&pool.lock);
    free(plans);
    return started > 0 ? 0 : -1;
}
