/* result.c: turns a Qdrant points response into a tq_raw_result_t, and runs the leak
 * guard over every point before anything is handed out.
 *
 * Input is untrusted: sizes, depth and point counts are bounded, every type is checked,
 * and any point whose tq_tenant, scope values or id derivation is not the caller's
 * fails the whole call with TQ_ELEAK. On any failure the caller gets no data at all.
 * The detail never carries another tenant's values, only the collection and point id.
 *
 * A points answer is read in one pass (jscan.c) that validates all of it and records
 * where each point's members are, with no tree: the guard reads the payload in place,
 * and each point keeps its payload as validated text for the typed accessors. Members
 * that JSON lets appear twice are refused where they matter (see scan_answer and
 * guard_point), so no second copy can pass the guard while another is read. */
#include "result.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"
#include "jscan.h"
#include "text.h"
#include "uuid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct tq_raw_point {
    char id[TQ_UUID_STR_LEN + 1];
    char *key;
    double score;
    float *vector;
    size_t dim;
    char *payload; /* the point's payload object as validated JSON text */
    size_t payload_len;
};

void tq_raw_result_free(tq_raw_result_t *result)
{
    if (!result)
        return;
    for (size_t i = 0; i < result->count; i++) {
        tq_free(result->points[i].key);
        tq_free(result->points[i].vector);
        tq_free(result->points[i].payload);
    }
    tq_free(result->points);
    memset(result, 0, sizeof *result);
}

const tq_raw_point_t *tq_raw_result_point(const tq_raw_result_t *result, size_t i)
{
    if (!result || i >= result->count)
        return NULL;
    return &result->points[i];
}

const char *tq_raw_point_key(const tq_raw_point_t *point)
{
    return point ? point->key : NULL;
}

double tq_raw_point_score(const tq_raw_point_t *point)
{
    return point ? point->score : 0.0;
}

const float *tq_raw_point_vector(const tq_raw_point_t *point, size_t *dim)
{
    if (dim)
        *dim = point && point->vector ? point->dim : 0;
    return point ? point->vector : NULL;
}

/* ---- one pass over a points answer ------------------------------------------------ */

/* Where one point's members start in the answer (NULL when absent). */
typedef struct point_span {
    int is_object;
    const char *id, *score, *payload, *payload_end, *vector;
    const char *key;         /* the payload's tq_key, found by the leak guard */
    unsigned char uuid[16];  /* the id, parsed by the leak guard */
} point_span_t;

/* What the scan of a whole answer found. */
typedef struct answer {
    tq_jscan_t s;
    point_span_t *points;
    size_t count, stored, cap, max_stored;
    const char *next;   /* result.next_page_offset, or NULL */
    int results, points_seen; /* how often result and result.points appear */
    int has_points;     /* result is an object holding a points array */
    int repeated;       /* a member the parser reads appears twice */
    int not_object;     /* a point is not an object */
    int out_of_memory;
} answer_t;

/* Records *slot = value, or notes the repeat. */
static void note_member(answer_t *a, const char **slot, const char *value)
{
    if (*slot)
        a->repeated = 1;
    else
        *slot = value;
}

/* Validates one point (depth: containers open around it) and records its members. */
static const char *scan_point(answer_t *a, const char *p, int depth)
{
    point_span_t span;
    memset(&span, 0, sizeof span);
    if (*p != '{') {
        a->not_object = 1;
        p = tq_jscan_value(&a->s, p, depth);
    } else if (depth + 1 > a->s.max_depth) {
        a->s.too_deep = 1;
        return NULL;
    } else {
        span.is_object = 1;
        tq_jmember_t m;
        int first = 1, more;
        p++;
        while (p && (more = tq_jscan_member(&a->s, &p, &first, &m)) == 1) {
            const char **slot = tq_jscan_key_is(&m, "id")        ? &span.id
                                : tq_jscan_key_is(&m, "score")   ? &span.score
                                : tq_jscan_key_is(&m, "payload") ? &span.payload
                                : tq_jscan_key_is(&m, "vector")  ? &span.vector
                                                                 : NULL;
            if (slot)
                note_member(a, slot, m.value);
            p = tq_jscan_value(&a->s, m.value, depth + 1);
            if (slot == &span.payload && span.payload == m.value)
                span.payload_end = p;
        }
        if (p && more != 0)
            p = NULL;
    }
    if (!p)
        return NULL;
    a->count++;
    if (a->stored < a->max_stored) {
        if (a->stored == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 16;
            point_span_t *grown = tq_grow(a->points, a->cap * sizeof *grown, cap * sizeof *grown);
            if (!grown) {
                a->out_of_memory = 1;
                return p;
            }
            a->points = grown;
            a->cap = cap;
        }
        a->points[a->stored++] = span;
    }
    return p;
}

static const char *scan_points(answer_t *a, const char *p, int depth)
{
    if (*p != '[')
        return tq_jscan_value(&a->s, p, depth);
    if (depth + 1 > a->s.max_depth) {
        a->s.too_deep = 1;
        return NULL;
    }
    int first = 1, more;
    p++;
    while (p && (more = tq_jscan_element(&a->s, &p, &first)) == 1)
        p = scan_point(a, p, depth + 1);
    return p && more == 0 ? p : NULL;
}

static const char *scan_result_member(answer_t *a, const tq_jmember_t *m, const char *p, int depth)
{
    if (tq_jscan_key_is(m, "points")) {
        a->repeated |= a->points_seen++ > 0;
        a->has_points = *p == '[';
        return scan_points(a, p, depth);
    }
    if (tq_jscan_key_is(m, "next_page_offset"))
        note_member(a, &a->next, p);
    return tq_jscan_value(&a->s, p, depth);
}

/* Reads one member of an object (its value at `p`), returning the byte after it. */
typedef const char *(*scan_member_fn)(answer_t *a, const tq_jmember_t *m, const char *p,
                                      int depth);

/* An object at `p` whose member values go to `each` (anything else is validated). */
static const char *scan_object(answer_t *a, const char *p, int depth, scan_member_fn each)
{
    if (*p != '{')
        return tq_jscan_value(&a->s, p, depth);
    if (depth + 1 > a->s.max_depth) {
        a->s.too_deep = 1;
        return NULL;
    }
    tq_jmember_t m;
    int first = 1, more;
    p++;
    while (p && (more = tq_jscan_member(&a->s, &p, &first, &m)) == 1)
        p = each(a, &m, m.value, depth + 1);
    return p && more == 0 ? p : NULL;
}

static const char *scan_root_member(answer_t *a, const tq_jmember_t *m, const char *p, int depth)
{
    if (!tq_jscan_key_is(m, "result"))
        return tq_jscan_value(&a->s, p, depth);
    a->repeated |= a->results++ > 0;
    return scan_object(a, p, depth, scan_result_member);
}

/* Writes the id at `id` (a string or a number) for messages, at most 40 bytes. */
static void id_text(const char *id, const char *end, char *out, size_t cap)
{
    char buf[256];
    size_t len;
    double v;
    if (id && *id == '"' && tq_jscan_string(id, end, buf, sizeof buf, &len) == 0)
        tq_text_sanitize(out, cap < 41 ? cap : 41, buf, len);
    else if (id && *id != '"' && tq_jscan_number(id, end, &v) == 0)
        snprintf(out, cap, "%.0f", v);
    else if (id && *id == '"')
        tq_text_sanitize(out, cap < 41 ? cap : 41, id + 1, 40);
    else
        snprintf(out, cap, "(none)");
}

/* A leak guard refusal: "leak guard: collection C point ID: WHY" (the id is formatted
 * only here, on the refusal path). */
static tq_status_t guard_refuse(const point_span_t *pt, const char *end, const tq_guard_t *g,
                                const char *why, tq_detail_t *detail)
{
    char idbuf[48];
    id_text(pt->id, end, idbuf, sizeof idbuf);
    return tq_fail(detail, TQ_ELEAK, 0, "leak guard: collection %s point %s: %s", g->collection,
                   idbuf, why);
}

/* The decoded string at `p` in out[cap] when it is a string without NUL bytes. */
static int plain_string(const char *p, const char *end, char *out, size_t cap)
{
    size_t len;
    return p && *p == '"' && tq_jscan_string(p, end, out, cap, &len) == 0 &&
           strlen(out) == len;
}

/* The leak guard for one point: its payload's tq_tenant and scope values are the
 * caller's, each present once, and its id is the one derived from the caller's tenant,
 * scope and the point's tq_key. */
static tq_status_t guard_point(point_span_t *pt, const char *end, const tq_guard_t *g,
                               tq_detail_t *detail)
{
    if (!pt->payload || *pt->payload != '{')
        return guard_refuse(pt, end, g, "no payload to verify", detail);
    const char *tenant = NULL, *key = NULL, *scopes[8] = {NULL};
    tq_jscan_t s = {.end = pt->payload_end, .max_depth = g->max_depth};
    tq_jmember_t m;
    int first = 1, repeated = 0;
    const char *p = pt->payload + 1;
    while (tq_jscan_member(&s, &p, &first, &m) == 1) {
        const char **slot = tq_jscan_key_is(&m, TQ_FIELD_TENANT) ? &tenant
                            : tq_jscan_key_is(&m, TQ_FIELD_KEY)  ? &key
                                                                 : NULL;
        for (size_t i = 0; !slot && i < g->scope_count && i < 8; i++)
            if (tq_jscan_key_is(&m, g->scope_fields[i]))
                slot = &scopes[i];
        if (slot) {
            repeated |= *slot != NULL;
            *slot = m.value;
        }
        p = tq_jscan_value(&s, m.value, 0);
        if (!p)
            return guard_refuse(pt, end, g, "malformed payload", detail);
    }
    if (repeated)
        return guard_refuse(pt, end, g, "the payload repeats a tenant, key or scope field",
                            detail);
    /* The key and the id, which read_point copies out once the checks below pass. */
    char key_text[TQ_KEY_MAX + 1], id[TQ_UUID_STR_LEN + 1];
    int located = plain_string(key, end, key_text, sizeof key_text) &&
                  plain_string(pt->id, end, id, sizeof id) && tq_uuid_parse(id, pt->uuid) == 0;
    pt->key = located ? key : NULL;
    if (!tenant || *tenant != '"' || !tq_jscan_string_is(tenant, end, g->tenant))
        return guard_refuse(pt, end, g, "tq_tenant is not the caller's tenant", detail);
    for (size_t i = 0; i < g->scope_count; i++) {
        if (i >= 8 || !scopes[i] || *scopes[i] != '"' ||
            !tq_jscan_string_is(scopes[i], end, g->scope_values[i])) {
            char why[128];
            snprintf(why, sizeof why, "scope %s is not the caller's", g->scope_fields[i]);
            return guard_refuse(pt, end, g, why, detail);
        }
    }
    if (!located)
        return guard_refuse(pt, end, g, "no tq_key or UUID id to verify", detail);
    unsigned char want[16];
    tq_status_t st = tq_point_id_bytes(g->tenant, g->logical, g->scope_values, g->scope_count,
                                       key_text, want);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot derive a point id");
    if (memcmp(pt->uuid, want, 16) != 0)
        return guard_refuse(pt, end, g,
                            "id is not derived from the caller's tenant and the point's key",
                            detail);
    return TQ_OK;
}

/* Copies the requested named vector (or a bare array); absent or null is fine,
 * anything else must be `dim` numbers (TQ_EPROTO). */
static tq_status_t read_vector(const point_span_t *pt, const char *end, const tq_guard_t *g,
                               tq_raw_point_t *dst, tq_detail_t *detail)
{
    tq_jscan_t s = {.end = end, .max_depth = g->max_depth};
    const char *v = pt->vector;
    if (!v || *v == 'n')
        return TQ_OK;
    if (*v == '{') {
        tq_jmember_t m;
        int first = 1;
        const char *p = v + 1, *named = NULL;
        while (!named && tq_jscan_member(&s, &p, &first, &m) == 1) {
            if (tq_jscan_key_is(&m, g->vector_name))
                named = m.value;
            else
                p = tq_jscan_value(&s, m.value, 0);
        }
        v = named;
    }
    size_t n = 0;
    int numeric = 1, first = 1;
    const char *p = v ? v + 1 : NULL;
    while (v && *v == '[' && tq_jscan_element(&s, &p, &first) == 1) {
        numeric &= *p == '-' || (*p >= '0' && *p <= '9');
        p = tq_jscan_value(&s, p, 0);
        n++;
    }
    if (!v || *v != '[' || n != g->dim)
        return tq_fail(detail, TQ_EPROTO, 0,
                       "collection %s point %s: vector \"%s\" missing or not of length %u",
                       g->collection, dst->id, g->vector_name, g->dim);
    if (!numeric)
        return tq_fail(detail, TQ_EPROTO, 0, "collection %s point %s: non-numeric vector",
                       g->collection, dst->id);
    dst->vector = tq_calloc(g->dim, sizeof *dst->vector);
    if (!dst->vector)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    dst->dim = g->dim;
    first = 1;
    p = v + 1;
    for (size_t i = 0; i < n && tq_jscan_element(&s, &p, &first) == 1; i++) {
        double x = 0;
        if (tq_jscan_number(p, end, &x) != 0)
            return tq_fail(detail, TQ_EPROTO, 0,
                           "collection %s point %s: a vector number is too long",
                           g->collection, dst->id);
        dst->vector[i] = (float)x;
        p = tq_jscan_value(&s, p, 0);
    }
    return TQ_OK;
}

/* Copies one guarded point out of the answer (id, key, score, vector, the payload's
 * text). The leak guard has already accepted it. */
static tq_status_t read_point(const point_span_t *pt, const char *end, const tq_guard_t *g,
                              tq_parse_kind_t kind, tq_raw_point_t *dst, tq_detail_t *detail)
{
    char key[TQ_KEY_MAX + 1] = "";
    if (pt->key)
        plain_string(pt->key, end, key, sizeof key);
    tq_uuid_format(pt->uuid, dst->id);
    if (kind == TQ_PARSE_QUERY &&
        (!pt->score || *pt->score == '"' || tq_jscan_number(pt->score, end, &dst->score) != 0))
        return tq_fail(detail, TQ_EPROTO, 0, "collection %s point %s: no score", g->collection,
                       dst->id);
    dst->key = tq_strdup(key);
    if (!dst->key)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = read_vector(pt, end, g, dst, detail);
    if (st != TQ_OK)
        return st;
    /* The payload stays text, already validated; the typed accessors read it. */
    dst->payload_len = (size_t)(pt->payload_end - pt->payload);
    dst->payload = tq_malloc(dst->payload_len + 1);
    if (!dst->payload)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    memcpy(dst->payload, pt->payload, dst->payload_len);
    dst->payload[dst->payload_len] = '\0';
    return TQ_OK;
}

/* next_page_offset: null or absent gives "", a UUID is lowercased, else TQ_EPROTO. */
static tq_status_t read_cursor(const char *next, const char *end, tq_raw_result_t *r,
                               tq_detail_t *detail)
{
    char text[TQ_UUID_STR_LEN + 1];
    unsigned char bytes[16];
    if (!next || *next == 'n')
        return TQ_OK;
    if (!plain_string(next, end, text, sizeof text) || tq_uuid_parse(text, bytes) != 0)
        return tq_fail(detail, TQ_EPROTO, 0, "next_page_offset is not a UUID");
    for (size_t i = 0; i < TQ_UUID_STR_LEN; i++) {
        char c = text[i];
        r->next_cursor[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
    }
    r->next_cursor[TQ_UUID_STR_LEN] = '\0';
    return TQ_OK;
}

/* Validates the whole answer in one pass and records where its points are; the status
 * says what is wrong with it as a whole (syntax, depth, shape, size). */
static tq_status_t scan_answer(const char *body, size_t len, const tq_guard_t *g, answer_t *a,
                               tq_detail_t *detail)
{
    memset(a, 0, sizeof *a);
    a->s.end = body + len;
    a->s.max_depth = g->max_depth;
    a->max_stored = g->max_results;
    const char *p = tq_jscan_ws(&a->s, body);
    p = p < a->s.end ? scan_object(a, p, 0, scan_root_member) : NULL;
    if (p && tq_jscan_ws(&a->s, p) != a->s.end)
        p = NULL;
    if (!p && a->s.too_deep)
        return tq_fail(detail, TQ_ELIMIT, 0,
                       "response JSON nests deeper than max_json_depth (%d)", g->max_depth);
    if (!p)
        return tq_fail(detail, TQ_EPROTO, 0, "response is not valid JSON");
    if (a->out_of_memory)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (!a->has_points)
        return tq_fail(detail, TQ_EPROTO, 0, "collection %s: answer has no result.points array",
                       g->collection);
    if (a->count > g->max_results)
        return tq_fail(detail, TQ_ELIMIT, 0,
                       "collection %s: answer holds %zu points, more than max_results (%zu)",
                       g->collection, a->count, g->max_results);
    if (a->repeated)
        return tq_fail(detail, TQ_EPROTO, 0,
                       "collection %s: the answer repeats a member (result, points, "
                       "next_page_offset, or a point's id, score, payload or vector)",
                       g->collection);
    if (a->not_object)
        return tq_fail(detail, TQ_EPROTO, 0, "collection %s: a point is not an object",
                       g->collection);
    return TQ_OK;
}

tq_status_t tq_result_parse(const char *body, size_t len, tq_parse_kind_t kind,
                            const tq_guard_t *g, tq_raw_result_t *out, tq_detail_t *detail)
{
    tq_raw_result_t r;
    memset(&r, 0, sizeof r);
    answer_t a;
    const char *end = body + len;
    tq_status_t st = scan_answer(body, len, g, &a, detail);
    /* Every point passes the guard before any is copied out. */
    for (size_t i = 0; st == TQ_OK && i < a.stored; i++)
        st = guard_point(&a.points[i], end, g, detail);
    if (st == TQ_OK && kind == TQ_PARSE_SCROLL)
        st = read_cursor(a.next, end, &r, detail);
    if (st == TQ_OK && !(r.points = tq_calloc(a.stored ? a.stored : 1, sizeof *r.points)))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    for (size_t i = 0; st == TQ_OK && i < a.stored; i++) {
        r.count++;
        st = read_point(&a.points[i], end, g, kind, &r.points[r.count - 1], detail);
    }
    if (st == TQ_OK) {
        *out = r;
        memset(&r, 0, sizeof r);
    }
    tq_raw_result_free(&r);
    tq_free(a.points);
    return st;
}

/* Reads result.<member> as a number or bool. */
static tq_status_t result_member(const char *body, size_t len, int max_depth, const char *member,
                                 int want_bool, double *out, tq_detail_t *detail)
{
    cJSON *root = NULL;
    tq_status_t st = tq_json_parse_limited(body, len, max_depth, &root, detail);
    if (st != TQ_OK)
        return st;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "result"), member);
    if (want_bool ? !cJSON_IsBool(v) : !cJSON_IsNumber(v))
        st = tq_fail(detail, TQ_EPROTO, 0, "answer has no result.%s", member);
    else
        *out = want_bool ? (cJSON_IsTrue(v) ? 1.0 : 0.0) : v->valuedouble;
    cJSON_Delete(root);
    return st;
}

tq_status_t tq_count_parse(const char *body, size_t len, int max_depth, uint64_t *out,
                           tq_detail_t *detail)
{
    double v = 0;
    tq_status_t st = result_member(body, len, max_depth, "count", 0, &v, detail);
    if (st != TQ_OK)
        return st;
    if (!(v >= 0.0 && v <= 9007199254740992.0) || floor(v) != v)
        return tq_fail(detail, TQ_EPROTO, 0, "result.count is not a non-negative integer");
    *out = (uint64_t)v;
    return TQ_OK;
}

tq_status_t tq_exists_parse(const char *body, size_t len, int max_depth, int *out,
                            tq_detail_t *detail)
{
    double v = 0;
    tq_status_t st = result_member(body, len, max_depth, "exists", 1, &v, detail);
    if (st == TQ_OK)
        *out = v != 0.0;
    return st;
}

/* ---- payload accessors ---- */

/* Looks `field` up in the payload text (the first member of that name, as the guard
 * made sure the reserved ones are unique): TQ_OK with *present = 0 when absent or null;
 * TQ_OK with *value at the value when present and of `kind` ('"' string, 'n' number,
 * 'b' bool, '[' array); TQ_EPROTO for another type; TQ_EINVAL for NULL arguments
 * (`dst` is the caller's out-pointer, checked only for NULL). */
static tq_status_t typed_field(const tq_raw_point_t *point, const char *field, const void *dst,
                               char kind, const char **value, int *present)
{
    if (!point || !field || !present || !dst)
        return TQ_EINVAL;
    *present = 0;
    if (!point->payload)
        return TQ_OK;
    tq_jscan_t s = {.end = point->payload + point->payload_len, .max_depth = 1000};
    tq_jmember_t m;
    const char *p = point->payload + 1, *v = NULL;
    int first = 1;
    while (!v && tq_jscan_member(&s, &p, &first, &m) == 1) {
        if (tq_jscan_key_is(&m, field))
            v = m.value;
        else if (!(p = tq_jscan_value(&s, m.value, 0)))
            return TQ_EPROTO;
    }
    if (!v || *v == 'n')
        return TQ_OK;
    *present = 1;
    char got = *v == '"' || *v == '[' ? *v : *v == 't' || *v == 'f' ? 'b' : *v == '{' ? '{' : 'n';
    if (got != kind)
        return TQ_EPROTO;
    *value = v;
    return TQ_OK;
}

static const char *payload_end(const tq_raw_point_t *point)
{
    return point->payload + point->payload_len;
}

/* A tq_malloc'd copy of the string at `v` (decoded); NULL when out of memory. */
static char *string_copy(const tq_raw_point_t *point, const char *v)
{
    /* Decoding never lengthens: every escape is at least as long as its UTF-8. */
    const char *end = payload_end(point);
    size_t raw = 0, len = 0;
    int escaped = 0;
    while (v + 1 + raw < end && v[1 + raw] != '"') {
        escaped |= v[1 + raw] == '\\';
        raw += v[1 + raw] == '\\' ? 2 : 1;
    }
    char *out = tq_malloc(raw + 1);
    if (out && (escaped ? tq_jscan_string(v, end, out, raw + 1, &len) != 0 : 0)) {
        tq_free(out);
        return NULL;
    }
    if (out && !escaped) {
        memcpy(out, v + 1, raw);
        out[raw] = '\0';
    }
    return out;
}

static int as_int64(const tq_raw_point_t *point, const char *v, int64_t *out)
{
    double d = 0;
    if (tq_jscan_number(v, payload_end(point), &d) != 0)
        return 0;
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || floor(d) != d)
        return 0;
    *out = (int64_t)d;
    return 1;
}

tq_status_t tq_raw_point_keyword(const tq_raw_point_t *point, const char *field, char **out,
                                 int *present)
{
    const char *v = NULL;
    tq_status_t st = typed_field(point, field, out, '"', &v, present);
    if (st != TQ_OK || !*present)
        return st;
    *out = string_copy(point, v);
    return *out ? TQ_OK : TQ_ENOMEM;
}

tq_status_t tq_raw_point_int(const tq_raw_point_t *point, const char *field, int64_t *out,
                             int *present)
{
    const char *v = NULL;
    tq_status_t st = typed_field(point, field, out, 'n', &v, present);
    if (st != TQ_OK || !*present)
        return st;
    return as_int64(point, v, out) ? TQ_OK : TQ_EPROTO;
}

tq_status_t tq_raw_point_float(const tq_raw_point_t *point, const char *field, double *out,
                               int *present)
{
    const char *v = NULL;
    tq_status_t st = typed_field(point, field, out, 'n', &v, present);
    if (st == TQ_OK && *present && tq_jscan_number(v, payload_end(point), out) != 0)
        st = TQ_EPROTO;
    return st;
}

tq_status_t tq_raw_point_bool(const tq_raw_point_t *point, const char *field, int *out,
                              int *present)
{
    const char *v = NULL;
    tq_status_t st = typed_field(point, field, out, 'b', &v, present);
    if (st == TQ_OK && *present)
        *out = *v == 't';
    return st;
}

/* The elements of the array at `v`: their count, and whether all are of `kind`
 * ('"' strings, 'n' numbers). */
static size_t array_count(const tq_raw_point_t *point, const char *v, char kind, int *all)
{
    tq_jscan_t s = {.end = payload_end(point), .max_depth = 1000};
    const char *p = v + 1;
    int first = 1;
    size_t n = 0;
    *all = 1;
    while (p && tq_jscan_element(&s, &p, &first) == 1) {
        *all &= kind == '"' ? *p == '"' : (*p == '-' || (*p >= '0' && *p <= '9'));
        p = tq_jscan_value(&s, p, 0);
        n++;
    }
    return n;
}

/* Moves *p to the next element of the array (validated text); 0 at its end. */
static int next_element(const tq_raw_point_t *point, const char **p, int *first)
{
    tq_jscan_t s = {.end = payload_end(point), .max_depth = 1000};
    if (!*first && !(*p = tq_jscan_value(&s, *p, 0)))
        return 0;
    return tq_jscan_element(&s, p, first) == 1;
}

tq_status_t tq_raw_point_keyword_array(const tq_raw_point_t *point, const char *field,
                                       char ***out, size_t *count, int *present)
{
    const char *v = NULL;
    if (!count)
        return TQ_EINVAL;
    tq_status_t st = typed_field(point, field, out, '[', &v, present);
    if (st != TQ_OK || !*present)
        return st;
    int all = 0;
    size_t n = array_count(point, v, '"', &all), i = 0;
    if (!all)
        return TQ_EPROTO;
    char **items = tq_calloc(n ? n : 1, sizeof *items);
    if (!items)
        return TQ_ENOMEM;
    const char *p = v + 1;
    int first = 1;
    while (i < n && next_element(point, &p, &first)) {
        items[i] = string_copy(point, p);
        if (!items[i]) {
            while (i > 0)
                tq_free(items[--i]);
            tq_free(items);
            return TQ_ENOMEM;
        }
        i++;
    }
    *out = items;
    *count = n;
    return TQ_OK;
}

tq_status_t tq_raw_point_int_array(const tq_raw_point_t *point, const char *field,
                                   int64_t **out, size_t *count, int *present)
{
    const char *v = NULL;
    if (!count)
        return TQ_EINVAL;
    tq_status_t st = typed_field(point, field, out, '[', &v, present);
    if (st != TQ_OK || !*present)
        return st;
    int all = 0;
    size_t n = array_count(point, v, 'n', &all), i = 0;
    if (!all)
        return TQ_EPROTO;
    int64_t *items = tq_calloc(n ? n : 1, sizeof *items);
    if (!items)
        return TQ_ENOMEM;
    const char *p = v + 1;
    int first = 1;
    while (i < n && next_element(point, &p, &first)) {
        if (!as_int64(point, p, &items[i++])) {
            tq_free(items);
            return TQ_EPROTO;
        }
    }
    *out = items;
    *count = n;
    return TQ_OK;
}
