/* unit_tenant_id.c: the tenant id grammar against hostile inputs, and the status,
 * placement and operation name tables. */
#include "test_common.h"

#include <string.h>

static void hostile_ids_are_refused(void **state)
{
    static const char *const hostile[] = {
        "",
        "__default__",
        "Acme",
        "ACME",
        "acme/../globex",
        "/",
        "a/b",
        "%2f",
        "acme%2fglobex",
        "..",
        "../acme",
        ".",
        "acme.globex",
        " acme",
        "acme ",
        "ac me",
        "acme\t",
        "\tacme",
        "acme\n",
        "acme\r\nX-Injected: 1",
        "acme\x01",
        "\x7f" "acme",
        "acme\x1b[0m",
        "caf\xc3\xa9",
        "\xe2\x80\x8b" "acme",
        "acme\xff",
        "-acme",
        "_acme",
        "-",
        "_",
        "a*",
        "a?b",
        "a:b",
        "a\\b",
        "a\"b",
        "a'b",
        "{acme}",
        "acme;drop",
        "null",
        "none",
        "undefined",
        "nil",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 64 */
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
    (void)state;
    assert_true(sizeof hostile / sizeof *hostile >= 30);
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        tq_detail_t d;
        tq_status_t st = tq_tenant_id_validate(hostile[i], &d);
        if (st != TQ_ETENANT)
            fail_msg("accepted hostile id #%zu \"%s\"", i, hostile[i]);
        assert_int_equal(d.status, TQ_ETENANT);
        assert_true(strlen(d.message) > 0);
    }
    tq_detail_t d;
    assert_int_equal(tq_tenant_id_validate(NULL, &d), TQ_ETENANT);
    assert_int_equal(tq_tenant_id_validate("acme", NULL), TQ_OK);
}

static void reasons_are_specific(void **state)
{
    tq_detail_t d;
    (void)state;
    assert_int_equal(tq_tenant_id_validate("", &d), TQ_ETENANT);
    assert_string_equal(d.message, "tenant id is empty");
    assert_int_equal(tq_tenant_id_validate("Acme", &d), TQ_ETENANT);
    assert_string_equal(d.message,
                        "tenant id \"Acme\": uppercase letter 'A' at offset 0; ids are lowercase");
    assert_int_equal(tq_tenant_id_validate("acMe", &d), TQ_ETENANT);
    assert_string_equal(d.message,
                        "tenant id \"acMe\": uppercase letter 'M' at offset 2; ids are lowercase");
    assert_int_equal(tq_tenant_id_validate("ac/me", &d), TQ_ETENANT);
    assert_string_equal(d.message, "tenant id: '/' at offset 2; ids use [a-z0-9] then [a-z0-9_-]");
    assert_int_equal(tq_tenant_id_validate("_acme", &d), TQ_ETENANT);
    assert_string_equal(d.message, "tenant id: '_' at offset 0; ids use [a-z0-9] then [a-z0-9_-]");
    assert_int_equal(tq_tenant_id_validate("ac\tme", &d), TQ_ETENANT);
    assert_string_equal(d.message,
                        "tenant id: byte 0x09 at offset 2; ids use [a-z0-9] then [a-z0-9_-]");
    assert_int_equal(tq_tenant_id_validate("null", &d), TQ_ETENANT);
    assert_string_equal(d.message, "tenant id \"null\" is reserved");
}

static void valid_ids_are_accepted(void **state)
{
    static const char *const good[] = {
        "a", "0", "acme", "t0001", "acme-corp", "acme_corp", "a--b", "a-", "9lives",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 63 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        tq_detail_t d;
        if (tq_tenant_id_validate(good[i], &d) != TQ_OK)
            fail_msg("refused \"%s\": %s", good[i], d.message);
        assert_int_equal(d.status, TQ_OK);
    }
}

static void tables_are_complete(void **state)
{
    (void)state;
    for (int s = 0; s < TQ_STATUS_LAST; s++) {
        assert_string_not_equal(tq_strerror((tq_status_t)s), "unknown status");
        assert_string_not_equal(tq_status_name((tq_status_t)s), "TQ_UNKNOWN");
        assert_memory_equal(tq_status_name((tq_status_t)s), "TQ_", 3);
    }
    assert_string_equal(tq_status_name(TQ_ELEAK), "TQ_ELEAK");
    assert_string_equal(tq_strerror(TQ_STATUS_LAST), "unknown status");
    assert_string_equal(tq_status_name((tq_status_t)-1), "TQ_UNKNOWN");
    for (int p = 0; p < 4; p++) {
        tq_placement_t back;
        assert_int_equal(tq_placement_parse(tq_placement_name((tq_placement_t)p), &back), TQ_OK);
        assert_int_equal(back, p);
    }
    tq_placement_t out;
    assert_string_equal(tq_placement_name(TQ_PLACEMENT_TIERED), "tiered");
    assert_null(tq_placement_name((tq_placement_t)4));
    assert_int_equal(tq_placement_parse("Shared", &out), TQ_EINVAL);
    for (int op = 0; op < TQ_OP_LAST; op++)
        assert_non_null(tq_op_name((tq_op_t)op));
    assert_null(tq_op_name(TQ_OP_LAST));
    assert_string_equal(tq_op_name(TQ_OP_SEARCH), "search");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_ids_are_refused),
        cmocka_unit_test(reasons_are_specific),
        cmocka_unit_test(valid_ids_are_accepted),
        cmocka_unit_test(tables_are_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
