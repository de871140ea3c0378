/* signatures.c: the types every unit gives each external function, compared across
 * units once all are analysed. A function declared `tenant_ctx_t *make(void)` in one
 * unit and defined `void *make(void)` in another hands its callers a context made from
 * whatever the definition returns, and no single unit shows it; the same holds for a
 * parameter declared `long` and defined `tenant_ctx_t *`. Such a mismatch, when either
 * side involves a tenant context, is TQ004 at the definition.
 *
 * Each distinct (name, type) is kept once, in a hash table guarded by the session lock.
 * Functions without a prototype (K&R `f()`) are compared by their result type only. */
#include "analyze.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct signature {
    char *name;
    char *result;  /* canonical result type */
    char *params;  /* canonical parameter types, or NULL without a prototype */
    int has_ctx;
    int definition;
    const tqc_file_t *file;
    unsigned line, column, end_column;
} signature_t;

static signature_t *table;
static size_t table_cap, table_count;

static size_t hash_text(size_t h, const char *s)
{
    while (s && *s) {
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    }
    return h;
}

static size_t signature_hash(const char *name, const char *result, const char *params,
                             int definition)
{
    size_t h = hash_text(1469598103934665603u, name);
    h = hash_text(h ^ 1, result);
    h = hash_text(h ^ 2, params ? params : "<no prototype>");
    return h ^ (size_t)definition;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int table_grow(void)
{
    size_t cap = table_cap ? table_cap * 2 : 1024;
    signature_t *grown = calloc(cap, sizeof *grown);
    if (!grown) {
        return -1;
    }
    for (size_t i = 0; i < table_cap; i++) {
        if (table[i].name) {
            size_t j = signature_hash(table[i].name, table[i].result, table[i].params,
                                      table[i].definition) & (cap - 1);
            while (grown[j].name) {
                j = (j + 1) & (cap - 1);
            }
            grown[j] = table[i];
        }
    }
    free(table);
    table = grown;
    table_cap = cap;
    return 0;
}

static char *canonical_spelling(CXType t)
{
    CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
    const char *text = clang_getCString(s);
    char *copy = strdup(text ? text : "");
    clang_disposeString(s);
    return copy;
}

/* The parameter list "(T1, T2)" of a prototype, or NULL (also on OOM, with *oom set). */
static char *parameter_list(CXType fn, int *oom)
{
    int n = clang_getNumArgTypes(fn);
    if (n < 0) {
        return NULL;
    }
    char *list = strdup("(");
    for (int i = 0; list && i < n; i++) {
        char *arg = canonical_spelling(clang_getArgType(fn, (unsigned)i));
        char *next = arg ? tqc_format("%s%s%s", list, i ? ", " : "", arg) : NULL;
        free(arg);
        free(list);
        list = next;
    }
    const char *tail = clang_isFunctionTypeVariadic(fn) == 1 ? (n ? ", ..." : "...")
                                                            : (n ? "" : "void");
    char *closed = list ? tqc_format("%s%s)", list, tail) : NULL;
    free(list);
    *oom = closed == NULL;
    return closed;
}

void tqc_signature_record(tqc_tu_t *t, CXCursor fn)
{
    if (clang_getCursorLinkage(fn) != CXLinkage_External) {
        return;
    }
    tqc_loc_t loc;
    if (!tqc_cursor_loc(t, fn, &loc)) {
        return;
    }
    CXType type = clang_getCursorType(fn);
    int oom = 0;
    char name[256];
    tqc_spelling(fn, name, sizeof name);
    char *result = canonical_spelling(clang_getResultType(type));
    char *params = parameter_list(type, &oom);
    if (!result || oom) {
        t->failed = 1;
        free(result);
        free(params);
        return;
    }
    int definition = clang_isCursorDefinition(fn) != 0;
    int has_ctx = strstr(result, "struct tenant_ctx") ||
                  (params && strstr(params, "struct tenant_ctx"));
    pthread_mutex_lock(&t->s->lock);
    if ((table_count + 1) * 2 > table_cap && table_grow() != 0) {
        t->failed = 1;
        goto done;
    }
    size_t i = signature_hash(name, result, params, definition) & (table_cap - 1);
    for (; table[i].name; i = (i + 1) & (table_cap - 1)) {
        if (strcmp(table[i].name, name) == 0 && strcmp(table[i].result, result) == 0 &&
            same(table[i].params, params) && table[i].definition == definition) {
            goto done; /* seen: the first position is kept */
        }
    }
    signature_t *sig = &table[i];
    if (!(sig->name = strdup(name))) {
        t->failed = 1;
        goto done;
    }
    sig->result = result;
    sig->params = params;
    result = params = NULL;
    sig->has_ctx = has_ctx;
    sig->definition = definition;
    sig->file = loc.file;
    sig->line = loc.line;
    sig->column = loc.column;
    sig->end_column = loc.line == loc.end_line ? loc.end_column : loc.column + 1;
    table_count++;
done:
    pthread_mutex_unlock(&t->s->lock);
    free(result);
    free(params);
}

static int differ(const signature_t *a, const signature_t *b)
{
    if (strcmp(a->result, b->result) != 0) {
        return 1;
    }
    return a->params && b->params && strcmp(a->params, b->params) != 0;
}

static int by_name(const void *a, const void *b)
{
    const signature_t *x = *(const signature_t *const *)a;
    const signature_t *y = *(const signature_t *const *)b;
    return strcmp(x->name, y->name);
}

void tqc_signatures_compare(tqc_session_t *s)
{
    signature_t **all = calloc(table_count ? table_count : 1, sizeof *all);
    if (!all) {
        s->out_of_memory = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < table_cap; i++) {
        if (table[i].name) {
            all[n++] = &table[i];
        }
    }
    qsort(all, n, sizeof *all, by_name);
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && strcmp(all[end]->name, all[start]->name) == 0; end++) {
        }
        for (size_t d = start; d < end; d++) {
            const signature_t *def = all[d];
            for (size_t k = start; def->definition && k < end; k++) {
                const signature_t *decl = all[k];
                if (decl->definition || !(decl->has_ctx || def->has_ctx) || !differ(def, decl)) {
                    continue;
                }
                tqc_finding_add(s, TQC_TQ004, def->file, def->line, def->column, def->line,
                                def->end_column,
                                "'%s' is defined here returning '%s' with parameters %s but "
                                "declared at %s:%u returning '%s' with parameters %s; callers "
                                "receive or pass a tenant context the other side does not have",
                                def->name, def->result, def->params ? def->params : "()",
                                decl->file->display, decl->line, decl->result,
                                decl->params ? decl->params : "()");
                break;
            }
        }
    }
    free(all);
}

void tqc_signatures_free(void)
{
    for (size_t i = 0; i < table_cap; i++) {
        free(table[i].name);
        free(table[i].result);
        free(table[i].params);
    }
    free(table);
    table = NULL;
    table_cap = table_count = 0;
}
