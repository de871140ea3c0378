/* json.c: bounded JSON parsing of server answers and the tenant/scope filter that every
 * read, count and delete carries.
 *
 * The filter built here is the one place the tenant condition is written; it must
 * never be optional and never depend on the placement. */
#include "json.h"

#include "float_text.h"

#include "alloc.h"
#include "detail.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The closing quote of the string whose body starts at `p`, or `end` when it has none:
 * memchr jumps to each candidate quote, which closes the string unless an odd run of
 * backslashes escapes it. */
static const char *string_end(const char *p, const char *end)
{
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return end;
        size_t slashes = 0;
        while (q - slashes > p && q[-1 - (ptrdiff_t)slashes] == '\\')
            slashes++;
        if (slashes % 2 == 0)
            return q;
        p = q + 1;
    }
}

int tq_json_depth_ok(const char *text, size_t len, int max_depth)
{
    int depth = 0;
    for (const char *p = text, *end = text + len; p < end; p++) {
        switch (*p) {
        case '"':
            p = string_end(p + 1, end);
            break;
        case '[':
        case '{':
            if (++depth > max_depth)
                return 0;
            break;
        case ']':
        case '}':
            if (depth > 0)
                depth--;
            break;
        default:
            break;
        }
    }
    return 1;
}

tq_status_t tq_json_parse_limited(const char *text, size_t len, int max_depth, cJSON **out,
                                  tq_detail_t *detail)
{
    if (!tq_json_depth_ok(text, len, max_depth))
        return tq_fail(detail, TQ_ELIMIT, 0, "response JSON nests deeper than max_json_depth (%d)",
                       max_depth);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root) {
        cJSON *probe = cJSON_Parse("0");
        if (!probe)
            return tq_fail(detail, TQ_ENOMEM, 0, "out of memory parsing the response");
        cJSON_Delete(probe);
        return tq_fail(detail, TQ_EPROTO, 0, "response is not valid JSON");
    }
    *out = root;
    return TQ_OK;
}

cJSON *tq_json_match_keyword(const char *key, const char *value)
{
    cJSON *cond = cJSON_CreateObject();
    cJSON *match = cJSON_AddStringToObject(cond, "key", key)
                       ? cJSON_AddObjectToObject(cond, "match")
                       : NULL;
    if (!match ||
        !cJSON_AddStringToObject(match, "value", value)) {
        cJSON_Delete(cond);
        return NULL;
    }
    return cond;
}

static int append(cJSON *array, cJSON *item)
{
    if (!item)
        return -1;
    if (!cJSON_AddItemToArray(array, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

cJSON *tq_json_scope_filter(const char *tenant, const tq_raw_collection_t *c,
                            const char *const *scope_values, const char *const *ids,
                            size_t id_count)
{
    cJSON *filter = cJSON_CreateObject();
    cJSON *must = cJSON_AddArrayToObject(filter, "must");
    if (!must || append(must, tq_json_match_keyword(TQ_FIELD_TENANT, tenant)) != 0)
        goto fail;
    for (size_t i = 0; i < c->scope_count; i++) {
        if (append(must, tq_json_match_keyword(c->scope_fields[i], scope_values[i])) != 0)
            goto fail;
    }
    if (ids) {
        cJSON *cond = cJSON_CreateObject();
        if (append(must, cond) != 0)
            goto fail;
        cJSON *has_id = cJSON_AddArrayToObject(cond, "has_id");
        if (!has_id)
            goto fail;
        for (size_t i = 0; i < id_count; i++) {
            if (append(has_id, cJSON_CreateString(ids[i])) != 0)
                goto fail;
        }
    }
    return filter;
fail:
    cJSON_Delete(filter);
    return NULL;
}

char *tq_json_print(const cJSON *root)
{
    return cJSON_PrintUnformatted(root);
}

size_t tq_json_vector_text(const float *v, size_t dim, char *out)
{
    size_t len = 0;
    out[len++] = '[';
    for (size_t i = 0; i < dim; i++) {
        if (i)
            out[len++] = ',';
        len += tq_float_text(v[i], out + len);
    }
    out[len++] = ']';
    out[len] = '\0';
    return len;
}

int tq_json_add_vector(cJSON *parent, const char *name, const float *v, size_t dim)
{
    /* One raw node per vector instead of one node per float: vectors dominate upsert
     * bodies. tq_float_text round-trips every finite float exactly. */
    char *text = tq_malloc(TQ_JSON_VECTOR_TEXT_MAX(dim));
    if (!text)
        return -1;
    tq_json_vector_text(v, dim, text);
    cJSON *array = cJSON_CreateRaw(text);
    tq_free(text);
    if (!array)
        return -1;
    if (name ? !cJSON_AddItemToObject(parent, name, array) : !cJSON_AddItemToArray(parent, array)) {
        cJSON_Delete(array);
        return -1;
    }
    return 0;
}

cJSON *tq_json_string_array(const char *const *values, size_t count)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < count; i++) {
        if (append(array, cJSON_CreateString(values[i])) != 0) {
            cJSON_Delete(array);
            array = NULL;
        }
    }
    return array;
}

cJSON *tq_json_int_array(const int64_t *values, size_t count)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < count; i++) {
        if (append(array, tq_json_int(values[i])) != 0) {
            cJSON_Delete(array);
            array = NULL;
        }
    }
    return array;
}

cJSON *tq_json_int(int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)value);
    return cJSON_CreateRaw(text);
}

cJSON *tq_json_double(double value)
{
    char text[40];
    snprintf(text, sizeof text, "%.17g", value);
    return cJSON_CreateRaw(text);
}
