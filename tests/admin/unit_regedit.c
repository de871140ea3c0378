/* unit_regedit.c: the registry rewrite changes exactly one tenant's value and nothing
 * else, refuses a registry that changed underneath, and replaces the file atomically
 * (no temporary file left, the mode kept, the old text intact on failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "regedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static const char registry_text[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"endpoints\": {\n"
    "    \"eu\":   {\"url\": \"http://127.0.0.1:7001\", \"api_key_env\": \"EU_KEY\"}\n"
    "  },\n"
    "  \"tenants\": {\n"
    "    \"zeta\":    {\"placement\": \"shared\"},\n"
    "    \"acorn\":   { \"placement\" : \"collection\" },\n"
    "    \"acorn2\":  {\"placement\": \"dedicated\", \"endpoint\": \"eu\"},\n"
    "    \"b\\u0065ta\": {}\n"
    "  }\n"
    "}\n";

static adm_location_t loc(tq_placement_t p, const char *endpoint)
{
    adm_location_t l;
    memset(&l, 0, sizeof l);
    l.placement = p;
    snprintf(l.endpoint, sizeof l.endpoint, "%s", endpoint);
    return l;
}

static char *splice(const char *text, const char *tenant, adm_location_t to, tq_status_t want)
{
    char *out = NULL;
    size_t n = 0;
    tq_detail_t d;
    tq_status_t st = adm_registry_splice(text, strlen(text), tenant, &to, &out, &n, &d);
    if (st != want)
        fail_msg("splice %s: got %s (%s), want %s", tenant, tq_status_name(st), d.message,
                 tq_status_name(want));
    if (st == TQ_OK)
        assert_int_equal(strlen(out), n);
    return out;
}

static void splice_changes_only_the_tenant_value(void **state)
{
    (void)state;
    char *out = splice(registry_text, "acorn", loc(TQ_PLACEMENT_SHARED, "default"), TQ_OK);
    /* Everything before and after the value is byte-identical. */
    const char *old_value = "{ \"placement\" : \"collection\" }";
    const char *at = strstr(registry_text, old_value);
    size_t prefix = (size_t)(at - registry_text);
    assert_memory_equal(out, registry_text, prefix);
    const char *new_value = "{\"placement\": \"shared\"}";
    assert_memory_equal(out + prefix, new_value, strlen(new_value));
    assert_string_equal(out + prefix + strlen(new_value), at + strlen(old_value));
    /* The prefix "acorn" of "acorn2" and the earlier tenant are left alone. */
    assert_non_null(strstr(out, "\"acorn2\":  {\"placement\": \"dedicated\", \"endpoint\": \"eu\"}"));
    assert_non_null(strstr(out, "\"zeta\":    {\"placement\": \"shared\"}"));
    tq_registry_t *r = NULL;
    assert_int_equal(tq_registry_parse(out, strlen(out), "out", &r, NULL), TQ_OK);
    assert_int_equal(tq_registry_tenant_count(r), 4);
    assert_string_equal(tq_registry_tenant_id(r, 0), "zeta");
    assert_string_equal(tq_registry_tenant_id(r, 1), "acorn");
    tq_registry_free(r);
    free(out);
}

static void splice_writes_dedicated_with_endpoint_and_decodes_escaped_keys(void **state)
{
    (void)state;
    char *out = splice(registry_text, "beta", loc(TQ_PLACEMENT_DEDICATED, "eu"), TQ_OK);
    assert_non_null(strstr(out, "\"b\\u0065ta\": {\"placement\": \"dedicated\", \"endpoint\": \"eu\"}"));
    free(out);
    out = splice(registry_text, "acorn2", loc(TQ_PLACEMENT_COLLECTION, "default"), TQ_OK);
    assert_non_null(strstr(out, "\"acorn2\":  {\"placement\": \"collection\"},\n"));
    free(out);
}

static void splice_refuses_unknown_tenants_and_bad_documents(void **state)
{
    (void)state;
    assert_null(splice(registry_text, "nobody", loc(TQ_PLACEMENT_SHARED, "default"), TQ_ETENANT));
    assert_null(splice("[1,2]", "acorn", loc(TQ_PLACEMENT_SHARED, "default"), TQ_EREGISTRY));
    assert_null(splice("{\"version\":1}", "acorn", loc(TQ_PLACEMENT_SHARED, "default"),
                       TQ_EREGISTRY));
    assert_null(splice("{\"tenants\":[]}", "acorn", loc(TQ_PLACEMENT_SHARED, "default"),
                       TQ_EREGISTRY));
    assert_null(splice("{\"tenants\":{\"acorn\":{\"x\":[1,{\"y\":\"}\"}]}", "acorn",
                       loc(TQ_PLACEMENT_SHARED, "default"), TQ_EREGISTRY));
    /* Nested braces and quoted braces inside other values do not confuse the scanner. */
    char *out = splice("{\"a\":{\"b\":\"}{\\\"\"},\"tenants\":{\"t\":{\"placement\":\"shared\"}}}",
                       "t", loc(TQ_PLACEMENT_COLLECTION, "default"), TQ_OK);
    assert_string_equal(out, "{\"a\":{\"b\":\"}{\\\"\"},\"tenants\":{\"t\":{\"placement\": "
                             "\"collection\"}}}");
    free(out);
}

/* A scratch directory per test, removed afterwards. */
static int setup_dir(void **state)
{
    char *dir = strdup("/tmp/tq-admin-regedit-XXXXXX");
    if (!dir || !mkdtemp(dir))
        return -1;
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static char *read_all(const char *path)
{
    char *text = NULL;
    size_t n = 0;
    assert_int_equal(adm_file_read(path, 1 << 20, &text, &n, NULL), TQ_OK);
    return text;
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void set_rewrites_file_atomically_and_keeps_mode(void **state)
{
    const char *dir = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/registry.json", dir);
    write_file(path, registry_text, 0640);
    char before[ADM_SHA256_HEX_LEN + 1], after[ADM_SHA256_HEX_LEN + 1], now[ADM_SHA256_HEX_LEN + 1];
    assert_int_equal(adm_registry_sha(path, before, NULL), TQ_OK);
    adm_location_t to = loc(TQ_PLACEMENT_SHARED, "default");
    tq_detail_t d;
    assert_int_equal(adm_registry_set(path, "acorn", &to, before, after, &d), TQ_OK);
    assert_int_equal(adm_registry_sha(path, now, NULL), TQ_OK);
    assert_string_equal(now, after);
    assert_string_not_equal(now, before);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */
    char *text = read_all(path);
    assert_non_null(strstr(text, "\"acorn\":   {\"placement\": \"shared\"}"));
    free(text);
    tq_registry_t *r = NULL;
    assert_int_equal(tq_registry_load(path, &r, NULL), TQ_OK);
    tq_registry_free(r);
}

static void set_refuses_a_registry_changed_underneath(void **state)
{
    const char *dir = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/registry.json", dir);
    write_file(path, registry_text, 0644);
    char stale[ADM_SHA256_HEX_LEN + 1];
    assert_int_equal(adm_sha256_hex("something else", 14, stale), 0);
    adm_location_t to = loc(TQ_PLACEMENT_SHARED, "default");
    tq_detail_t d;
    assert_int_equal(adm_registry_set(path, "acorn", &to, stale, NULL, &d), TQ_ECONFLICT);
    assert_non_null(strstr(d.message, "changed since the migration began"));
    char *text = read_all(path);
    assert_string_equal(text, registry_text);
    free(text);
}

static void set_refuses_a_result_the_runtime_would_reject(void **state)
{
    const char *dir = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/registry.json", dir);
    write_file(path, registry_text, 0644);
    /* "nowhere" is not an endpoint: the parser refuses it and the file stays as it was. */
    adm_location_t to = loc(TQ_PLACEMENT_DEDICATED, "nowhere");
    tq_detail_t d;
    assert_int_equal(adm_registry_set(path, "acorn", &to, NULL, NULL, &d), TQ_EREGISTRY);
    assert_non_null(strstr(d.message, "no endpoint named \"nowhere\""));
    char *text = read_all(path);
    assert_string_equal(text, registry_text);
    free(text);
    assert_int_equal(count_entries(dir), 1);
    /* A missing file is an error, not an empty registry. */
    snprintf(path, sizeof path, "%s/absent.json", dir);
    assert_int_equal(adm_registry_set(path, "acorn", &to, NULL, NULL, &d), TQ_ENOTFOUND);
}

static void replace_fails_cleanly_in_a_missing_directory(void **state)
{
    const char *dir = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/no/such/dir/registry.json", dir);
    tq_detail_t d;
    assert_int_equal(adm_file_replace(path, "x", 1, &d), TQ_EIO);
    assert_non_null(strstr(d.message, "cannot create"));
    assert_int_equal(count_entries(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splice_changes_only_the_tenant_value),
        cmocka_unit_test(splice_writes_dedicated_with_endpoint_and_decodes_escaped_keys),
        cmocka_unit_test(splice_refuses_unknown_tenants_and_bad_documents),
        cmocka_unit_test_setup_teardown(set_rewrites_file_atomically_and_keeps_mode, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(set_refuses_a_registry_changed_underneath, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(set_refuses_a_result_the_runtime_would_reject,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(replace_fails_cleanly_in_a_missing_directory, setup_dir,
                                        teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
