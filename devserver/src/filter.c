/* filter.c: the Filter language of Qdrant, parsed strictly and evaluated per point.
 *
 * Parsing mirrors serde: unknown keys inside a Filter or a condition are a 400
 * "Format error", a FieldCondition without any condition is a 422 "Validation error".
 * Evaluation follows query_checker.rs: must = all, should = any (so `should: []`
 * matches nothing), must_not = none, min_should = at least min_count; a missing key
 * fails every match, arrays match when any element does. Parsed trees live in the
 * request arena and point into the request JSON; nothing here allocates with malloc.
 */
#include "filter.h"

#include "path.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FILTER_DEPTH 32

typedef enum { C_FIELD, C_HAS_ID, C_IS_EMPTY, C_IS_NULL, C_HAS_VECTOR, C_NESTED, C_FILTER } ckind_t;
typedef enum { M_NONE, M_VALUE, M_ANY, M_EXCEPT, M_TEXT, M_TEXT_ANY, M_PHRASE, M_PREFIX } mkind_t;

typedef struct bound4 {
    int has[4]; /* gt, gte, lt, lte */
    double v[4];
    int datetime;
} bound4_t;

typedef struct cond {
    ckind_t kind;
    const char *key;
    mkind_t match;
    const cJSON *mval;
    int has_range;
    bound4_t range;
    int has_count;
    bound4_t count;
    int is_empty; /* -1 unset, else required value */
    int is_null;
    ds_point_id_t *ids;
    size_t n_ids;
    ds_filter_t *sub;
} cond_t;

typedef struct clause {
    int present;
    cond_t *c;
    size_t n;
} clause_t;

struct ds_filter {
    clause_t must, should, must_not, min_should;
    size_t min_count;
};

typedef struct pctx {
    ds_arena_t *arena;
    int *status;
    char *msg;
    size_t len;
    int depth;
} pctx_t;

static void *perr(pctx_t *p, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *perr(pctx_t *p, int status, const char *fmt, ...)
{
    char tmp[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    *p->status = status;
    if (status == 422)
        snprintf(p->msg, p->len, "Validation error in JSON body: %s", tmp);
    else
        snprintf(p->msg, p->len, "Format error in JSON body: %s", tmp);
    return NULL;
}

static ds_filter_t *parse_filter(pctx_t *p, const cJSON *node);

static int parse_bounds(pctx_t *p, const cJSON *node, bound4_t *b, int allow_dt)
{
    static const char *names[4] = {"gt", "gte", "lt", "lte"};
    if (!cJSON_IsObject(node)) {
        perr(p, 400, "invalid type: expected a range object");
        return -1;
    }
    for (const cJSON *k = node->child; k; k = k->next) {
        int i;
        for (i = 0; i < 4; i++)
            if (strcmp(k->string, names[i]) == 0)
                break;
        if (i == 4) {
            perr(p, 400, "unknown field `%s`, expected one of `lt`, `gt`, `gte`, `lte`", k->string);
            return -1;
        }
        if (cJSON_IsNull(k))
            continue;
        if (cJSON_IsNumber(k)) {
            b->v[i] = k->valuedouble;
        } else if (allow_dt && cJSON_IsString(k) && ds_datetime_parse(k->valuestring, &b->v[i])) {
            b->datetime = 1;
        } else {
            perr(p, 400, "invalid value for range bound `%s`", k->string);
            return -1;
        }
        b->has[i] = 1;
    }
    return 0;
}

static int parse_match(pctx_t *p, const cJSON *m, cond_t *c)
{
    if (!cJSON_IsObject(m) || !m->child || m->child->next) {
        perr(p, 400, "data did not match any variant of untagged enum Match");
        return -1;
    }
    const cJSON *v = m->child;
    const char *k = v->string;
    if (strcmp(k, "value") == 0) {
        if (!cJSON_IsString(v) && !cJSON_IsBool(v) &&
            !(cJSON_IsNumber(v) && !(v->type & DS_JSON_FLOAT))) {
            perr(p, 400, "data did not match any variant of untagged enum ValueVariants");
            return -1;
        }
        c->match = M_VALUE;
    } else if (strcmp(k, "any") == 0 || strcmp(k, "except") == 0) {
        if (!cJSON_IsArray(v)) {
            perr(p, 400, "data did not match any variant of untagged enum AnyVariants");
            return -1;
        }
        int strings = 0, ints = 0;
        for (const cJSON *e = v->child; e; e = e->next) {
            if (cJSON_IsString(e))
                strings = 1;
            else if (cJSON_IsNumber(e) && !(e->type & DS_JSON_FLOAT))
                ints = 1;
            else
                strings = ints = 1;
        }
        if (strings && ints) {
            perr(p, 400, "data did not match any variant of untagged enum AnyVariants");
            return -1;
        }
        c->match = k[0] == 'a' ? M_ANY : M_EXCEPT;
    } else if (strcmp(k, "text") == 0 || strcmp(k, "text_any") == 0 || strcmp(k, "phrase") == 0 ||
               strcmp(k, "prefix") == 0) {
        if (!cJSON_IsString(v)) {
            perr(p, 400, "invalid type: expected a string for match `%s`", k);
            return -1;
        }
        c->match = strcmp(k, "text") == 0       ? M_TEXT
                   : strcmp(k, "text_any") == 0 ? M_TEXT_ANY
                   : strcmp(k, "phrase") == 0   ? M_PHRASE
                                                : M_PREFIX;
    } else {
        perr(p, 400, "data did not match any variant of untagged enum Match");
        return -1;
    }
    c->mval = v;
    return 0;
}

static int only_keys(pctx_t *p, const cJSON *node, const char *const *allowed, const char *expect)
{
    for (const cJSON *k = node->child; k; k = k->next) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            ok |= strcmp(k->string, allowed[i]) == 0;
        if (!ok) {
            char tmp[300];
            snprintf(tmp, sizeof tmp, "unknown field `%.100s`, expected %s", k->string, expect);
            perr(p, 400, "%s", tmp);
            return -1;
        }
    }
    return 0;
}

static int parse_key_object(pctx_t *p, const cJSON *node, const char **key)
{
    static const char *const allowed[] = {"key", NULL};
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(node, "key");
    if (!cJSON_IsObject(node) || !cJSON_IsString(k)) {
        perr(p, 400, "missing field `key`");
        return -1;
    }
    if (only_keys(p, node, allowed, "`key`") != 0)
        return -1;
    *key = k->valuestring;
    return 0;
}

static int parse_field(pctx_t *p, const cJSON *node, cond_t *c)
{
    static const char *const allowed[] = {
        "key",         "match",        "range",    "geo_bounding_box", "geo_radius",
        "geo_polygon", "values_count", "is_empty", "is_null",          NULL};
    if (only_keys(p, node, allowed,
                  "one of `key`, `match`, `range`, `geo_bounding_box`, `geo_radius`, "
                  "`geo_polygon`, `values_count`, `is_empty`, `is_null`") != 0)
        return -1;
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(node, "key");
    if (!cJSON_IsString(key)) {
        perr(p, 400, "invalid type: expected a string for `key`");
        return -1;
    }
    c->kind = C_FIELD;
    c->key = key->valuestring;
    c->is_empty = c->is_null = -1;
    int any = 0;
    for (const cJSON *k = node->child; k; k = k->next) {
        if (cJSON_IsNull(k) || strcmp(k->string, "key") == 0)
            continue;
        if (strcmp(k->string, "match") == 0) {
            if (parse_match(p, k, c) != 0)
                return -1;
        } else if (strcmp(k->string, "range") == 0) {
            if (parse_bounds(p, k, &c->range, 1) != 0)
                return -1;
            c->has_range = 1;
        } else if (strcmp(k->string, "values_count") == 0) {
            if (parse_bounds(p, k, &c->count, 0) != 0)
                return -1;
            c->has_count = 1;
        } else if (strcmp(k->string, "is_empty") == 0 || strcmp(k->string, "is_null") == 0) {
            if (!cJSON_IsBool(k)) {
                perr(p, 400, "invalid type: expected a boolean for `%s`", k->string);
                return -1;
            }
            if (k->string[3] == 'e')
                c->is_empty = cJSON_IsTrue(k);
            else
                c->is_null = cJSON_IsTrue(k);
        } else {
            *p->status = 400;
            snprintf(p->msg, p->len,
                     "Bad request: geo conditions are not supported by tenantq-devserver");
            return -1;
        }
        any = 1;
    }
    if (!any) {
        perr(p, 422, "At least one field condition must be specified");
        return -1;
    }
    return 0;
}

static int parse_cond(pctx_t *p, const cJSON *node, cond_t *c)
{
    memset(c, 0, sizeof *c);
    if (!cJSON_IsObject(node)) {
        perr(p, 400, "data did not match any variant of untagged enum Condition");
        return -1;
    }
    if (cJSON_GetObjectItemCaseSensitive(node, "key"))
        return parse_field(p, node, c);
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "has_id"))) {
        static const char *const allowed[] = {"has_id", NULL};
        if (only_keys(p, node, allowed, "`has_id`") != 0)
            return -1;
        if (!cJSON_IsArray(v)) {
            perr(p, 400, "invalid type: expected a sequence for `has_id`");
            return -1;
        }
        size_t n = (size_t)cJSON_GetArraySize(v);
        c->kind = C_HAS_ID;
        c->ids = ds_arena_alloc(p->arena, (n ? n : 1) * sizeof *c->ids);
        if (!c->ids) {
            perr(p, 400, "filter too large");
            return -1;
        }
        for (const cJSON *e = v->child; e; e = e->next) {
            if (!ds_id_from_json(e, &c->ids[c->n_ids])) {
                ds_id_error(e, p->msg, p->len);
                *p->status = 400;
                return -1;
            }
            c->n_ids++;
        }
        return 0;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "is_empty")) ||
        (v = cJSON_GetObjectItemCaseSensitive(node, "is_null"))) {
        const char *which = v->string;
        const char *const allowed[] = {which, NULL};
        if (only_keys(p, node, allowed, which[3] == 'e' ? "`is_empty`" : "`is_null`") != 0 ||
            parse_key_object(p, v, &c->key) != 0)
            return -1;
        c->kind = which[3] == 'e' ? C_IS_EMPTY : C_IS_NULL;
        return 0;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "has_vector"))) {
        static const char *const allowed[] = {"has_vector", NULL};
        if (only_keys(p, node, allowed, "`has_vector`") != 0)
            return -1;
        if (!cJSON_IsString(v)) {
            perr(p, 400, "invalid type: expected a string for `has_vector`");
            return -1;
        }
        c->kind = C_HAS_VECTOR;
        c->key = v->valuestring;
        return 0;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "nested"))) {
        static const char *const allowed[] = {"nested", NULL};
        static const char *const inner[] = {"key", "filter", NULL};
        if (only_keys(p, node, allowed, "`nested`") != 0)
            return -1;
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(v, "key");
        const cJSON *flt = cJSON_GetObjectItemCaseSensitive(v, "filter");
        if (!cJSON_IsObject(v) || !cJSON_IsString(key) || !flt) {
            perr(p, 400, "missing field `key` or `filter` in `nested`");
            return -1;
        }
        if (only_keys(p, v, inner, "`key`, `filter`") != 0)
            return -1;
        c->kind = C_NESTED;
        c->key = key->valuestring;
        c->sub = parse_filter(p, flt);
        return c->sub ? 0 : -1;
    }
    c->kind = C_FILTER;
    c->sub = parse_filter(p, node);
    return c->sub ? 0 : -1;
}

static int parse_clause(pctx_t *p, const cJSON *node, clause_t *cl)
{
    if (!node || cJSON_IsNull(node))
        return 0;
    cl->present = 1;
    size_t n = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 1;
    cl->c = ds_arena_alloc(p->arena, (n ? n : 1) * sizeof *cl->c);
    if (!cl->c) {
        perr(p, 400, "filter too large");
        return -1;
    }
    if (!cJSON_IsArray(node)) {
        cl->n = 1;
        return parse_cond(p, node, &cl->c[0]);
    }
    for (const cJSON *e = node->child; e; e = e->next)
        if (parse_cond(p, e, &cl->c[cl->n++]) != 0)
            return -1;
    return 0;
}

static ds_filter_t *parse_filter(pctx_t *p, const cJSON *node)
{
    static const char *const allowed[] = {"must", "should", "must_not", "min_should", NULL};
    if (p->depth >= MAX_FILTER_DEPTH)
        return perr(p, 400, "filter nesting too deep");
    if (!cJSON_IsObject(node))
        return perr(p, 400, "invalid type: expected struct Filter");
    if (only_keys(p, node, allowed, "one of `should`, `min_should`, `must`, `must_not`") != 0)
        return NULL;
    ds_filter_t *f = ds_arena_alloc(p->arena, sizeof *f);
    if (!f)
        return perr(p, 400, "filter too large");
    p->depth++;
    if (parse_clause(p, cJSON_GetObjectItemCaseSensitive(node, "must"), &f->must) != 0 ||
        parse_clause(p, cJSON_GetObjectItemCaseSensitive(node, "should"), &f->should) != 0 ||
        parse_clause(p, cJSON_GetObjectItemCaseSensitive(node, "must_not"), &f->must_not) != 0)
        return NULL;
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(node, "min_should");
    if (ms && !cJSON_IsNull(ms)) {
        static const char *const ms_keys[] = {"conditions", "min_count", NULL};
        const cJSON *conds = cJSON_GetObjectItemCaseSensitive(ms, "conditions");
        const cJSON *count = cJSON_GetObjectItemCaseSensitive(ms, "min_count");
        uint64_t mc;
        if (!cJSON_IsObject(ms) || only_keys(p, ms, ms_keys, "`conditions`, `min_count`") != 0)
            return *p->status ? NULL : perr(p, 400, "invalid type for `min_should`");
        if (!cJSON_IsArray(conds) || !ds_json_u64(count, &mc))
            return perr(p, 400, "missing field `conditions` or `min_count`");
        if (parse_clause(p, conds, &f->min_should) != 0)
            return NULL;
        f->min_count = (size_t)mc;
    }
    p->depth--;
    return f;
}

ds_filter_t *ds_filter_parse(ds_arena_t *arena, const cJSON *node, int *status, char *msg,
                             size_t len)
{
    pctx_t p = {arena, status, msg, len, 0};
    *status = 0;
    if (!node || cJSON_IsNull(node))
        return NULL;
    ds_filter_t *f = parse_filter(&p, node);
    if (!f && *status == 0)
        perr(&p, 400, "invalid filter");
    return f;
}

/* ---- evaluation ---- */

typedef struct target {
    const ds_collection_t *col;
    const ds_point_t *point; /* NULL inside nested */
    const cJSON *payload;
} target_t;

static int filter_eval(const ds_filter_t *f, const target_t *t);

static int is_int(const cJSON *v, int64_t *out)
{
    return ds_json_i64(v, out);
}

static int value_in_list(const cJSON *v, const cJSON *list)
{
    int64_t iv;
    for (const cJSON *e = list->child; e; e = e->next) {
        if (cJSON_IsString(e) && cJSON_IsString(v) && strcmp(e->valuestring, v->valuestring) == 0)
            return 1;
        int64_t ev;
        if (cJSON_IsNumber(e) && is_int(v, &iv) && is_int(e, &ev) && iv == ev)
            return 1;
    }
    return 0;
}

static int contains_word(const char *hay, const char *word, size_t wl)
{
    for (const char *s = hay; *s; s++)
        if (strncmp(s, word, wl) == 0)
            return 1;
    return 0;
}

/* ---- full-text matching with a text index ---- */

#define MAX_TOKENS 512
#define MAX_TOKEN_BYTES 128

/* How a `text` payload index tokenizes (TextIndexParams; Qdrant's defaults: word
 * tokenizer, lowercase, no length limits). */
typedef struct tokenizer {
    int whitespace; /* split on whitespace only */
    int prefix;     /* a document token matches a query token it starts with */
    int lowercase;
    uint64_t min_len, max_len; /* in characters; max 0 = none */
} tokenizer_t;

typedef struct tokens {
    char text[MAX_TOKENS][MAX_TOKEN_BYTES];
    size_t n;
} tokens_t;

static int word_byte(unsigned char ch, int whitespace)
{
    if (whitespace)
        return !(ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v');
    /* Qdrant's word tokenizer splits on characters that are not alphanumeric; every
     * non-ASCII character is kept as part of a word here. */
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch >= 0x80;
}

static void tokenize(const tokenizer_t *tk, const char *s, tokens_t *out)
{
    out->n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && out->n < MAX_TOKENS) {
        while (*p && !word_byte(*p, tk->whitespace))
            p++;
        const unsigned char *start = p;
        size_t chars = 0;
        while (*p && word_byte(*p, tk->whitespace)) {
            chars += (*p & 0xC0) != 0x80;
            p++;
        }
        size_t len = (size_t)(p - start);
        if (len == 0 || len >= MAX_TOKEN_BYTES || chars < tk->min_len ||
            (tk->max_len && chars > tk->max_len))
            continue;
        char *t = out->text[out->n++];
        for (size_t i = 0; i < len; i++)
            t[i] = tk->lowercase && start[i] < 0x80 ? (char)tolower(start[i]) : (char)start[i];
        t[len] = '\0';
    }
}

static int token_eq(const tokenizer_t *tk, const char *doc, const char *query)
{
    return tk->prefix ? strncmp(doc, query, strlen(query)) == 0 : strcmp(doc, query) == 0;
}

static int has_token(const tokenizer_t *tk, const tokens_t *doc, const char *query)
{
    for (size_t i = 0; i < doc->n; i++)
        if (token_eq(tk, doc->text[i], query))
            return 1;
    return 0;
}

/* The tokenizer of a `text` index on `key`, or 0 when there is none (then Qdrant
 * matches `text` as a substring). */
static int text_index(const ds_collection_t *col, const char *key, tokenizer_t *tk)
{
    const ds_index_t *idx = col ? ds_collection_index(col, key) : NULL;
    if (!idx || strcmp(idx->type, "text") != 0)
        return 0;
    memset(tk, 0, sizeof *tk);
    tk->lowercase = 1;
    const cJSON *pr = idx->params;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(pr, "tokenizer");
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(pr, "lowercase");
    if (cJSON_IsString(t)) {
        tk->whitespace = strcmp(t->valuestring, "whitespace") == 0;
        tk->prefix = strcmp(t->valuestring, "prefix") == 0;
    }
    if (cJSON_IsBool(lc))
        tk->lowercase = cJSON_IsTrue(lc);
    ds_json_u64(cJSON_GetObjectItemCaseSensitive(pr, "min_token_len"), &tk->min_len);
    ds_json_u64(cJSON_GetObjectItemCaseSensitive(pr, "max_token_len"), &tk->max_len);
    return 1;
}

/* text (every query token), text_any (some token) or phrase (the tokens in a row). */
static int text_match(const tokenizer_t *tk, mkind_t kind, const char *doc_text, const char *query)
{
    static _Thread_local tokens_t doc, q;
    tokenize(tk, doc_text, &doc);
    tokenize(tk, query, &q);
    if (kind == M_TEXT_ANY) {
        for (size_t i = 0; i < q.n; i++)
            if (has_token(tk, &doc, q.text[i]))
                return 1;
        return 0;
    }
    if (kind == M_PHRASE) {
        for (size_t start = 0; start + q.n <= doc.n; start++) {
            size_t i = 0;
            while (i < q.n && token_eq(tk, doc.text[start + i], q.text[i]))
                i++;
            if (i == q.n)
                return 1;
        }
        return 0;
    }
    for (size_t i = 0; i < q.n; i++)
        if (!has_token(tk, &doc, q.text[i]))
            return 0;
    return 1;
}

static int match_one(const cond_t *c, const cJSON *v, const ds_collection_t *col)
{
    const cJSON *m = c->mval;
    tokenizer_t tk;
    if ((c->match == M_TEXT || c->match == M_TEXT_ANY || c->match == M_PHRASE) &&
        text_index(col, c->key, &tk))
        return cJSON_IsString(v) && text_match(&tk, c->match, v->valuestring, m->valuestring);
    switch (c->match) {
    case M_VALUE: {
        if (cJSON_IsString(m))
            return cJSON_IsString(v) && strcmp(m->valuestring, v->valuestring) == 0;
        if (cJSON_IsBool(m))
            return cJSON_IsBool(v) && cJSON_IsTrue(m) == cJSON_IsTrue(v);
        int64_t a, b;
        return is_int(v, &a) && is_int(m, &b) && a == b;
    }
    case M_ANY: return value_in_list(v, m);
    case M_EXCEPT: return !cJSON_IsNull(v) && !value_in_list(v, m);
    case M_TEXT:
    case M_PHRASE: return cJSON_IsString(v) && strstr(v->valuestring, m->valuestring) != NULL;
    case M_PREFIX:
        return cJSON_IsString(v) &&
               strncmp(v->valuestring, m->valuestring, strlen(m->valuestring)) == 0;
    case M_TEXT_ANY: {
        if (!cJSON_IsString(v))
            return 0;
        const char *w = m->valuestring;
        while (*w) {
            while (*w == ' ')
                w++;
            size_t wl = strcspn(w, " ");
            if (wl && contains_word(v->valuestring, w, wl))
                return 1;
            w += wl;
        }
        return 0;
    }
    case M_NONE: break;
    }
    return 1;
}

static int bounds_ok(const bound4_t *b, double x)
{
    return (!b->has[0] || x > b->v[0]) && (!b->has[1] || x >= b->v[1]) &&
           (!b->has[2] || x < b->v[2]) && (!b->has[3] || x <= b->v[3]);
}

static int field_eval(const cond_t *c, const cJSON *payload, const ds_collection_t *col)
{
    const cJSON *vals[DS_PATH_MAX_VALUES];
    size_t n = ds_path_values(payload, c->key, vals, DS_PATH_MAX_VALUES);
    if (c->match != M_NONE) {
        int ok = 0;
        for (size_t i = 0; i < n && !ok; i++)
            ok = match_one(c, vals[i], col);
        if (!ok)
            return 0;
    }
    if (c->has_range) {
        int ok = 0;
        for (size_t i = 0; i < n && !ok; i++) {
            double x;
            if (c->range.datetime) {
                if (cJSON_IsString(vals[i]) && ds_datetime_parse(vals[i]->valuestring, &x))
                    ok = bounds_ok(&c->range, x);
            } else if (cJSON_IsNumber(vals[i])) {
                ok = bounds_ok(&c->range, vals[i]->valuedouble);
            }
        }
        if (!ok)
            return 0;
    }
    if (c->has_count && !bounds_ok(&c->count, (double)n))
        return 0;
    if (c->is_empty >= 0) {
        int nonnull = 0;
        for (size_t i = 0; i < n; i++)
            nonnull |= !cJSON_IsNull(vals[i]);
        if ((!nonnull) != c->is_empty)
            return 0;
    }
    if (c->is_null >= 0) {
        int isnull = 0;
        for (size_t i = 0; i < n; i++)
            isnull |= cJSON_IsNull(vals[i]);
        if (isnull != c->is_null)
            return 0;
    }
    return 1;
}

static int cond_eval(const cond_t *c, const target_t *t)
{
    switch (c->kind) {
    case C_FIELD: return field_eval(c, t->payload, t->point ? t->col : NULL);
    case C_HAS_ID:
        if (!t->point)
            return 0;
        for (size_t i = 0; i < c->n_ids; i++)
            if (ds_id_equal(&c->ids[i], &t->point->id))
                return 1;
        return 0;
    case C_IS_EMPTY:
    case C_IS_NULL: {
        cond_t fc = *c;
        fc.kind = C_FIELD;
        fc.match = M_NONE;
        fc.is_empty = c->kind == C_IS_EMPTY ? 1 : -1;
        fc.is_null = c->kind == C_IS_NULL ? 1 : -1;
        return field_eval(&fc, t->payload, NULL);
    }
    case C_HAS_VECTOR: {
        if (!t->point)
            return 0;
        int s = ds_collection_space(t->col, c->key);
        if (s < 0) {
            s = ds_collection_sparse(t->col, c->key);
            return s >= 0 && (t->point->sparse_mask >> s) & 1u;
        }
        return (t->point->vec_mask >> s) & 1u;
    }
    case C_NESTED: {
        const cJSON *vals[DS_PATH_MAX_VALUES];
        size_t n = ds_path_values(t->payload, c->key, vals, DS_PATH_MAX_VALUES);
        for (size_t i = 0; i < n; i++) {
            target_t sub = {t->col, NULL, vals[i]};
            if (cJSON_IsObject(vals[i]) && filter_eval(c->sub, &sub))
                return 1;
        }
        return 0;
    }
    case C_FILTER: return filter_eval(c->sub, t);
    }
    return 0;
}

static int filter_eval_skip(const ds_filter_t *f, const target_t *t, const void *known)
{
    for (size_t i = 0; i < f->must.n; i++)
        if ((const void *)&f->must.c[i] != known && !cond_eval(&f->must.c[i], t))
            return 0;
    for (size_t i = 0; i < f->must_not.n; i++)
        if (cond_eval(&f->must_not.c[i], t))
            return 0;
    if (f->should.present) {
        int any = 0;
        for (size_t i = 0; i < f->should.n && !any; i++)
            any = cond_eval(&f->should.c[i], t);
        if (!any)
            return 0;
    }
    if (f->min_should.present) {
        size_t hits = 0;
        for (size_t i = 0; i < f->min_should.n && hits < f->min_count; i++)
            hits += (size_t)cond_eval(&f->min_should.c[i], t);
        if (hits < f->min_count)
            return 0;
    }
    return 1;
}

static int filter_eval(const ds_filter_t *f, const target_t *t)
{
    return filter_eval_skip(f, t, NULL);
}

int ds_filter_match(const ds_filter_t *f, const ds_collection_t *col, const ds_point_t *p)
{
    return ds_filter_match_skip(f, col, p, NULL);
}

int ds_filter_match_skip(const ds_filter_t *f, const ds_collection_t *col, const ds_point_t *p,
                         const void *known)
{
    if (!f)
        return 1;
    target_t t = {col, p, p->payload};
    return filter_eval_skip(f, &t, known);
}

/* 1 if the filter has clauses other than `must`. */
static int has_rest(const ds_filter_t *f)
{
    return f->should.present || f->must_not.present || f->min_should.present;
}

ds_filter_t *ds_filter_and(ds_arena_t *arena, const ds_filter_t *a, const ds_filter_t *b)
{
    if (!a || !b)
        return (ds_filter_t *)(a ? a : b);
    size_t n = a->must.n + b->must.n + (size_t)has_rest(a) + (size_t)has_rest(b);
    ds_filter_t *f = ds_arena_alloc(arena, sizeof *f);
    cond_t *c = ds_arena_alloc(arena, (n ? n : 1) * sizeof *c);
    if (!f || !c)
        return NULL;
    size_t k = 0;
    const ds_filter_t *parts[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        /* The must conditions move up unchanged (so a tenant condition stays where
         * ds_filter_tenant_value finds it); the other clauses stay together. */
        for (size_t j = 0; j < parts[i]->must.n; j++)
            c[k++] = parts[i]->must.c[j];
        if (has_rest(parts[i])) {
            ds_filter_t *rest = ds_arena_alloc(arena, sizeof *rest);
            if (!rest)
                return NULL;
            *rest = *parts[i];
            rest->must = (clause_t){0, NULL, 0};
            c[k] = (cond_t){.kind = C_FILTER, .sub = rest};
            k++;
        }
    }
    f->must = (clause_t){1, c, k};
    return f;
}

int ds_filter_only(const ds_filter_t *f, const void *known)
{
    return f && known && f->must.n == 1 && (const void *)&f->must.c[0] == known &&
           f->must_not.n == 0 && !f->should.present && !f->min_should.present;
}

const char *ds_filter_tenant_value(const ds_filter_t *f, const char *field, const void **cond)
{
    if (!f)
        return NULL;
    for (size_t i = 0; i < f->must.n; i++) {
        const cond_t *c = &f->must.c[i];
        if (c->kind == C_FIELD && c->match == M_VALUE && cJSON_IsString(c->mval) &&
            strcmp(c->key, field) == 0) {
            *cond = c;
            return c->mval->valuestring;
        }
    }
    return NULL;
}

static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return 0;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 1;
}

/* Days since 1970-01-01 for a proleptic Gregorian date. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ds_datetime_parse(const char *s, double *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    double frac = 0;
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    long offset = 0;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || h > 23 || mi > 59)
            return 0;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec) || sec > 60)
                return 0;
            if (*s == '.') {
                s++;
                double scale = 0.1;
                if (*s < '0' || *s > '9')
                    return 0;
                while (*s >= '0' && *s <= '9') {
                    frac += (*s++ - '0') * scale;
                    scale /= 10;
                }
            }
        }
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            int sign = *s++ == '-' ? -1 : 1, oh, om;
            if (!digits(&s, 2, &oh))
                return 0;
            if (*s == ':')
                s++;
            if (!digits(&s, 2, &om))
                return 0;
            offset = sign * (oh * 3600L + om * 60L);
        }
    }
    if (*s)
        return 0;
    *out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac -
           (double)offset;
    return 1;
}
