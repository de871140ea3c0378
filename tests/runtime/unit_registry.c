/* unit_registry.c: registry parsing, its exact error messages, and the contexts and
 * routes it leads to. */
#include "test_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tq_status_t parse(const char *json, tq_registry_t **out, tq_detail_t *d)
{
    return tq_registry_parse(json, strlen(json), "reg.json", out, d);
}

static void expect_error(const char *json, const char *message)
{
    tq_registry_t *r = NULL;
    tq_detail_t d;
    tq_status_t st = parse(json, &r, &d);
    if (st != TQ_EREGISTRY || strcmp(d.message, message) != 0)
        fail_msg("%s\n got %s: %s\nwant %s", json, tq_status_name(st), d.message, message);
    assert_null(r);
}

static void errors_name_file_key_and_reason(void **state)
{
    (void)state;
    expect_error("[]", "reg.json: key (root): must be an object");
    expect_error("{\"version\":1,", "reg.json: key (root): not valid JSON (near byte 12)");
    expect_error("{\"tenants\":{}}", "reg.json: key version: is required");
    expect_error("{\"version\":2,\"tenants\":{}}", "reg.json: key version: must be 1");
    expect_error("{\"version\":1}", "reg.json: key tenants: is required");
    expect_error("{\"version\":1,\"tenants\":[]}", "reg.json: key tenants: must be an object");
    expect_error("{\"version\":1,\"tenants\":{},\"extra\":1}", "reg.json: key extra: unknown key");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placment\":\"shared\"}}}",
                 "reg.json: key tenants.acme.placment: unknown key");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placement\":\"private\"}}}",
                 "reg.json: key tenants.acme.placement: must be \"collection\", \"shared\", "
                 "\"dedicated\" or \"tiered\"");
    expect_error("{\"version\":1,\"tenants\":{\"Acme\":{}}}",
                 "reg.json: key tenants.Acme: tenant id \"Acme\": uppercase letter 'A' at offset 0; ids are lowercase");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{},\"acme\":{}}}",
                 "reg.json: key tenants.acme: duplicate member; a key may appear only once in "
                 "an object");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placement\":\"dedicated\"}}}",
                 "reg.json: key tenants.acme.endpoint: the dedicated placement needs an endpoint "
                 "other than \"default\"");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placement\":\"dedicated\","
                 "\"endpoint\":\"eu\"}}}",
                 "reg.json: key tenants.acme.endpoint: no endpoint named \"eu\"");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://x\"}},\"tenants\":"
                 "{\"acme\":{\"placement\":\"shared\",\"endpoint\":\"eu\"}}}",
                 "reg.json: key tenants.acme.endpoint: only the dedicated placement uses an "
                 "endpoint other than \"default\"");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://x\"}},\"tenants\":"
                 "{\"acme\":{\"placement\":\"tiered\",\"endpoint\":\"eu\"}}}",
                 "reg.json: key tenants.acme.endpoint: only the dedicated placement uses an "
                 "endpoint other than \"default\"");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://x\",\"api_key\":\"s3cr3t\"}},"
                 "\"tenants\":{}}",
                 "reg.json: key endpoints.eu.api_key: secrets must not be stored in the registry; "
                 "name an environment variable with \"api_key_env\"");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"ftp://x\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu.url: must be an http:// or https:// URL without "
                 "credentials, query or fragment");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://u:p@x\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu.url: must be an http:// or https:// URL without "
                 "credentials, query or fragment");
    /* An empty host, or an '@' right after the scheme, is no URL of a server. */
    static const char *const no_host[] = {"http://@x:6333", "http://", "https://", "http:///x",
                                          "https://:6333"};
    for (size_t i = 0; i < sizeof no_host / sizeof *no_host; i++) {
        char json[160];
        snprintf(json, sizeof json,
                 "{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"%s\"}},\"tenants\":{}}",
                 no_host[i]);
        expect_error(json, "reg.json: key endpoints.eu.url: must be an http:// or https:// URL "
                           "without credentials, query or fragment");
    }
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu.url: is required");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://x\",\"api_key_env\":"
                 "\"lower\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu.api_key_env: must name an environment variable "
                 "([A-Z_][A-Z0-9_]*)");
    expect_error("{\"version\":1,\"endpoints\":{\"E U\":{\"url\":\"http://x\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.E U: endpoint names must match [a-z0-9_-]{1,63}");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":5}}",
                 "reg.json: key tenants.acme: must be an object");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placement\":5}}}",
                 "reg.json: key tenants.acme.placement: must be \"collection\", \"shared\", "
                 "\"dedicated\" or \"tiered\"");
    expect_error("{\"version\":1,\"tenants\":{},\"token\":\"x\"}",
                 "reg.json: key token: secrets must not be stored in the registry; name an "
                 "environment variable with \"api_key_env\"");
}

/* cJSON keeps duplicate members and lookups see the first: each of these used to load,
 * silently ignoring the second value. */
static void duplicate_members_refused(void **state)
{
    (void)state;
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{\"placement\":\"collection\","
                 "\"placement\":\"shared\"}}}",
                 "reg.json: key tenants.acme.placement: duplicate member; a key may appear only "
                 "once in an object");
    expect_error("{\"version\":1,\"tenants\":{\"acme\":{}},\"tenants\":{\"evil\":{}}}",
                 "reg.json: key tenants: duplicate member; a key may appear only once in an "
                 "object");
    expect_error("{\"version\":1,\"version\":1,\"tenants\":{}}",
                 "reg.json: key version: duplicate member; a key may appear only once in an "
                 "object");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://a\",\"url\":"
                 "\"http://b\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu.url: duplicate member; a key may appear only once "
                 "in an object");
    expect_error("{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://a\"},\"eu\":"
                 "{\"url\":\"http://b\"}},\"tenants\":{}}",
                 "reg.json: key endpoints.eu: duplicate member; a key may appear only once in an "
                 "object");
}

static void valid_registry_and_contexts(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    assert_int_equal(tq_registry_tenant_count(env.registry), 4);
    assert_string_equal(tq_registry_tenant_id(env.registry, 0), "acme");
    assert_string_equal(tq_registry_tenant_id(env.registry, 3), "dd");
    assert_null(tq_registry_tenant_id(env.registry, 4));
    assert_string_equal(tq_ctx_tenant(env.acme), "acme");
    assert_int_equal(tq_ctx_placement_override(env.acme), -1);

    tenant_ctx_t *ctx = NULL;
    tq_detail_t d;
    assert_int_equal(tq_ctx_new(env.client, "initech", &ctx, &d), TQ_ETENANT);
    assert_string_equal(d.message, "tenant \"initech\" is not in the registry");
    assert_null(ctx);
    assert_int_equal(tq_ctx_new(env.client, "../acme", &ctx, &d), TQ_ETENANT);
    assert_null(ctx);

    tq_raw_route_t r;
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs--acme");
    assert_int_equal(r.placement, TQ_PLACEMENT_COLLECTION);
    assert_string_equal(r.endpoint_name, "default");
    assert_string_equal(r.endpoint_url, "http://127.0.0.1:9");
    assert_int_equal(tq_raw_route(env.acme, &tq_test_notes, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-notes");
    assert_int_equal(r.placement, TQ_PLACEMENT_SHARED);

    assert_int_equal(tq_ctx_new(env.client, "sh", &ctx, &d), TQ_OK);
    assert_int_equal(tq_ctx_placement_override(ctx), TQ_PLACEMENT_SHARED);
    assert_int_equal(tq_raw_route(ctx, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs");
    tq_ctx_free(ctx);

    assert_int_equal(tq_ctx_new(env.client, "dd", &ctx, &d), TQ_OK);
    assert_int_equal(tq_raw_route(ctx, &tq_test_notes, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-notes--dd");
    assert_int_equal(r.placement, TQ_PLACEMENT_DEDICATED);
    assert_string_equal(r.endpoint_name, "eu");
    tq_ctx_free(ctx);

    /* A collection whose default is dedicated needs a tenant endpoint. */
    tq_raw_collection_t ded = tq_test_notes;
    ded.default_placement = TQ_PLACEMENT_DEDICATED;
    assert_int_equal(tq_raw_route(env.acme, &ded, &r, &d), TQ_ETENANT);

    tq_raw_collection_t bad = tq_test_notes;
    bad.name = "No-Tes";
    assert_int_equal(tq_raw_route(env.acme, &bad, &r, &d), TQ_EINVAL);
    tq_test_env_close(&env);
}

static void client_environment(void **state)
{
    (void)state;
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{}}}";
    tq_registry_t *r;
    tq_client_t *c = NULL;
    tq_detail_t d;
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &r, &d), TQ_OK);
    static const char *const bad_urls[] = {"ftp://x",      "http://user:pw@x", "http://x/?a=b",
                                           "http://x y",   "localhost:6333",   "http://@x:6333",
                                           "http://",      "https://",         "http:///x",
                                           "http://:6333"};
    for (size_t i = 0; i < sizeof bad_urls / sizeof *bad_urls; i++) {
        setenv("TENANTQ_QDRANT_URL", bad_urls[i], 1);
        assert_int_equal(tq_client_new(r, NULL, &c, &d), TQ_EINVAL);
        assert_null(c);
        assert_null(strstr(d.message, "pw"));
    }
    setenv("TENANTQ_QDRANT_URL", "https://q.example:6333///", 1);
    setenv("TENANTQ_QDRANT_API_KEY", "bad\r\nkey", 1);
    assert_int_equal(tq_client_new(r, NULL, &c, &d), TQ_EINVAL);
    assert_non_null(strstr(d.message, "TENANTQ_QDRANT_API_KEY"));
    assert_null(strstr(d.message, "bad"));
    unsetenv("TENANTQ_QDRANT_URL");
    unsetenv("TENANTQ_QDRANT_API_KEY");
    assert_int_equal(tq_client_new(r, NULL, &c, &d), TQ_OK);
    tenant_ctx_t *ctx;
    tq_raw_route_t route;
    assert_int_equal(tq_ctx_new(c, "acme", &ctx, &d), TQ_OK);
    assert_int_equal(tq_raw_route(ctx, &tq_test_notes, &route, &d), TQ_OK);
    assert_string_equal(route.endpoint_url, "http://127.0.0.1:6333");
    tq_ctx_free(ctx);
    tq_client_free(c);
    setenv("TENANTQ_QDRANT_URL", "https://q.example:6333///", 1);
    assert_int_equal(tq_client_new(r, NULL, &c, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(c, "acme", &ctx, &d), TQ_OK);
    assert_int_equal(tq_raw_route(ctx, &tq_test_notes, &route, &d), TQ_OK);
    assert_string_equal(route.endpoint_url, "https://q.example:6333");
    tq_ctx_free(ctx);
    tq_client_free(c);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.max_json_depth = 2;
    assert_int_equal(tq_client_new(r, &o, &c, &d), TQ_EINVAL);
    tq_client_options_init(&o);
    o.tenant_jwt = 1;
    o.jwt_ttl_s = 10;
    assert_int_equal(tq_client_new(r, &o, &c, &d), TQ_EINVAL);
    tq_registry_free(r);
}

static void load_from_file(void **state)
{
    (void)state;
    char path[] = "/tmp/tq-registry-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *json = "{\"version\":1,\"tenants\":{\"t1\":{\"placement\":\"collection\"}}}";
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    tq_registry_t *r = NULL;
    tq_detail_t d;
    assert_int_equal(tq_registry_load(path, &r, &d), TQ_OK);
    assert_int_equal(tq_registry_tenant_count(r), 1);
    tq_registry_free(r);
    unlink(path);
    assert_int_equal(tq_registry_load(path, &r, &d), TQ_EIO);
    assert_non_null(strstr(d.message, path));
}

static void allocation_failures(void **state)
{
    (void)state;
    static const char json[] =
        "{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"http://x\",\"api_key_env\":\"K\"}},"
        "\"tenants\":{\"a\":{},\"b\":{\"placement\":\"dedicated\",\"endpoint\":\"eu\"}}}";
    tq_test_alloc_install();
    for (long n = 1;; n++) {
        tq_registry_t *r = NULL;
        tq_detail_t d;
        tq_test_alloc_reset(n);
        tq_status_t st = parse(json, &r, &d);
        tq_registry_free(r);
        assert_int_equal(tq_test_alloc_live(), 0);
        if (!tq_test_alloc_failed()) {
            assert_int_equal(st, TQ_OK);
            break;
        }
        if (st != TQ_ENOMEM)
            fail_msg("allocation %ld failed but status is %s", n, tq_status_name(st));
    }
    tq_test_alloc_reset(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errors_name_file_key_and_reason),
        cmocka_unit_test(duplicate_members_refused),
        cmocka_unit_test(valid_registry_and_contexts),
        cmocka_unit_test(client_environment),
        cmocka_unit_test(load_from_file),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
