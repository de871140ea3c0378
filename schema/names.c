/* names.c: the C names a schema generates, and the checks that keep them unique.
 *
 * tenantq-gen joins names with '_' (schema "kb", collection "chunks", operation
 * "upsert" -> kb_chunks_upsert), so different declarations can produce the same C
 * identifier: a field "has_page" next to an integer field "page", or a collection whose
 * name ends like another's generated suffix. This file lists every identifier, struct
 * member and macro the generator emits (it must stay in step with codegen/) and reports
 * each name produced twice, plus the table of C and C++ reserved words. It only reads
 * the tree. */
#include "checks.h"

#include "diag.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* C11, C23 and C++ keywords, C++ alternative tokens, and lowercase names that C
 * library headers or compilers define as object-like macros. Sorted for bsearch. */
static const char *const RESERVED_WORDS[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool",
    "break", "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class",
    "co_await", "co_return", "co_yield", "compl", "complex", "concept", "const",
    "const_cast", "consteval", "constexpr", "constinit", "continue", "decltype",
    "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "errno",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "i386",
    "if", "imaginary", "inline", "int", "linux", "long", "mutable", "namespace", "new",
    "noexcept", "noreturn", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
    "private", "protected", "public", "register", "reinterpret_cast", "requires",
    "restrict", "return", "short", "signed", "sizeof", "static", "static_assert",
    "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
    "true", "try", "typedef", "typeid", "typename", "typeof", "typeof_unqual", "union",
    "unix", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor",
    "xor_eq"};

static int compare_words(const void *key, const void *item) {
    return strcmp((const char *)key, *(const char *const *)item);
}

int tqs_is_reserved_word(const char *name) {
    return bsearch(name, RESERVED_WORDS, sizeof RESERVED_WORDS / sizeof RESERVED_WORDS[0],
                   sizeof RESERVED_WORDS[0], compare_words) != NULL;
}

/* One generated name and the declaration it comes from. */
typedef struct cname {
    char *name;
    const char *origin_kind; /* "collection", "field", "schema", "built-in member" */
    const char *origin_name;
    tq_schema_pos_t pos;
    size_t seq;
} cname_t;

typedef struct cnames {
    const tq_schema_allocator_t *a;
    cname_t *items;
    size_t count;
    int nomem;
} cnames_t;

static void add(cnames_t *n, const char *kind, const char *origin, tq_schema_pos_t pos,
                const char *fmt, ...) TQS_PRINTF(5, 6);

/* Adds one name, formatted from `fmt`. Names are short (parts of at most
 * TQ_SCHEMA_NAME_MAX characters), so a fixed buffer holds them. */
static void add(cnames_t *n, const char *kind, const char *origin, tq_schema_pos_t pos,
                const char *fmt, ...) {
    char buf[4 * TQ_SCHEMA_NAME_MAX + 64];
    va_list args;
    cname_t *item;
    int len;
    if (n->nomem) return;
    va_start(args, fmt);
    len = vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    if (len < 0) return;
    item = tqs_push(n->a, (void **)&n->items, &n->count, sizeof *item);
    if (item == NULL) {
        n->nomem = 1;
        return;
    }
    item->name = tqs_strndup(n->a, buf, strlen(buf));
    if (item->name == NULL) {
        n->count--;
        n->nomem = 1;
        return;
    }
    item->origin_kind = kind;
    item->origin_name = origin;
    item->pos = pos;
    item->seq = n->count;
}

static int compare_cnames(const void *x, const void *y) {
    const cname_t *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c != 0) return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void clear(cnames_t *n) {
    size_t i;
    for (i = 0; i < n->count; i++) tqs_free(n->a, n->items[i].name);
    tqs_free(n->a, n->items);
    n->items = NULL;
    n->count = 0;
}

/* Reports each name that occurs more than once (at its second occurrence), then
 * empties the list. `space` says where the names live. Returns 0 or -1 (no memory). */
static int report_collisions(cnames_t *n, const char *space, tq_schema_diags_t *diags) {
    size_t i;
    int failed = n->nomem;
    if (!failed && n->count > 1) qsort(n->items, n->count, sizeof *n->items, compare_cnames);
    for (i = 1; i < n->count && !failed; i++) {
        const cname_t *first = &n->items[i - 1], *second = &n->items[i];
        if (strcmp(first->name, second->name) != 0) continue;
        if (i >= 2 && strcmp(n->items[i - 2].name, second->name) == 0) continue;
        if (tqs_diag(diags, TQ_SCHEMA_ERROR, second->pos,
                     "%s '%s' generates the C name '%s'%s, as %s '%s' does", second->origin_kind,
                     second->origin_name, second->name, space, first->origin_kind,
                     first->origin_name) != 0)
            failed = 1;
    }
    clear(n);
    return failed ? -1 : 0;
}

static void upper(char *dst, const char *src, size_t size) {
    size_t i;
    for (i = 0; i + 1 < size && src[i] != '\0'; i++)
        dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? (char)(src[i] - 'a' + 'A') : src[i];
    dst[i] = '\0';
}

/* File-scope names: functions, types, struct tags, statics and macros. */
static void add_global_names(cnames_t *n, const tq_schema_t *s) {
    static const char *const COLLECTION_SUFFIXES[] = {
        "collection", "indexes", "point", "point_t", "record", "record_from_raw",
        "record_t", "records", "records_free", "records_from_raw", "records_t",
        "scope_fields", "fields", "sparse_fields"};
    static const char *const FILTER_SUFFIXES[] = {"filter", "filter_build", "filter_t"};
    char up_schema[TQ_SCHEMA_NAME_MAX + 1], up_collection[TQ_SCHEMA_NAME_MAX + 1];
    size_t i, j;
    const char *S = "schema";
    upper(up_schema, s->name, sizeof up_schema);
    add(n, S, s->name, s->pos, "%s_onboard_tenant", s->name);
    add(n, S, s->name, s->pos, "%s_offboard_tenant", s->name);
    add(n, S, s->name, s->pos, "%s_set_detail", s->name);
    add(n, S, s->name, s->pos, "%s_copy_string", s->name);
    add(n, S, s->name, s->pos, "%s_free_strings", s->name);
    add(n, S, s->name, s->pos, "%s_SCHEMA_VERSION", up_schema);
    add(n, S, s->name, s->pos, "%s_TQ_H", up_schema);
    for (i = 0; i < s->collection_count; i++) {
        const tq_schema_collection_t *c = &s->collections[i];
        const char *C = "collection";
        upper(up_collection, c->name, sizeof up_collection);
        add(n, C, c->name, c->pos, "%s_%s_DIM", up_schema, up_collection);
        add(n, C, c->name, c->pos, "%s_%s_REVISION", up_schema, up_collection);
        add(n, C, c->name, c->pos, "%s_%s_FINGERPRINT", up_schema, up_collection);
        for (j = 0; j < sizeof COLLECTION_SUFFIXES / sizeof COLLECTION_SUFFIXES[0]; j++)
            add(n, C, c->name, c->pos, "%s_%s_%s", s->name, c->name, COLLECTION_SUFFIXES[j]);
        if (tq_schema_filterable_count(c) > 0)
            for (j = 0; j < sizeof FILTER_SUFFIXES / sizeof FILTER_SUFFIXES[0]; j++)
                add(n, C, c->name, c->pos, "%s_%s_%s", s->name, c->name, FILTER_SUFFIXES[j]);
        for (j = 0; j < TQ_SCHEMA_OP_LAST; j++)
            if (tq_schema_has_op(c, (tq_schema_op_t)j))
                add(n, C, c->name, c->pos, "%s_%s_%s", s->name, c->name,
                    tq_schema_op_name((tq_schema_op_t)j));
    }
}

/* Members of the point (input) or record (output) struct of `c`. */
static void add_value_members(cnames_t *n, const tq_schema_collection_t *c, int record) {
    static const char *const POINT_BUILTINS[] = {"key", "vector", "vector_len"};
    static const char *const RECORD_BUILTINS[] = {"key", "score", "vector", "vector_dim"};
    const char *const *builtins = record ? RECORD_BUILTINS : POINT_BUILTINS;
    size_t builtin_count = record ? 4 : 3, i;
    tq_schema_pos_t none = {0, 0};
    for (i = 0; i < builtin_count; i++)
        add(n, "built-in member", builtins[i], none, "%s", builtins[i]);
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        add(n, "field", f->name, f->pos, "%s", f->name);
        switch (f->type) {
        case TQ_SCHEMA_INTEGER:
        case TQ_SCHEMA_FLOAT:
        case TQ_SCHEMA_BOOL:
            add(n, "field", f->name, f->pos, "has_%s", f->name);
            break;
        case TQ_SCHEMA_KEYWORD_ARRAY:
        case TQ_SCHEMA_INTEGER_ARRAY:
            add(n, "field", f->name, f->pos, "%s_count", f->name);
            break;
        default:
            break;
        }
    }
}

static void add_filter_members(cnames_t *n, const tq_schema_collection_t *c) {
    size_t i;
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        int equal = 0, any = 0, range = 0;
        if (!tq_schema_field_filterable(f)) continue;
        switch (f->type) {
        case TQ_SCHEMA_KEYWORD: equal = any = 1; break;
        case TQ_SCHEMA_INTEGER: equal = any = range = 1; break;
        case TQ_SCHEMA_FLOAT:
        case TQ_SCHEMA_DATETIME: range = 1; break;
        default: equal = 1; break;
        }
        if (equal) add(n, "field", f->name, f->pos, "%s", f->name);
        if (any) add(n, "field", f->name, f->pos, "%s_any", f->name);
        if (any) add(n, "field", f->name, f->pos, "%s_any_count", f->name);
        if (range) add(n, "field", f->name, f->pos, "%s_gte", f->name);
        if (range) add(n, "field", f->name, f->pos, "%s_lte", f->name);
    }
}

int tq_schema_each_c_name(const tq_schema_t *schema, void (*fn)(void *ctx, const char *name),
                          void *ctx) {
    cnames_t n;
    size_t i;
    memset(&n, 0, sizeof n);
    n.a = &schema->allocator;
    add_global_names(&n, schema);
    if (n.nomem) {
        clear(&n);
        return -1;
    }
    for (i = 0; i < n.count; i++) fn(ctx, n.items[i].name);
    clear(&n);
    return 0;
}

int tqs_check_mangled_names(const tq_schema_t *schema, tq_schema_diags_t *diags) {
    cnames_t n;
    size_t i;
    char space[3 * TQ_SCHEMA_NAME_MAX + 64];
    memset(&n, 0, sizeof n);
    n.a = &diags->allocator;
    add_global_names(&n, schema);
    if (report_collisions(&n, "", diags) != 0) return -1;
    for (i = 0; i < schema->collection_count; i++) {
        const tq_schema_collection_t *c = &schema->collections[i];
        snprintf(space, sizeof space, " in %s_%s_point_t", schema->name, c->name);
        add_value_members(&n, c, 0);
        if (report_collisions(&n, space, diags) != 0) return -1;
        snprintf(space, sizeof space, " in %s_%s_record_t", schema->name, c->name);
        add_value_members(&n, c, 1);
        if (report_collisions(&n, space, diags) != 0) return -1;
        snprintf(space, sizeof space, " in %s_%s_filter_t", schema->name, c->name);
        add_filter_members(&n, c);
        if (report_collisions(&n, space, diags) != 0) return -1;
    }
    return 0;
}
