/* unit_journal.c: the migration journal round-trips every field, is refused (never
 * guessed at) when any key is wrong, and is written atomically beside the registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static adm_journal_t sample(void)
{
    adm_journal_t j;
    memset(&j, 0, sizeof j);
    strcpy(j.tenant, "initech");
    j.from.placement = TQ_PLACEMENT_COLLECTION;
    strcpy(j.from.endpoint, "default");
    j.to.placement = TQ_PLACEMENT_DEDICATED;
    strcpy(j.to.endpoint, "eu-1");
    memset(j.registry_before, 'a', ADM_SHA256_HEX_LEN);
    strcpy(j.started, "2026-12-04T19:00:00Z");
    j.step = ADM_STEP_VERIFIED;
    j.points = 10000;
    return j;
}

static void steps_have_names_in_order(void **state)
{
    (void)state;
    const char *names[] = {"begun", "prepared", "copied", "verified", "switched", "deleted",
                           "done"};
    for (int i = 0; i < ADM_STEP_LAST; i++) {
        assert_string_equal(adm_step_name((adm_step_t)i), names[i]);
        assert_int_equal(adm_step_parse(names[i]), i);
    }
    assert_null(adm_step_name(ADM_STEP_LAST));
    assert_int_equal(adm_step_parse("copying"), -1);
}

static void format_and_parse_round_trip(void **state)
{
    (void)state;
    adm_journal_t j = sample(), back;
    char *text = adm_journal_format(&j);
    assert_non_null(text);
    assert_int_equal(adm_journal_parse(text, strlen(text), "j", &back, NULL), TQ_OK);
    assert_memory_equal(&j, &back, sizeof j);
    free(text);
    j.step = ADM_STEP_PREPARED;
    strcpy(j.copy_collection, "kb-chunks");
    strcpy(j.copy_offset, "\"6a1f0c52-8f5e-5c3b-9d1e-0e2f4a6b8c9d\"");
    text = adm_journal_format(&j);
    assert_int_equal(adm_journal_parse(text, strlen(text), "j", &back, NULL), TQ_OK);
    assert_memory_equal(&j, &back, sizeof j);
    free(text);
    j.step = ADM_STEP_SWITCHED;
    memset(j.registry_after, 'b', ADM_SHA256_HEX_LEN);
    j.points = 9007199254740992ull;
    text = adm_journal_format(&j);
    assert_int_equal(adm_journal_parse(text, strlen(text), "j", &back, NULL), TQ_OK);
    assert_memory_equal(&j, &back, sizeof j);
    free(text);
}

/* Replaces the first `from` in the sample's text by `to` and expects `message`. */
static void expect_refused(const char *from, const char *to, const char *message)
{
    adm_journal_t j = sample(), back;
    if (strcmp(from, "\"step\":\t\"switched\"") == 0)
        j.step = ADM_STEP_SWITCHED;
    char *text = adm_journal_format(&j);
    char *at = strstr(text, from);
    if (!at)
        fail_msg("%s not in %s", from, text);
    char edited[4096];
    snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    free(text);
    tq_detail_t d;
    assert_int_equal(adm_journal_parse(edited, strlen(edited), "reg.json.journal", &back, &d),
                     TQ_EREGISTRY);
    if (strcmp(d.message, message) != 0)
        fail_msg("got  %s\nwant %s", d.message, message);
}

static void malformed_journals_are_refused_with_the_key(void **state)
{
    (void)state;
    expect_refused("{", "[", "reg.json.journal: key (root): not a JSON object");
    expect_refused("\"version\":\t1", "\"version\":\t2", "reg.json.journal: key version: must be 1");
    expect_refused("\"migrate\"", "\"erase\"", "reg.json.journal: key op: must be \"migrate\"");
    expect_refused("\"initech\"", "\"Initech\"",
                   "reg.json.journal: key tenant: must be a valid tenant id");
    expect_refused("\"dedicated\"", "\"private\"",
                   "reg.json.journal: key to: must be {\"placement\", \"endpoint\"}");
    expect_refused("\"default\"", "\"\"",
                   "reg.json.journal: key from: must be {\"placement\", \"endpoint\"}");
    expect_refused("\"aaaa", "\"Aaaa",
                   "reg.json.journal: key registry_before: must be a sha256 in hex");
    expect_refused("\"verified\"", "\"verifying\"",
                   "reg.json.journal: key step: must name a migration step");
    expect_refused("10000", "-1", "reg.json.journal: key points: must be a count");
    expect_refused("\"copy_collection\":\t\"\"", "\"copy_collection\":\t7",
                   "reg.json.journal: key copy_collection: must be a collection name or \"\"");
    expect_refused("\"copy_offset\":\t\"\"", "\"copy_offset\":\tnull",
                   "reg.json.journal: key copy_offset: must be a point id in JSON or \"\"");
    expect_refused("\"step\":\t\"switched\"", "\"step\":\t\"switched\"",
                   "reg.json.journal: key registry_after: required once the registry is "
                   "switched");
}

static void save_and_load_beside_the_registry(void **state)
{
    (void)state;
    char dir[] = "/tmp/tq-admin-journal-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char registry[256], path[256];
    snprintf(registry, sizeof registry, "%s/registry.json", dir);
    assert_int_equal(adm_journal_path(registry, path, sizeof path), 0);
    char want[256];
    snprintf(want, sizeof want, "%s/registry.json.journal", dir);
    assert_string_equal(path, want);
    char tiny[8];
    assert_int_equal(adm_journal_path(registry, tiny, sizeof tiny), -1);

    adm_journal_t j = sample(), back;
    int present = 1;
    assert_int_equal(adm_journal_load(path, &back, &present, NULL), TQ_OK);
    assert_int_equal(present, 0);
    assert_int_equal(adm_journal_save(path, &j, NULL), TQ_OK);
    j.step = ADM_STEP_COPIED;
    assert_int_equal(adm_journal_save(path, &j, NULL), TQ_OK);
    assert_int_equal(adm_journal_load(path, &back, &present, NULL), TQ_OK);
    assert_int_equal(present, 1);
    assert_int_equal(back.step, ADM_STEP_COPIED);
    assert_int_equal(adm_file_remove(path, NULL), TQ_OK);
    assert_int_equal(adm_file_remove(path, NULL), TQ_OK); /* already gone: fine */
    assert_int_equal(adm_journal_load(path, &back, &present, NULL), TQ_OK);
    assert_int_equal(present, 0);

    /* A torn or foreign file is refused, not treated as "no journal". */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\"version\":1,\"op\":\"migr", f);
    fclose(f);
    tq_detail_t d;
    assert_int_equal(adm_journal_load(path, &back, &present, &d), TQ_EREGISTRY);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steps_have_names_in_order),
        cmocka_unit_test(format_and_parse_round_trip),
        cmocka_unit_test(malformed_journals_are_refused_with_the_key),
        cmocka_unit_test(save_and_load_beside_the_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
