/* judge_test.c: proves the probe's leak judge detects leaks, from forged results.
 *
 * A probe whose judge silently accepted foreign points would report "zero leaks"
 * against any server; these cases feed the judge cross-tenant, cross-scope and
 * unknown keys and require each to be counted and listed with tenant, probe kind and
 * point. They also check recall against the exact top-k, the pair plan and the
 * corpus the probes rely on (near-duplicates across tenants). No server is involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "judge.h"
#include "probes.h"
#include "recall.h"
#include "run.h"
#include "stats.h"

typedef struct fixture {
    probe_options_t opt;
    probe_corpus_t corpus;
    probe_run_t run;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->opt.tenants = 4;
    f->opt.vectors = 64;
    f->opt.dim = 16;
    f->opt.probes = 0;
    f->opt.k = 5;
    f->opt.min_recall = 0.9;
    f->opt.concurrency = 1;
    if (corpus_init(&f->corpus, 7, f->opt.dim, f->opt.tenants, f->opt.vectors, "t") != 0 ||
        run_init(&f->run, &f->opt, TQ_PLACEMENT_SHARED, NULL, &f->corpus, 0) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    run_free(&f->run);
    corpus_free(&f->corpus);
    free(f);
    return 0;
}

/* Builds a forged result of the given keys (copied). */
static probe_hits_t forged(const char *const *keys, size_t n)
{
    probe_hits_t h;
    memset(&h, 0, sizeof h);
    h.keys = calloc(n ? n : 1, sizeof *h.keys);
    h.scores = calloc(n ? n : 1, sizeof *h.scores);
    assert_non_null(h.keys);
    assert_non_null(h.scores);
    for (size_t i = 0; i < n; i++) {
        h.keys[i] = strdup(keys[i]);
        assert_non_null(h.keys[i]);
    }
    h.count = n;
    return h;
}

static void own_keys_are_not_leaks(void **state)
{
    fixture_t *f = *state;
    char a[PROBE_KEY_MAX], b[PROBE_KEY_MAX];
    corpus_point_key(&f->corpus, 1, 0, a); /* bot0 */
    corpus_point_key(&f->corpus, 1, 2, b); /* bot0 */
    const char *keys[] = {a, b};
    probe_hits_t h = forged(keys, 2);
    assert_int_equal(judge_hits(&f->run, 1, 0, PK_EXACT, &h), 0);
    assert_int_equal(f->run.leaks, 0);
    assert_int_equal(judge_verdict(&f->run), 0);
    probe_hits_free(&h);
}

static void foreign_tenant_point_is_a_leak(void **state)
{
    fixture_t *f = *state;
    char own[PROBE_KEY_MAX], foreign[PROBE_KEY_MAX];
    corpus_point_key(&f->corpus, 1, 0, own);
    corpus_point_key(&f->corpus, 2, 4, foreign); /* tenant t002, same scope */
    const char *keys[] = {own, foreign};
    probe_hits_t h = forged(keys, 2);
    assert_int_equal(judge_hits(&f->run, 1, 0, PK_NEAR, &h), 1);
    assert_int_equal(f->run.leaks, 1);
    assert_int_equal(f->run.tenants[1].leaks, 1);
    assert_int_equal(f->run.failure_count, 1);
    const probe_failure_t *x = &f->run.failures[0];
    assert_true(x->leak);
    assert_string_equal(x->tenant, "t001");
    assert_string_equal(x->kind, "near_vector");
    assert_string_equal(x->point, foreign);
    assert_non_null(strstr(x->message, "owner t002"));
    assert_int_equal(judge_verdict(&f->run), 1);
    probe_hits_free(&h);
}

static void other_scope_point_is_a_leak(void **state)
{
    fixture_t *f = *state;
    char other[PROBE_KEY_MAX];
    corpus_point_key(&f->corpus, 0, 3, other); /* own tenant, bot1 */
    const char *keys[] = {other};
    probe_hits_t h = forged(keys, 1);
    assert_int_equal(judge_hits(&f->run, 0, 0, PK_SCOPE, &h), 1);
    assert_string_equal(f->run.failures[0].kind, "other_scope");
    assert_non_null(strstr(f->run.failures[0].message, "scope bot1"));
    probe_hits_free(&h);
}

static void unknown_and_near_miss_keys_are_leaks(void **state)
{
    fixture_t *f = *state;
    /* Not canonical, out of range, unknown tenant, wrong scope name, empty: none of
     * these is a point tenant t000 stored, so each one returned is a leak. */
    const char *keys[] = {"t000:bot0:02", "t000:bot0:64", "t009:bot0:0", "t000:bot1:0",
                          "t000:bot0:", "", "t000:bot0:2x", "x:y"};
    size_t n = sizeof keys / sizeof keys[0];
    probe_hits_t h = forged(keys, n);
    assert_int_equal(judge_hits(&f->run, 0, 0, PK_GET, &h), n);
    assert_int_equal(f->run.leaks, n);
    probe_hits_free(&h);
}

static void guard_trips_fail_the_verdict(void **state)
{
    fixture_t *f = *state;
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    judge_status(&f->run, 2, PK_FILTER, "search", TQ_ELEAK, &detail);
    assert_int_equal(f->run.eleak_results, 1);
    assert_int_equal(f->run.failed_checks, 0);
    assert_int_equal(f->run.leaks, 0);
    assert_int_equal(judge_verdict(&f->run), 1);
}

static void recall_counts_only_own_true_neighbours(void **state)
{
    fixture_t *f = *state;
    float q[16];
    corpus_point_vector(&f->corpus, 0, 0, q);
    /* The exact top-5 of tenant 0 in bot0, computed independently by brute force. */
    size_t idx[5] = {0};
    double best[5] = {-2, -2, -2, -2, -2};
    float v[16];
    for (size_t i = 0; i < f->corpus.vectors; i += 2) {
        corpus_point_vector(&f->corpus, 0, i, v);
        double s = corpus_cosine(q, v, 16);
        for (size_t j = 0; j < 5; j++) {
            if (s > best[j]) {
                memmove(best + j + 1, best + j, (4 - j) * sizeof *best);
                memmove(idx + j + 1, idx + j, (4 - j) * sizeof *idx);
                best[j] = s;
                idx[j] = i;
                break;
            }
        }
    }
    char storage[5][PROBE_KEY_MAX];
    const char *keys[5];
    for (size_t j = 0; j < 5; j++) {
        corpus_point_key(&f->corpus, 0, idx[j], storage[j]);
        keys[j] = storage[j];
    }
    probe_hits_t exact = forged(keys, 5);
    assert_true(recall_check(&f->run, 0, 0, q, -1, &exact, 5) > 0.999);

    /* The same query answered with a foreign tenant's points: no credit at all. */
    for (size_t j = 0; j < 5; j++)
        corpus_point_key(&f->corpus, 1, idx[j], storage[j]);
    probe_hits_t foreign = forged(keys, 5);
    assert_true(recall_check(&f->run, 0, 0, q, -1, &foreign, 5) < 0.001);

    /* Half the answer missing (what filtering after retrieval does): recall 0.4. */
    probe_hits_t partial = forged((const char *const *)exact.keys, 2);
    double r = recall_check(&f->run, 0, 0, q, -1, &partial, 5);
    assert_true(r > 0.39 && r < 0.41);
    assert_true(judge_tenant_recall(&f->run, 0) < 0.9);
    assert_int_equal(judge_verdict(&f->run), 1);
    probe_hits_free(&exact);
    probe_hits_free(&foreign);
    probe_hits_free(&partial);
}

static void plan_covers_every_ordered_pair(void **state)
{
    (void)state;
    probe_corpus_t c;
    assert_int_equal(corpus_init(&c, 1, 8, 10, 1000, "t"), 0);
    unsigned char seen[10][10];
    memset(seen, 0, sizeof seen);
    size_t pair_index = 0, tenant_index = 0, pairs = 0, counts[PK_COUNT] = {0};
    for (size_t i = 0; i < 20 * PK_COUNT; i++) {
        probe_plan_t p = probes_plan(&c, i, &pair_index, &tenant_index);
        counts[p.kind]++;
        assert_true(p.point < 1000);
        if (probe_kind_is_pair(p.kind)) {
            assert_int_not_equal(p.attacker, p.victim);
            pairs += !seen[p.attacker][p.victim];
            seen[p.attacker][p.victim] = 1;
        } else {
            assert_int_equal(p.attacker, p.victim);
        }
    }
    assert_int_equal(pairs, 90);
    for (size_t k = 0; k < PK_COUNT; k++)
        assert_int_equal(counts[k], 20);
    corpus_free(&c);
}

/* Marks a table as having `get`; the plan tests never call it. */
static tq_status_t get_never_called(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                                    const char *const *keys, size_t count, tq_probe_hits_t *out,
                                    tq_detail_t *detail)
{
    (void)ctx, (void)scopes, (void)keys, (void)count, (void)out, (void)detail;
    return TQ_EINVAL;
}

/* A user's collection without, say, text_search or scroll: the plan cycles through the
 * kinds its operations allow and no other, and still walks every ordered pair. */
static void plan_uses_only_the_allowed_kinds(void **state)
{
    (void)state;
    probe_corpus_t c;
    assert_int_equal(corpus_init(&c, 1, 8, 4, 100, "t"), 0);
    static const char *const scopes[] = {"workspace", "channel"};
    probe_api_t api;
    memset(&api, 0, sizeof api);
    api.scope_count = 2;
    api.scope_names = scopes;
    api.get = get_never_called;
    unsigned kinds = probe_kinds_supported(&api);
    assert_int_equal(kinds, 1u << PK_GET);
    assert_int_equal(probe_kinds_supported(NULL), PROBE_KINDS_ALL);
    unsigned char seen[4][4];
    memset(seen, 0, sizeof seen);
    size_t pair_index = 0, tenant_index = 0, pairs = 0;
    for (size_t i = 0; i < 12; i++) {
        probe_plan_t p = probes_plan_kinds(&c, kinds, i, &pair_index, &tenant_index);
        assert_int_equal(p.kind, PK_GET);
        pairs += !seen[p.attacker][p.victim];
        seen[p.attacker][p.victim] = 1;
    }
    assert_int_equal(pairs, 12);
    corpus_free(&c);
}

/* In a collection with two scopes, the varied scope takes bot0/bot1 and the other the
 * fixed value, per bot. */
static void scopes_vary_one_axis(void **state)
{
    fixture_t *f = *state;
    static const char *const names[] = {"workspace", "channel"};
    probe_api_t api;
    memset(&api, 0, sizeof api);
    api.scope_count = 2;
    api.scope_names = names;
    probe_run_t run;
    assert_int_equal(run_init(&run, &f->opt, TQ_PLACEMENT_SHARED, &api, &f->corpus, 1), 0);
    assert_string_equal(run_scopes(&run, 0)[0], PROBE_FIXED_SCOPE);
    assert_string_equal(run_scopes(&run, 0)[1], "bot0");
    assert_string_equal(run_scopes(&run, 1)[0], PROBE_FIXED_SCOPE);
    assert_string_equal(run_scopes(&run, 1)[1], "bot1");
    run_free(&run);
}

static void corpus_is_deterministic_with_cross_tenant_neighbours(void **state)
{
    (void)state;
    probe_corpus_t a, b;
    assert_int_equal(corpus_init(&a, 42, 384, 3, 200, "t"), 0);
    assert_int_equal(corpus_init(&b, 42, 384, 3, 200, "t"), 0);
    float x[384], y[384], near[384];
    corpus_point_vector(&a, 2, 17, x);
    corpus_point_vector(&b, 2, 17, y);
    assert_memory_equal(x, y, sizeof x);
    /* Every point has a same-topic neighbour in another tenant. */
    size_t topic = corpus_point_topic(&a, 0, 5);
    corpus_point_vector(&a, 0, 5, x);
    double best = -1.0;
    for (size_t i = 0; i < a.vectors; i++) {
        if (corpus_point_topic(&a, 1, i) != topic)
            continue;
        corpus_point_vector(&a, 1, i, y);
        double s = corpus_cosine(x, y, 384);
        best = s > best ? s : best;
    }
    assert_true(best > 0.8);
    assert_true(corpus_perturb(&a, x, 0.1, 3, near) > 0.99);
    char key[PROBE_KEY_MAX];
    size_t t = 9, i = 9;
    corpus_point_key(&a, 1, 33, key);
    assert_string_equal(key, "t001:bot1:33");
    assert_int_equal(corpus_key_owner(&a, key, &t, &i), 1);
    assert_int_equal(t, 1);
    assert_int_equal(i, 33);
    corpus_free(&a);
    corpus_free(&b);
}

static void percentiles_are_nearest_rank(void **state)
{
    (void)state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i + 1;
    assert_true(percentile_sorted(v, 100, 0.50) == 50.0);
    assert_true(percentile_sorted(v, 100, 0.95) == 95.0);
    assert_true(percentile_sorted(v, 100, 0.99) == 99.0);
    assert_true(percentile_sorted(v, 1, 0.99) == 1.0);
    assert_true(percentile_sorted(v, 0, 0.5) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(own_keys_are_not_leaks, setup, teardown),
        cmocka_unit_test_setup_teardown(scopes_vary_one_axis, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_tenant_point_is_a_leak, setup, teardown),
        cmocka_unit_test_setup_teardown(other_scope_point_is_a_leak, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_and_near_miss_keys_are_leaks, setup, teardown),
        cmocka_unit_test_setup_teardown(guard_trips_fail_the_verdict, setup, teardown),
        cmocka_unit_test_setup_teardown(recall_counts_only_own_true_neighbours, setup,
                                        teardown),
        cmocka_unit_test(plan_covers_every_ordered_pair),
        cmocka_unit_test(plan_uses_only_the_allowed_kinds),
        cmocka_unit_test(corpus_is_deterministic_with_cross_tenant_neighbours),
        cmocka_unit_test(percentiles_are_nearest_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
