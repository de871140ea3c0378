/* test_schema_unit.c: the schema library's tree, limits and allocation failures.
 *
 * Allocation-failure tests fail the 1st, 2nd, ... allocation of a load (and of the
 * rendering) until a run completes, and check after each that the call reported
 * TQ_SCHEMA_NOMEM and that no block is left allocated. */
#include "schema.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char KB[] =
    "# knowledge base\n"
    "schema kb version 7;\n"
    "collection chunks {\n"
    "    vector embedding dim 384 distance Cosine;\n"
    "    placement shared;\n"
    "    scope bot;\n"
    "    field source: keyword indexed required;\n"
    "    field title: text;\n"
    "    field page: integer indexed;\n"
    "    field tags: keyword[] indexed;\n"
    "    ops upsert, get, delete, delete_where, search, count, scroll;\n"
    "}\n"
    "// a second collection\n"
    "collection notes {\n"
    "    vector v dim 3 distance Manhattan;\n"
    "    placement dedicated;\n"
    "    scope workspace;\n"
    "    scope user;\n"
    "    field score_x: float filterable;\n"
    "    field done: bool indexed;\n"
    "    field at: datetime indexed;\n"
    "    field ref: uuid indexed;\n"
    "    field ids: integer[] indexed;\n"
    "    ops get, count;\n"
    "}\n";

static const char BROKEN[] =
    "schema kb version 1;\n"
    "collection c {\n"
    "    vector V dim 0 distance Dot;\n"
    "    field a: nosuch;\n"
    "    field tq_x: keyword;\n"
    "    field class: integer;\n"
    "    field b: keyword filterable;\n"
    "    field b: keyword;\n"
    "    ops get, fetch;\n"
    "}\n"
    "collection c { vector v dim 2 distance Dot; ops get; }\n";

static const char COLLIDING[] =
    "schema kb version 1;\n"
    "collection c {\n"
    "    vector v dim 2 distance Dot;\n"
    "    field page: integer indexed;\n"
    "    field has_page: bool;\n"
    "    field key: keyword;\n"
    "    ops get, search;\n"
    "}\n";

/* A rename and a revision (docs/migrations.md). */
static const char EVOLVED[] =
    "schema kb version 2;\n"
    "collection chunks revision 3 {\n"
    "    vector embedding dim 8 distance Dot;\n"
    "    field severity: integer indexed was priority;\n"
    "    field label: keyword was tag required;\n"
    "    field title: text;\n"
    "    ops get, count;\n"
    "}\n"
    "collection notes { vector v dim 2 distance Dot; ops get; }\n";

/* Every rule about 'was' and 'revision' broken once. */
static const char EVOLVED_BROKEN[] =
    "schema kb version 2;\n"
    "collection chunks revision 0 {\n"
    "    vector embedding dim 8 distance Dot;\n"
    "    field a: integer was a;\n"
    "    field b: integer was title;\n"
    "    field c: keyword was x was y;\n"
    "    field d: keyword was y;\n"
    "    field e: keyword was Bad;\n"
    "    field f: keyword was;\n"
    "    field title: text;\n"
    "    ops get;\n"
    "}\n"
    "collection notes revision { vector v dim 2 distance Dot; ops get; }\n";

static void test_tree(void **state) {
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    const tq_schema_collection_t *c;
    (void)state;
    memset(&diags, 0, sizeof diags);
    assert_int_equal(tq_schema_load(KB, sizeof KB - 1, NULL, &s, &diags), TQ_SCHEMA_OK);
    assert_int_equal(diags.count, 1); /* score_x is filterable but not indexed */
    assert_int_equal(diags.items[0].severity, TQ_SCHEMA_WARNING);
    assert_int_equal(diags.items[0].pos.line, 19);
    assert_int_equal(diags.items[0].pos.col, 11);
    assert_string_equal(s->name, "kb");
    assert_int_equal(s->version, 7);
    assert_int_equal(s->collection_count, 2);

    c = &s->collections[0];
    assert_string_equal(c->name, "chunks");
    assert_string_equal(c->vector_name, "embedding");
    assert_int_equal(c->dim, 384);
    assert_int_equal(c->distance, TQ_SCHEMA_COSINE);
    assert_int_equal(c->placement, TQ_SCHEMA_PLACE_SHARED);
    assert_int_equal(c->scope_count, 1);
    assert_string_equal(c->scopes[0].name, "bot");
    assert_int_equal(c->field_count, 4);
    assert_string_equal(c->fields[0].name, "source");
    assert_true(c->fields[0].indexed && c->fields[0].required);
    assert_int_equal(c->fields[1].type, TQ_SCHEMA_TEXT);
    assert_false(c->fields[1].indexed);
    assert_int_equal(c->fields[2].type, TQ_SCHEMA_INTEGER);
    assert_int_equal(c->fields[3].type, TQ_SCHEMA_KEYWORD_ARRAY);
    assert_int_equal(c->ops, (1u << TQ_SCHEMA_OP_TEXT_SEARCH) - 1);
    assert_int_equal(tq_schema_filterable_count(c), 3);

    c = &s->collections[1];
    assert_int_equal(c->distance, TQ_SCHEMA_MANHATTAN);
    assert_int_equal(c->placement, TQ_SCHEMA_PLACE_DEDICATED);
    assert_int_equal(c->scope_count, 2);
    assert_string_equal(c->scopes[1].name, "user");
    assert_int_equal(c->fields[0].type, TQ_SCHEMA_FLOAT);
    assert_true(c->fields[0].filterable && !c->fields[0].indexed);
    assert_int_equal(c->fields[1].type, TQ_SCHEMA_BOOL);
    assert_int_equal(c->fields[2].type, TQ_SCHEMA_DATETIME);
    assert_int_equal(c->fields[3].type, TQ_SCHEMA_UUID);
    assert_int_equal(c->fields[4].type, TQ_SCHEMA_INTEGER_ARRAY);
    assert_true(tq_schema_has_op(c, TQ_SCHEMA_OP_GET));
    assert_true(tq_schema_has_op(c, TQ_SCHEMA_OP_COUNT));
    assert_false(tq_schema_has_op(c, TQ_SCHEMA_OP_UPSERT));
    assert_int_equal(tq_schema_filterable_count(c), 5);
    tq_schema_free(s);
    tq_schema_diags_free(&diags);
}

static void fail_every_allocation(const char *text, size_t len, tq_schema_status_t expected);

static void test_evolved_tree(void **state) {
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    const tq_schema_collection_t *c;
    (void)state;
    memset(&diags, 0, sizeof diags);
    assert_int_equal(tq_schema_load(EVOLVED, sizeof EVOLVED - 1, NULL, &s, &diags), TQ_SCHEMA_OK);
    assert_int_equal(diags.count, 0);
    c = &s->collections[0];
    assert_int_equal(c->revision, 3);
    assert_int_equal(c->revision_pos.line, 2);
    assert_int_equal(c->revision_pos.col, 28);
    assert_string_equal(c->fields[0].name, "severity");
    assert_string_equal(c->fields[0].was, "priority");
    assert_int_equal(c->fields[0].was_pos.line, 4);
    assert_int_equal(c->fields[0].was_pos.col, 41);
    assert_true(c->fields[0].indexed);
    assert_string_equal(c->fields[1].was, "tag");
    assert_true(c->fields[1].required);
    assert_null(c->fields[2].was);
    assert_int_equal(s->collections[1].revision, 1); /* undeclared */
    tq_schema_free(s);
    tq_schema_diags_free(&diags);
}

static void test_evolved_broken(void **state) {
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    char *report = NULL;
    (void)state;
    memset(&diags, 0, sizeof diags);
    assert_int_equal(tq_schema_load(EVOLVED_BROKEN, sizeof EVOLVED_BROKEN - 1, NULL, &s, &diags),
                     TQ_SCHEMA_INVALID);
    assert_int_equal(tq_schema_diags_render(&diags, "e.tqs", EVOLVED_BROKEN,
                                            sizeof EVOLVED_BROKEN - 1, &report),
                     TQ_SCHEMA_OK);
    assert_non_null(strstr(report, "e.tqs:2:28: error: collection 'chunks': revision must be 1..4294967295"));
    assert_non_null(strstr(report, "e.tqs:4:26: error: field 'a' cannot be renamed from itself"));
    assert_non_null(strstr(report, "e.tqs:5:26: error: field 'b' was 'title', but 'title' is still a field (line 10)"));
    assert_non_null(strstr(report, "e.tqs:6:28: error: field 'c' declares 'was' twice"));
    assert_non_null(strstr(report, "e.tqs:7:26: error: fields 'c' and 'd' both claim to have been 'y'"));
    assert_non_null(strstr(report, "e.tqs:8:26: error: field name 'Bad' must match"));
    assert_non_null(strstr(report, "e.tqs:9:25: error: expected the field's previous name after 'was', found ';'"));
    assert_non_null(strstr(report, "e.tqs:13:27: error: expected the revision number after 'revision', found '{'"));
    assert_null(s);
    tq_schema_text_free(&diags, report);
    tq_schema_diags_free(&diags);
}

static void test_alloc_failures_evolved(void **state) {
    (void)state;
    fail_every_allocation(EVOLVED, sizeof EVOLVED - 1, TQ_SCHEMA_OK);
    fail_every_allocation(EVOLVED_BROKEN, sizeof EVOLVED_BROKEN - 1, TQ_SCHEMA_INVALID);
}

static void test_spellings(void **state) {
    (void)state;
    assert_string_equal(tq_schema_type_name(TQ_SCHEMA_KEYWORD_ARRAY), "keyword[]");
    assert_string_equal(tq_schema_type_name(TQ_SCHEMA_INTEGER_ARRAY), "integer[]");
    assert_string_equal(tq_schema_distance_name(TQ_SCHEMA_EUCLID), "Euclid");
    assert_string_equal(tq_schema_placement_name(TQ_SCHEMA_PLACE_COLLECTION), "collection");
    assert_string_equal(tq_schema_op_name(TQ_SCHEMA_OP_DELETE_WHERE), "delete_where");
    assert_string_equal(tq_schema_op_name(TQ_SCHEMA_OP_LAST), "?");
}

/* Loads and renders `text` with the Nth allocation failing, for every N, and checks
 * the outcome and that nothing leaks. */
static void fail_every_allocation(const char *text, size_t len, tq_schema_status_t expected) {
    size_t n;
    for (n = 1;; n++) {
        util_counter_t counter;
        tq_schema_allocator_t a;
        tq_schema_diags_t diags;
        tq_schema_t *s = NULL;
        tq_schema_status_t status, rendered = TQ_SCHEMA_OK;
        char *report = NULL;

        memset(&counter, 0, sizeof counter);
        counter.fail_at = n;
        a = util_counting_allocator(&counter);
        memset(&diags, 0, sizeof diags);
        status = tq_schema_load(text, len, &a, &s, &diags);
        if (status != TQ_SCHEMA_NOMEM) {
            assert_int_equal(status, expected);
            rendered = tq_schema_diags_render(&diags, "x.tqs", text, len, &report);
            if (rendered == TQ_SCHEMA_OK) tq_schema_text_free(&diags, report);
        }
        if (status == TQ_SCHEMA_OK) {
            assert_non_null(s);
        } else {
            assert_null(s);
        }
        tq_schema_free(s);
        tq_schema_diags_free(&diags);
        assert_int_equal(counter.live, 0);
        if (!counter.failed) {
            assert_int_equal(status, expected);
            assert_int_equal(rendered, TQ_SCHEMA_OK);
            assert_true(n > 3);
            return;
        }
        assert_true(status == TQ_SCHEMA_NOMEM || rendered == TQ_SCHEMA_NOMEM);
    }
}

static void test_alloc_failures_valid(void **state) {
    (void)state;
    fail_every_allocation(KB, sizeof KB - 1, TQ_SCHEMA_OK);
}

static void test_alloc_failures_broken(void **state) {
    (void)state;
    fail_every_allocation(BROKEN, sizeof BROKEN - 1, TQ_SCHEMA_INVALID);
}

static void test_alloc_failures_colliding(void **state) {
    (void)state;
    fail_every_allocation(COLLIDING, sizeof COLLIDING - 1, TQ_SCHEMA_INVALID);
}

static void test_text_limit(void **state) {
    size_t len = TQ_SCHEMA_MAX_TEXT + 1;
    char *text = malloc(len), *report = NULL;
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    (void)state;
    assert_non_null(text);
    memset(text, ' ', len);
    memset(&diags, 0, sizeof diags);
    assert_int_equal(tq_schema_load(text, len, NULL, &s, &diags), TQ_SCHEMA_INVALID);
    assert_int_equal(tq_schema_diags_render(&diags, "big.tqs", text, len, &report), TQ_SCHEMA_OK);
    assert_string_equal(report, "big.tqs: error: schema is larger than 1048576 bytes\n");
    tq_schema_text_free(&diags, report);
    tq_schema_diags_free(&diags);
    free(text);
}

static void test_warning_cap(void **state) {
    char text[8192];
    size_t len, i;
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    (void)state;
    len = (size_t)snprintf(text, sizeof text, "schema kb version 1;\ncollection c {\n"
                                              "vector v dim 2 distance Dot;\nfield f: keyword");
    for (i = 0; i < 150; i++) len += (size_t)snprintf(text + len, sizeof text - len, " required");
    len += (size_t)snprintf(text + len, sizeof text - len, ";\nops get;\n}\n");
    memset(&diags, 0, sizeof diags);
    assert_int_equal(tq_schema_load(text, len, NULL, &s, &diags), TQ_SCHEMA_OK);
    assert_int_equal(diags.warnings, TQ_SCHEMA_MAX_WARNINGS);
    assert_int_equal(diags.errors, 0);
    tq_schema_free(s);
    tq_schema_diags_free(&diags);
}

/* Deterministic mutations of a valid schema: every result must load or fail cleanly. */
static void test_mutations(void **state) {
    char text[sizeof KB];
    uint32_t seed = 12345;
    int round;
    (void)state;
    for (round = 0; round < 3000; round++) {
        tq_schema_diags_t diags;
        tq_schema_t *s = NULL;
        tq_schema_status_t status;
        char *report = NULL;
        size_t len = sizeof KB - 1;
        int edits, e;
        memcpy(text, KB, sizeof KB);
        seed = seed * 1103515245u + 12345u;
        edits = 1 + (int)((seed >> 16) % 4);
        for (e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            text[(seed >> 8) % len] = (char)(seed >> 20);
        }
        seed = seed * 1103515245u + 12345u;
        if (round % 3 == 0) len = (seed >> 8) % len;
        memset(&diags, 0, sizeof diags);
        status = tq_schema_load(text, len, NULL, &s, &diags);
        assert_true(status == TQ_SCHEMA_OK || status == TQ_SCHEMA_INVALID);
        assert_int_equal(status == TQ_SCHEMA_OK, diags.errors == 0);
        assert_int_equal(tq_schema_diags_render(&diags, "m.tqs", text, len, &report), TQ_SCHEMA_OK);
        tq_schema_text_free(&diags, report);
        tq_schema_free(s);
        tq_schema_diags_free(&diags);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_evolved_tree),
        cmocka_unit_test(test_evolved_broken),
        cmocka_unit_test(test_alloc_failures_evolved),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_alloc_failures_valid),
        cmocka_unit_test(test_alloc_failures_broken),
        cmocka_unit_test(test_alloc_failures_colliding),
        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_warning_cap),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
