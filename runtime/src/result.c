/* result.c: turns a Qdrant points response into a tq_raw_result_t, and runs the leak
 * guard over every point before anything is handed out.
 *
 * Input is untrusted: sizes, depth and point counts are bounded, every type is checked,
 * and any point whose tq_tenant, scope values or id derivation is not the caller's
 * fails the whole call with TQ_ELEAK. On any failure the caller gets no data at all.
 * The detail never carries another tenant's values, only the collection and point id. */
#include "result.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"
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
    cJSON *payload;
};

void tq_raw_result_free(tq_raw_result_t *result)
{
    if (!result)
        return;
    for (size_t i = 0; i < result->count; i++) {
        tq_free(result->points[i].key);
        tq_free(result->points[i].vector);
        cJSON_Delete(result->points[i].payload);
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

/* Writes the id text of `id` (string or number) for messages. */
static void id_text(const cJSON *id, char *out, size_t cap)
{
    if (cJSON_IsString(id))
        snprintf(out, cap, "%.40s", id->valuestring);
    else if (cJSON_IsNumber(id))
        snprintf(out, cap, "%.0f", id->valuedouble);
    else
        snprintf(out, cap, "(none)");
}

static int string_equals(const cJSON *item, const char *want)
{
    return cJSON_IsString(item) && strcmp(item->valuestring, want) == 0;
}

/* A leak guard refusal: "leak guard: collection C point ID: WHY" (the id is formatted
 * only here, on the refusal path). */
static tq_status_t guard_refuse(const cJSON *id, const tq_guard_t *g, const char *why,
                                tq_detail_t *detail)
{
    char idbuf[48];
    id_text(id, idbuf, sizeof idbuf);
    return tq_fail(detail, TQ_ELEAK, 0, "leak guard: collection %s point %s: %s", g->collection,
                   idbuf, why);
}

/* The leak guard for one point. */
static tq_status_t guard_point(const cJSON *p, const tq_guard_t *g, tq_detail_t *detail)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(p, "payload");
    if (!cJSON_IsObject(payload))
        return guard_refuse(id, g, "no payload to verify", detail);
    if (!string_equals(cJSON_GetObjectItemCaseSensitive(payload, TQ_FIELD_TENANT), g->tenant))
        return guard_refuse(id, g, "tq_tenant is not the caller's tenant", detail);
    for (size_t i = 0; i < g->scope_count; i++) {
        if (!string_equals(cJSON_GetObjectItemCaseSensitive(payload, g->scope_fields[i]),
                           g->scope_values[i])) {
            char why[128];
            snprintf(why, sizeof why, "scope %s is not the caller's", g->scope_fields[i]);
            return guard_refuse(id, g, why, detail);
        }
    }
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(payload, TQ_FIELD_KEY);
    unsigned char got[16], want[16];
    if (!cJSON_IsString(key) || !cJSON_IsString(id) || tq_uuid_parse(id->valuestring, got) != 0)
        return guard_refuse(id, g, "no tq_key or UUID id to verify", detail);
    tq_status_t st = tq_point_id_bytes(g->tenant, g->logical, g->scope_values, g->scope_count,
                                       key->valuestring, want);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot derive a point id");
    if (memcmp(got, want, 16) != 0)
        return guard_refuse(id, g,
                            "id is not derived from the caller's tenant and the point's key",
                            detail);
    return TQ_OK;
}

/* Copies the requested named vector (or a bare array); absent or null is fine,
 * anything else must be `dim` numbers (TQ_EPROTO). */
static tq_status_t read_vector(const cJSON *p, const tq_guard_t *g, tq_raw_point_t *dst,
                               tq_detail_t *detail)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "vector");
    if (!v || cJSON_IsNull(v))
        return TQ_OK;
    if (cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, g->vector_name);
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != (int)g->dim)
        return tq_fail(detail, TQ_EPROTO, 0,
                       "collection %s point %s: vector \"%s\" missing or not of length %u",
                       g->collection, dst->id, g->vector_name, g->dim);
    dst->vector = tq_calloc(g->dim, sizeof *dst->vector);
    if (!dst->vector)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    dst->dim = g->dim;
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, v)
    {
        if (!cJSON_IsNumber(x))
            return tq_fail(detail, TQ_EPROTO, 0, "collection %s point %s: non-numeric vector",
                           g->collection, dst->id);
        dst->vector[i++] = (float)x->valuedouble;
    }
    return TQ_OK;
}

/* Copies one guarded point out of the parsed answer (id, key, score, vector) and
 * detaches its payload. The leak guard has already accepted it. */
static tq_status_t read_point(cJSON *p, const tq_guard_t *g, tq_parse_kind_t kind,
                              tq_raw_point_t *dst, tq_detail_t *detail)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(p, "payload"), TQ_FIELD_KEY);
    unsigned char bytes[16];
    tq_uuid_parse(id->valuestring, bytes);
    tq_uuid_format(bytes, dst->id);
    if (kind == TQ_PARSE_QUERY) {
        const cJSON *score = cJSON_GetObjectItemCaseSensitive(p, "score");
        if (!cJSON_IsNumber(score))
            return tq_fail(detail, TQ_EPROTO, 0, "collection %s point %s: no score",
                           g->collection, dst->id);
        dst->score = score->valuedouble;
    }
    dst->key = tq_strdup(key->valuestring);
    if (!dst->key)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = read_vector(p, g, dst, detail);
    if (st != TQ_OK)
        return st;
    dst->payload = cJSON_DetachItemFromObjectCaseSensitive(p, "payload");
    return TQ_OK;
}

/* next_page_offset: null or absent gives "", a UUID is lowercased, else TQ_EPROTO. */
static tq_status_t read_cursor(const cJSON *result, tq_raw_result_t *r, tq_detail_t *detail)
{
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(result, "next_page_offset");
    unsigned char bytes[16];
    if (!next || cJSON_IsNull(next))
        return TQ_OK;
    if (!cJSON_IsString(next) || tq_uuid_parse(next->valuestring, bytes) != 0)
        return tq_fail(detail, TQ_EPROTO, 0, "next_page_offset is not a UUID");
    for (size_t i = 0; i < TQ_UUID_STR_LEN; i++) {
        char c = next->valuestring[i];
        r->next_cursor[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
    }
    r->next_cursor[TQ_UUID_STR_LEN] = '\0';
    return TQ_OK;
}

tq_status_t tq_result_parse(const char *body, size_t len, tq_parse_kind_t kind,
                            const tq_guard_t *g, tq_raw_result_t *out, tq_detail_t *detail)
{
    tq_raw_result_t r;
    memset(&r, 0, sizeof r);
    cJSON *root = NULL;
    tq_status_t st = tq_json_parse_limited(body, len, g->max_depth, &root, detail);
    if (st != TQ_OK)
        return st;
    cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    cJSON *points = cJSON_GetObjectItemCaseSensitive(result, "points");
    if (!cJSON_IsObject(result) || !cJSON_IsArray(points)) {
        st = tq_fail(detail, TQ_EPROTO, 0, "collection %s: answer has no result.points array",
                     g->collection);
        goto cleanup;
    }
    size_t n = (size_t)cJSON_GetArraySize(points);
    if (n > g->max_results) {
        st = tq_fail(detail, TQ_ELIMIT, 0,
                     "collection %s: answer holds %zu points, more than max_results (%zu)",
                     g->collection, n, g->max_results);
        goto cleanup;
    }
    cJSON *p;
    cJSON_ArrayForEach(p, points)
    {
        if (!cJSON_IsObject(p)) {
            st = tq_fail(detail, TQ_EPROTO, 0, "collection %s: a point is not an object",
                         g->collection);
            goto cleanup;
        }
        st = guard_point(p, g, detail);
        if (st != TQ_OK)
            goto cleanup;
    }
    if (kind == TQ_PARSE_SCROLL && (st = read_cursor(result, &r, detail)) != TQ_OK)
        goto cleanup;
    r.points = tq_calloc(n ? n : 1, sizeof *r.points);
    if (!r.points) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    cJSON_ArrayForEach(p, points)
    {
        r.count++;
        st = read_point(p, g, kind, &r.points[r.count - 1], detail);
        if (st != TQ_OK)
            goto cleanup;
    }
    *out = r;
    memset(&r, 0, sizeof r);
cleanup:
    tq_raw_result_free(&r);
    cJSON_Delete(root);
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

/* Looks `field` up: TQ_OK with *present = 0 when absent or null; TQ_OK with *out set
 * when present and accepted by `is_type`; TQ_EPROTO for another type; TQ_EINVAL for
 * NULL arguments (`dst` is the caller's out-pointer, checked only for NULL). */
static tq_status_t typed_field(const tq_raw_point_t *point, const char *field, const void *dst,
                               int (*is_type)(const cJSON *), const cJSON **out, int *present)
{
    if (!point || !field || !present || !dst)
        return TQ_EINVAL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(point->payload, field);
    *present = v && !cJSON_IsNull(v);
    if (!*present)
        return TQ_OK;
    if (!is_type(v))
        return TQ_EPROTO;
    *out = v;
    return TQ_OK;
}

static int is_string(const cJSON *v)
{
    return cJSON_IsString(v);
}

static int is_number(const cJSON *v)
{
    return cJSON_IsNumber(v);
}

static int is_bool(const cJSON *v)
{
    return cJSON_IsBool(v);
}

static int is_array(const cJSON *v)
{
    return cJSON_IsArray(v);
}

static int as_int64(const cJSON *v, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return 0;
    double d = v->valuedouble;
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || floor(d) != d)
        return 0;
    *out = (int64_t)d;
    return 1;
}

tq_status_t tq_raw_point_keyword(const tq_raw_point_t *point, const char *field, char **out,
                                 int *present)
{
    const cJSON *v = NULL;
    tq_status_t st = typed_field(point, field, out, is_string, &v, present);
    if (st != TQ_OK || !*present)
        return st;
    *out = tq_strdup(v->valuestring);
    return *out ? TQ_OK : TQ_ENOMEM;
}

tq_status_t tq_raw_point_int(const tq_raw_point_t *point, const char *field, int64_t *out,
                             int *present)
{
    const cJSON *v = NULL;
    tq_status_t st = typed_field(point, field, out, is_number, &v, present);
    if (st != TQ_OK || !*present)
        return st;
    return as_int64(v, out) ? TQ_OK : TQ_EPROTO;
}

tq_status_t tq_raw_point_float(const tq_raw_point_t *point, const char *field, double *out,
                               int *present)
{
    const cJSON *v = NULL;
    tq_status_t st = typed_field(point, field, out, is_number, &v, present);
    if (st == TQ_OK && *present)
        *out = v->valuedouble;
    return st;
}

tq_status_t tq_raw_point_bool(const tq_raw_point_t *point, const char *field, int *out,
                              int *present)
{
    const cJSON *v = NULL;
    tq_status_t st = typed_field(point, field, out, is_bool, &v, present);
    if (st == TQ_OK && *present)
        *out = cJSON_IsTrue(v) ? 1 : 0;
    return st;
}

tq_status_t tq_raw_point_keyword_array(const tq_raw_point_t *point, const char *field,
                                       char ***out, size_t *count, int *present)
{
    const cJSON *v = NULL;
    if (!count)
        return TQ_EINVAL;
    tq_status_t st = typed_field(point, field, out, is_array, &v, present);
    if (st != TQ_OK || !*present)
        return st;
    size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, v)
    {
        if (!cJSON_IsString(x))
            return TQ_EPROTO;
    }
    char **items = tq_calloc(n ? n : 1, sizeof *items);
    if (!items)
        return TQ_ENOMEM;
    cJSON_ArrayForEach(x, v)
    {
        items[i] = tq_strdup(x->valuestring);
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
    const cJSON *v = NULL;
    if (!count)
        return TQ_EINVAL;
    tq_status_t st = typed_field(point, field, out, is_array, &v, present);
    if (st != TQ_OK || !*present)
        return st;
    size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
    int64_t *items = tq_calloc(n ? n : 1, sizeof *items);
    if (!items)
        return TQ_ENOMEM;
    const cJSON *x;
    cJSON_ArrayForEach(x, v)
    {
        if (!as_int64(x, &items[i++])) {
            tq_free(items);
            return TQ_EPROTO;
        }
    }
    *out = items;
    *count = n;
    return TQ_OK;
}
