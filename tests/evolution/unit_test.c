/* unit_test.c: the breaking check's classification of differences the golden cases do
 * not cover, and the fingerprint: its exact shape text, what changes it and what does
 * not, and that tenantq-gen and the runtime compute the same value. */
#include "breaking.h"
#include "fingerprint.h"

#include <tenantq/raw.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static tq_schema_t *load(const char *text)
{
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    memset(&diags, 0, sizeof diags);
    if (tq_schema_load(text, strlen(text), NULL, &s, &diags) != TQ_SCHEMA_OK) {
        for (size_t i = 0; i < diags.count; i++)
            print_error("%u:%u: %s\n", diags.items[i].pos.line, diags.items[i].pos.col,
                        diags.items[i].message);
        fail_msg("schema does not load");
    }
    tq_schema_diags_free(&diags);
    return s;
}

static const char BASE[] = "schema kb version 1;\n"
                           "collection chunks {\n"
                           "    vector embedding dim 4 distance Cosine;\n"
                           "    scope bot;\n"
                           "    field source: keyword indexed;\n"
                           "    field rank: integer was priority;\n"
                           "    field tags: keyword[] filterable;\n"
                           "    ops upsert, get, count;\n"
                           "}\n"
                           "collection notes { vector v dim 2 distance Dot; ops get; }\n";

/* Compares BASE with `next`; returns the changes (caller frees). */
static gen_changes_t compare(const char *next)
{
    tq_schema_t *a = load(BASE), *b = load(next);
    gen_changes_t out;
    memset(&out, 0, sizeof out);
    assert_int_equal(gen_breaking_compare(a, b, &out), 0);
    tq_schema_free(a);
    tq_schema_free(b);
    return out;
}

/* The change of `kind`, which must be there exactly once, at `level`. */
static const gen_change_t *expect_change(const gen_changes_t *ch, const char *kind,
                                         gen_level_t level)
{
    const gen_change_t *found = NULL;
    for (size_t i = 0; i < ch->count; i++) {
        if (strcmp(ch->items[i].kind, kind) != 0)
            continue;
        assert_null(found);
        found = &ch->items[i];
    }
    if (!found)
        fail_msg("no %s change", kind);
    assert_int_equal(found->level, level);
    return found;
}

static void collections_and_schema(void **state)
{
    (void)state;
    gen_changes_t ch = compare("schema kb2 version 2;\n"
                               "collection chunks {\n"
                               "    vector embedding dim 4 distance Cosine;\n"
                               "    scope bot;\n"
                               "    field source: keyword indexed;\n"
                               "    field rank: integer was priority;\n"
                               "    field tags: keyword[] filterable;\n"
                               "    ops upsert, get, count;\n"
                               "}\n"
                               "collection extra { vector v dim 2 distance Dot; ops get; }\n");
    expect_change(&ch, "schema_renamed", GEN_BREAKING);
    const gen_change_t *added = expect_change(&ch, "collection_added", GEN_SAFE);
    assert_string_equal(added->collection, "extra");
    const gen_change_t *removed = expect_change(&ch, "collection_removed", GEN_BREAKING);
    assert_true(removed->in_old);
    assert_int_equal(removed->pos.line, 10);
    assert_int_equal(ch.count, 3);
    gen_changes_free(&ch);
}

static void field_details(void **state)
{
    (void)state;
    gen_changes_t ch = compare("schema kb version 1;\n"
                               "collection chunks {\n"
                               "    vector embedding dim 4 distance Cosine;\n"
                               "    scope bot;\n"
                               "    field source: keyword indexed required;\n"
                               "    field rank: integer;\n"
                               "    field tags: keyword[];\n"
                               "    field note: text required;\n"
                               "    ops upsert, get, count;\n"
                               "}\n"
                               "collection notes { vector v dim 2 distance Dot; ops get; }\n");
    expect_change(&ch, "field_made_required", GEN_ACTION);
    const gen_change_t *dropped = expect_change(&ch, "rename_dropped", GEN_ACTION);
    assert_non_null(strstr(dropped->message, "run 'tenantq-admin rewrite' first"));
    expect_change(&ch, "filterable_changed", GEN_SAFE);
    expect_change(&ch, "field_added", GEN_SAFE);
    expect_change(&ch, "required_field_added", GEN_ACTION);
    const gen_change_t *version = expect_change(&ch, "version_not_raised", GEN_ACTION);
    assert_string_equal(version->collection, "");
    assert_int_equal(ch.count, 6);
    gen_changes_free(&ch);
}

static void renames_and_revisions(void **state)
{
    (void)state;
    /* a rename that also changes the type is breaking; a lowered revision too */
    gen_changes_t ch = compare("schema kb version 2;\n"
                               "collection chunks {\n"
                               "    vector embedding dim 4 distance Cosine;\n"
                               "    scope bot;\n"
                               "    field origin: integer indexed was source;\n"
                               "    field rank: integer was priority;\n"
                               "    field tags: keyword[] filterable;\n"
                               "    ops upsert, get, count;\n"
                               "}\n"
                               "collection notes { vector v dim 2 distance Dot; ops get; }\n");
    const gen_change_t *c = expect_change(&ch, "field_retyped", GEN_BREAKING);
    assert_non_null(strstr(c->message, "field 'source' renamed to 'origin' and retyped keyword -> integer"));
    assert_int_equal(ch.count, 1);
    gen_changes_free(&ch);

    tq_schema_t *a = load("schema kb version 1;\n"
                          "collection c revision 3 { vector v dim 2 distance Dot; ops get; }\n");
    tq_schema_t *b = load("schema kb version 2;\n"
                          "collection c revision 2 { vector v dim 2 distance Dot; ops get; }\n");
    memset(&ch, 0, sizeof ch);
    assert_int_equal(gen_breaking_compare(a, b, &ch), 0);
    expect_change(&ch, "revision_lowered", GEN_BREAKING);
    gen_changes_free(&ch);
    /* raised: every breaking change of the collection is accepted */
    memset(&ch, 0, sizeof ch);
    assert_int_equal(gen_breaking_compare(b, a, &ch), 0);
    expect_change(&ch, "revision_raised", GEN_ACTION);
    tq_schema_free(a);
    tq_schema_free(b);
    gen_changes_free(&ch);
    ch = compare("schema kb version 2;\n"
                 "collection chunks revision 2 {\n"
                 "    vector embedding dim 4 distance Euclid;\n"
                 "    field source: integer;\n"
                 "    ops upsert, get, count;\n"
                 "}\n"
                 "collection notes { vector v dim 2 distance Dot; ops get; }\n");
    static const char *const accepted[] = {"distance_changed", "scope_changed", "field_retyped"};
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
        const gen_change_t *ok = expect_change(&ch, accepted[i], GEN_SAFE);
        assert_non_null(strstr(ok->message, "(accepted: revision 2 has collections of its own)"));
        assert_null(strstr(ok->message, "declare"));
    }
    for (size_t i = 0; i < ch.count; i++)
        if (strcmp(ch.items[i].kind, "revision_raised") != 0)
            assert_int_equal(ch.items[i].level, GEN_SAFE);
    gen_changes_free(&ch);
}

static void vector_renamed(void **state)
{
    (void)state;
    gen_changes_t ch = compare("schema kb version 2;\n"
                               "collection chunks {\n"
                               "    vector text_embedding dim 4 distance Cosine;\n"
                               "    scope bot;\n"
                               "    field source: keyword indexed;\n"
                               "    field rank: integer was priority;\n"
                               "    field tags: keyword[] filterable;\n"
                               "    ops upsert, get, count;\n"
                               "}\n"
                               "collection notes { vector v dim 2 distance Dot; ops get; }\n");
    const gen_change_t *c = expect_change(&ch, "vector_renamed", GEN_BREAKING);
    assert_non_null(strstr(c->message, "vector 'embedding' renamed to 'text_embedding'"));
    assert_int_equal(c->pos.line, 3);
    assert_int_equal(ch.count, 1);
    gen_changes_free(&ch);
}

static void fingerprint_text(void **state)
{
    (void)state;
    tq_schema_t *s = load(BASE);
    char digest[GEN_FINGERPRINT_LEN + 1];
    char *shape = NULL;
    assert_int_equal(gen_fingerprint(s, &s->collections[0], digest, &shape), 0);
    assert_string_equal(shape, "tenantq-shape 1\n"
                               "vector embedding 4 Cosine\n"
                               "scope bot\n"
                               "field rank integer\n"
                               "field source keyword indexed\n"
                               "field tags keyword[]\n");
    assert_int_equal(strlen(digest), GEN_FINGERPRINT_LEN);
    assert_memory_equal(digest, "sha256:", 7);
    free(shape);
    tq_schema_free(s);
}

/* The fingerprint of the first collection of `text`. */
static void fingerprint_of(const char *text, char digest[GEN_FINGERPRINT_LEN + 1])
{
    tq_schema_t *s = load(text);
    assert_int_equal(gen_fingerprint(s, &s->collections[0], digest, NULL), 0);
    tq_schema_free(s);
}

static void fingerprint_changes(void **state)
{
    (void)state;
    static const char *const same[] = {
        /* fields reordered, ops, required, filterable, was, placement, version, revision */
        "schema kb version 9; collection chunks revision 4 { placement shared;"
        " vector embedding dim 4 distance Cosine; scope bot; field tags: keyword[];"
        " field rank: integer; field source: keyword indexed required; ops get; }",
    };
    static const char *const different[] = {
        "schema kb version 1; collection chunks { vector embedding dim 5 distance Cosine;"
        " scope bot; field source: keyword indexed; field rank: integer;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Dot;"
        " scope bot; field source: keyword indexed; field rank: integer;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector other dim 4 distance Cosine;"
        " scope bot; field source: keyword indexed; field rank: integer;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope team; field source: keyword indexed; field rank: integer;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; field source: keyword; field rank: integer;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; field source: keyword indexed; field rank: float;"
        " field tags: keyword[]; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; field source: keyword indexed; field position: integer;"
        " field tags: keyword[]; ops get; }",
    };
    char base[GEN_FINGERPRINT_LEN + 1], other[GEN_FINGERPRINT_LEN + 1];
    fingerprint_of(BASE, base);
    fingerprint_of(same[0], other);
    assert_string_equal(base, other);
    for (size_t i = 0; i < sizeof different / sizeof *different; i++) {
        fingerprint_of(different[i], other);
        if (strcmp(base, other) == 0)
            fail_msg("case %zu does not change the fingerprint", i);
    }
}

/* The descriptor of kb.chunks (scope bot) the generator would emit, with `fields`. */
static tq_raw_collection_t kb_chunks(const tq_raw_field_t *fields, size_t field_count)
{
    static const char *const scopes[] = {"bot"};
    tq_raw_collection_t c;
    memset(&c, 0, sizeof c);
    c.schema = "kb";
    c.name = "chunks";
    c.vector_name = "embedding";
    c.dim = 4;
    c.distance = TQ_DISTANCE_COSINE;
    c.scope_fields = scopes;
    c.scope_count = 1;
    c.fields = fields;
    c.field_count = field_count;
    return c;
}

/* The runtime's tq_raw_fingerprint of the descriptor the generator would emit equals
 * the generator's value, so the header macro is what onboarding stamps. */
static void runtime_agrees(void **state)
{
    (void)state;
    static const tq_raw_field_t fields[] = {
        {"source", "keyword", 1, NULL},
        {"rank", "integer", 0, "priority"},
        {"tags", "keyword[]", 0, NULL},
    };
    tq_raw_collection_t c = kb_chunks(fields, 3);
    char runtime[TQ_FINGERPRINT_LEN + 1], generator[GEN_FINGERPRINT_LEN + 1], text[512];
    tq_detail_t d;
    assert_int_equal(tq_raw_fingerprint(&c, text, sizeof text, runtime, &d), TQ_OK);
    fingerprint_of(BASE, generator);
    assert_string_equal(runtime, generator);
    assert_non_null(strstr(text, "field rank integer\n"));
    /* a too small buffer says how much it needs; a bad descriptor is refused */
    assert_int_equal(tq_raw_fingerprint(&c, text, 10, runtime, &d), TQ_ELIMIT);
    assert_non_null(strstr(d.message, "needs"));
    assert_int_equal(tq_raw_fingerprint(&c, NULL, 0, runtime, &d), TQ_OK);
    static const tq_raw_field_t twice[] = {{"a", "keyword", 0, NULL}, {"a", "integer", 0, NULL}};
    c.fields = twice;
    c.field_count = 2;
    assert_int_equal(tq_raw_fingerprint(&c, NULL, 0, runtime, &d), TQ_EINVAL);
    static const tq_raw_field_t badtype[] = {{"a", "string", 0, NULL}};
    c.fields = badtype;
    c.field_count = 1;
    assert_int_equal(tq_raw_fingerprint(&c, NULL, 0, runtime, &d), TQ_EINVAL);
    static const tq_raw_field_t selfrename[] = {{"a", "keyword", 0, "a"}};
    c.fields = selfrename;
    assert_int_equal(tq_raw_fingerprint(&c, NULL, 0, runtime, &d), TQ_EINVAL);
}

/* The sparse vector: its name, modifier and text fields (in order) are in the shape;
 * fusion and group by are not. The runtime computes the same value from the descriptor
 * the generator would emit. */
static const char SPARSE[] = "schema kb version 1; collection chunks {"
                             " vector embedding dim 4 distance Cosine; scope bot;"
                             " sparse keywords from title, body; fusion rrf; group by source;"
                             " field source: keyword indexed; field title: text;"
                             " field body: text; ops get, hybrid, search_groups; }";

static void sparse_fingerprint(void **state)
{
    (void)state;
    tq_schema_t *s = load(SPARSE);
    char digest[GEN_FINGERPRINT_LEN + 1], other[GEN_FINGERPRINT_LEN + 1];
    char *shape = NULL;
    assert_int_equal(gen_fingerprint(s, &s->collections[0], digest, &shape), 0);
    assert_string_equal(shape, "tenantq-shape 1\n"
                               "vector embedding 4 Cosine\n"
                               "scope bot\n"
                               "sparse keywords idf title,body\n"
                               "field body text\n"
                               "field source keyword indexed\n"
                               "field title text\n");
    free(shape);
    tq_schema_free(s);
    /* query-time only: same fingerprint */
    fingerprint_of("schema kb version 1; collection chunks {"
                   " vector embedding dim 4 distance Cosine; scope bot;"
                   " sparse keywords from title, body; fusion dbsf;"
                   " field source: keyword indexed; field title: text;"
                   " field body: text; ops get, hybrid; }",
                   other);
    assert_string_equal(digest, other);
    static const char *const different[] = {
        /* no sparse vector, renamed, fields changed, fields reordered */
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; field source: keyword indexed; field title: text; field body: text;"
        " ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; sparse terms from title, body; field source: keyword indexed;"
        " field title: text; field body: text; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; sparse keywords from title; field source: keyword indexed;"
        " field title: text; field body: text; ops get; }",
        "schema kb version 1; collection chunks { vector embedding dim 4 distance Cosine;"
        " scope bot; sparse keywords from body, title; field source: keyword indexed;"
        " field title: text; field body: text; ops get; }",
    };
    for (size_t i = 0; i < sizeof different / sizeof *different; i++) {
        fingerprint_of(different[i], other);
        if (strcmp(digest, other) == 0)
            fail_msg("sparse case %zu does not change the fingerprint", i);
    }
    static const char *const sparse_fields[] = {"title", "body"};
    static const tq_raw_field_t fields[] = {
        {"source", "keyword", 1, NULL},
        {"title", "text", 0, NULL},
        {"body", "text", 0, NULL},
    };
    tq_raw_collection_t c = kb_chunks(fields, 3);
    c.sparse_name = "keywords";
    c.sparse_fields = sparse_fields;
    c.sparse_field_count = 2;
    c.fusion = TQ_FUSION_DBSF;
    c.group_field = "source";
    char runtime[TQ_FINGERPRINT_LEN + 1];
    tq_detail_t d;
    assert_int_equal(tq_raw_fingerprint(&c, NULL, 0, runtime, &d), TQ_OK);
    assert_string_equal(runtime, digest);
}

/* The breaking check on sparse changes the golden cases do not cover: the modifier
 * cannot change in the language, so the remaining case is a group by added. */
static void sparse_group_added(void **state)
{
    (void)state;
    gen_changes_t ch = compare(
        "schema kb version 2; collection chunks { vector embedding dim 4 distance Cosine;\n"
        "  scope bot; group by source; field source: keyword indexed;\n"
        "  field rank: integer was priority; field tags: keyword[] filterable;\n"
        "  ops upsert, get, count, search_groups; }\n"
        "collection notes { vector v dim 2 distance Dot; ops get; }\n");
    const gen_change_t *c = expect_change(&ch, "group_changed", GEN_SAFE);
    assert_non_null(strstr(c->message, "group by (none) -> source"));
    assert_int_equal(c->pos.line, 2);
    assert_int_equal(c->pos.col, 23); /* the field's name */
    expect_change(&ch, "op_added", GEN_SAFE);
    assert_int_equal(ch.count, 2);
    gen_changes_free(&ch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collections_and_schema),
        cmocka_unit_test(field_details),
        cmocka_unit_test(renames_and_revisions),
        cmocka_unit_test(vector_renamed),
        cmocka_unit_test(fingerprint_text),
        cmocka_unit_test(fingerprint_changes),
        cmocka_unit_test(runtime_agrees),
        cmocka_unit_test(sparse_fingerprint),
        cmocka_unit_test(sparse_group_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
