/* unit_tiered.c: the tiered placement's pieces without a network: the routed name, the
 * shard key selector spliced into a request body, and how the offboard sweep and audit
 * tell a tiered collection from a shared one and from a tenant's own. */
#include "test_common.h"

#include "sweep.h"
#include "tiered.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_inject(const char *body, const char *tenant, const char *want)
{
    char *out = NULL;
    tq_detail_t d;
    assert_int_equal(tq_tiered_inject(body, tenant, &out, &d), TQ_OK);
    if (strcmp(out, want) != 0)
        fail_msg(" got %s\nwant %s", out, want);
    cJSON *parsed = cJSON_Parse(out); /* always valid JSON */
    assert_non_null(parsed);
    cJSON_Delete(parsed);
    cJSON_free(out);
}

static void selector_is_spliced_first(void **state)
{
    (void)state;
    expect_inject("{}", "acme", "{\"shard_key\":{\"target\":\"acme\",\"fallback\":\"default\"}}");
    expect_inject("{ }", "a-b_1", "{\"shard_key\":{\"target\":\"a-b_1\",\"fallback\":\"default\"}}");
    expect_inject("{\"limit\":3,\"filter\":{}}", "acme",
                  "{\"shard_key\":{\"target\":\"acme\",\"fallback\":\"default\"},\"limit\":3,"
                  "\"filter\":{}}");
    char *out = NULL;
    tq_detail_t d;
    assert_int_equal(tq_tiered_inject("[1]", "acme", &out, &d), TQ_EINVAL);
    assert_int_equal(tq_tiered_inject("", "acme", &out, &d), TQ_EINVAL);
    assert_int_equal(tq_tiered_inject(NULL, "acme", &out, &d), TQ_EINVAL);
    assert_int_equal(tq_tiered_inject("{}", "Acme\"", &out, &d), TQ_EINVAL);
    assert_null(out);
    cJSON *sel = tq_tiered_selector("acme");
    char *text = cJSON_PrintUnformatted(sel);
    assert_string_equal(text, "{\"target\":\"acme\",\"fallback\":\"default\"}");
    cJSON_free(text);
    cJSON_Delete(sel);
}

static void names_and_kinds(void **state)
{
    (void)state;
    static const tq_raw_collection_t docs = {
        .schema = "kb", .name = "docs", .vector_name = "v", .dim = 4,
        .distance = TQ_DISTANCE_COSINE, .default_placement = TQ_PLACEMENT_COLLECTION};
    tq_registry_t *reg = NULL;
    tq_client_t *client = NULL;
    tenant_ctx_t *ctx = NULL;
    tq_detail_t d;
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{\"placement\":\"tiered\"}}}";
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &reg, &d), TQ_OK);
    assert_int_equal(tq_client_new(reg, NULL, &client, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(client, "acme", &ctx, &d), TQ_OK);
    tq_raw_route_t route;
    assert_int_equal(tq_raw_route(ctx, &docs, &route, &d), TQ_OK);
    assert_string_equal(route.collection, "kb-docs-tiered");
    assert_int_equal(route.placement, TQ_PLACEMENT_TIERED);
    assert_string_equal(route.endpoint_name, "default");
    tq_raw_collection_t r2 = docs;
    r2.revision = 2;
    assert_int_equal(tq_raw_route(ctx, &r2, &route, &d), TQ_OK);
    assert_string_equal(route.collection, "kb-docs-r2-tiered");
    tq_ctx_free(ctx);
    tq_client_free(client);
    tq_registry_free(reg);

    char owner[TQ_TENANT_ID_MAX + 1];
    assert_int_equal(tq_sweep_owner("kb-docs-tiered", "kb-docs", owner), TQ_SWEEP_TIERED);
    assert_int_equal(tq_sweep_owner("kb-docs-r2-tiered", "kb-docs", owner), TQ_SWEEP_TIERED);
    assert_int_equal(tq_sweep_owner("kb-docs", "kb-docs", owner), TQ_SWEEP_SHARED);
    assert_int_equal(tq_sweep_owner("kb-docs-r2", "kb-docs", owner), TQ_SWEEP_SHARED);
    /* A tenant may be called "tiered", or end in "-tiered": its own collection. */
    assert_int_equal(tq_sweep_owner("kb-docs--tiered", "kb-docs", owner), TQ_SWEEP_OWN);
    assert_string_equal(owner, "tiered");
    assert_int_equal(tq_sweep_owner("kb-docs-r2--x-tiered", "kb-docs", owner), TQ_SWEEP_OWN);
    assert_string_equal(owner, "x-tiered");
    assert_int_equal(tq_sweep_owner("kb-docstiered", "kb-docs", owner), TQ_SWEEP_NONE);
    assert_int_equal(tq_sweep_classify("kb-docs-tiered", "kb-docs", "acme"), TQ_SWEEP_TIERED);
    assert_true(tq_placement_pooled(TQ_PLACEMENT_TIERED));
    assert_true(tq_placement_pooled(TQ_PLACEMENT_SHARED));
    assert_false(tq_placement_pooled(TQ_PLACEMENT_COLLECTION));
    assert_false(tq_placement_pooled(TQ_PLACEMENT_DEDICATED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selector_is_spliced_first),
        cmocka_unit_test(names_and_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
