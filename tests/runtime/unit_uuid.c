/* unit_uuid.c: UUIDv5 against published vectors and Python's uuid.uuid5, and the
 * point-id derivation (tenant, collection, scope values, key). */
#include "test_common.h"

#include "text.h"
#include "uuid.h"

#include <string.h>

static void check_v5(const char *ns_text, const char *name, size_t len, const char *want)
{
    unsigned char ns[16];
    char out[TQ_UUID_STR_LEN + 1];
    assert_int_equal(tq_uuid_parse(ns_text, ns), 0);
    assert_int_equal(tq_uuid5(ns, name, len, out), TQ_OK);
    assert_string_equal(out, want);
    assert_true(tq_uuid_is_canonical(out));
}

static void published_vectors(void **state)
{
    (void)state;
    /* RFC 9562 appendix A.4 */
    check_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com", 15,
             "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    /* Python 3 documentation and uuid.uuid5 */
    check_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", 10,
             "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    check_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "http://python.org/", 18,
             "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
    check_v5("6ba7b812-9dad-11d1-80b4-00c04fd430c8", "1.3.6.1", 7,
             "1447fa61-5277-5fef-a9b3-fbc6e44f4af3");
    check_v5("6ba7b814-9dad-11d1-80b4-00c04fd430c8", "cn=John Doe", 11,
             "6b28d549-d26e-5bfc-ae5e-9a39af63dc3f");
    check_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "", 0,
             "1b4db7eb-4057-5ddf-91e0-36dec72071f5");
    /* The tenantq namespace itself is uuid5(URL, "https://tenantq.invalid/point-id/v1"). */
    const char *u = "https://tenantq.invalid/point-id/v1";
    check_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", u, strlen(u), TQ_POINT_NAMESPACE);
}

static void parsing(void **state)
{
    unsigned char b[16];
    (void)state;
    assert_int_equal(tq_uuid_parse("936DA01F-9ABD-4D9D-80C7-02AF85C822A8", b), 0);
    assert_false(tq_uuid_is_canonical("936DA01F-9ABD-4D9D-80C7-02AF85C822A8"));
    assert_true(tq_uuid_is_canonical("936da01f-9abd-4d9d-80c7-02af85c822a8"));
    assert_int_equal(tq_uuid_parse("936da01f9abd4d9d80c702af85c822a8", b), -1);
    assert_int_equal(tq_uuid_parse("936da01f-9abd-4d9d-80c7-02af85c822ag", b), -1);
    assert_int_equal(tq_uuid_parse("936da01f-9abd-4d9d-80c7-02af85c822a", b), -1);
    assert_int_equal(tq_uuid_parse("936da01f+9abd-4d9d-80c7-02af85c822a8", b), -1);
    assert_int_equal(tq_uuid_parse(NULL, b), -1);
}

/* The hex table against the definition, for every byte; then every byte in every digit
 * position of a UUID, and every byte in every dash position. */
static void hex_digits_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        int want = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
        if (tq_text_hex_digit((char)c) != want)
            fail_msg("byte 0x%02x: hex value %d, want %d", c, tq_text_hex_digit((char)c), want);
    }
    const char *good = "936da01f-9abd-4d9d-80c7-02af85c822a8";
    unsigned char want[16], b[16];
    assert_int_equal(tq_uuid_parse(good, want), 0);
    char text[TQ_UUID_STR_LEN + 1];
    tq_uuid_format(want, text);
    assert_string_equal(text, good);
    for (size_t pos = 0; pos < TQ_UUID_STR_LEN; pos++) {
        for (int c = 1; c < 256; c++) {
            memcpy(text, good, sizeof text);
            text[pos] = (char)c;
            int dash = pos == 8 || pos == 13 || pos == 18 || pos == 23;
            int ok = dash ? c == '-' : tq_text_hex_digit((char)c) >= 0;
            if ((tq_uuid_parse(text, b) == 0) != ok)
                fail_msg("'%s' (byte 0x%02x at %zu): parse %s", text, c, pos,
                         ok ? "refused" : "accepted");
            if (ok) { /* the bytes read back are the text's, in lower case */
                char back[TQ_UUID_STR_LEN + 1];
                tq_uuid_format(b, back);
                text[pos] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
                assert_string_equal(back, text);
            }
        }
    }
}

static void point_ids(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    char id[TQ_UUID_STR_LEN + 1], other[TQ_UUID_STR_LEN + 1];
    const char *team_a[] = {"team-a"};
    const char *team_b[] = {"team-b"};
    tq_detail_t d;
    /* Values computed with Python: uuid5(NS, "acme\0kb-docs\0team-a\0doc-1"). */
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_a, "doc-1", id, &d), TQ_OK);
    assert_string_equal(id, "e725b592-3905-57a1-a9a8-f7bf4ba21426");
    assert_int_equal(tq_raw_point_id(env.globex, &tq_test_docs, team_a, "doc-1", other, &d),
                     TQ_OK);
    assert_string_equal(other, "0b95eae9-264a-5421-bf68-a565d003f9c3");
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_notes, NULL, "n1", id, &d), TQ_OK);
    assert_string_equal(id, "ba0007b4-237c-5041-83f2-268bd6dcd14d");
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_b, "doc-1", other, &d), TQ_OK);
    assert_string_not_equal(other, "e725b592-3905-57a1-a9a8-f7bf4ba21426");

    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_a, "", id, &d), TQ_EINVAL);
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_a, NULL, id, &d), TQ_EINVAL);
    char long_key[TQ_KEY_MAX + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_a, long_key, id, &d),
                     TQ_EINVAL);
    long_key[TQ_KEY_MAX] = '\0';
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, team_a, long_key, id, &d), TQ_OK);
    /* A name longer than the derivation's stack buffer: Python's value again. */
    assert_string_equal(id, "e75dd131-0f58-52c3-9e54-15ee5ff10cfb");
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, NULL, "doc-1", id, &d), TQ_ESCOPE);
    const char *empty[] = {""};
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, empty, "doc-1", id, &d), TQ_ESCOPE);
    const char *ctl[] = {"team\n"};
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, ctl, "doc-1", id, &d), TQ_ESCOPE);
    tq_test_env_close(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_vectors),
        cmocka_unit_test(parsing),
        cmocka_unit_test(hex_digits_every_byte),
        cmocka_unit_test(point_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
