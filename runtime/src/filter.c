/* filter.c: typed conditions on application payload fields.
 *
 * Builders record the first error and refuse everything after it; the request that
 * uses a failed filter fails with that error. A condition may never name tq_* fields
 * or a scope field: those conditions belong to the runtime alone. */
#include "filter.h"

#include "alloc.h"
#include "detail.h"
#include "fingerprint.h"
#include "json.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FILTER_VALUE_MAX 4096
#define FILTER_CONDITIONS_MAX 256
#define FILTER_ANY_MAX 1024

struct tq_raw_filter {
    cJSON *conditions; /* array */
    tq_status_t error;
    char why[160];
};

tq_raw_filter_t *tq_raw_filter_new(void)
{
    tq_raw_filter_t *f = tq_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->conditions = cJSON_CreateArray();
    if (!f->conditions) {
        tq_free(f);
        return NULL;
    }
    return f;
}

void tq_raw_filter_free(tq_raw_filter_t *filter)
{
    if (filter) {
        cJSON_Delete(filter->conditions);
        tq_free(filter);
    }
}

static void record(tq_raw_filter_t *f, tq_status_t st, const char *why, const char *key)
{
    if (f->error == TQ_OK) {
        f->error = st;
        snprintf(f->why, sizeof f->why, "filter on \"%.64s\": %s", key ? key : "(null)", why);
    }
}

static int string_ok(const char *s)
{
    return s && strlen(s) <= FILTER_VALUE_MAX && tq_text_utf8(s, strlen(s));
}

/* Starts a condition {"key": key} after the common checks; NULL when refused. */
static cJSON *begin(tq_raw_filter_t *f, const char *key)
{
    if (!f || f->error != TQ_OK)
        return NULL;
    if (!tq_text_field_name(key)) {
        record(f, TQ_EINVAL, "not a payload field name the runtime accepts", key);
        return NULL;
    }
    if (cJSON_GetArraySize(f->conditions) >= FILTER_CONDITIONS_MAX) {
        record(f, TQ_EINVAL, "too many conditions", key);
        return NULL;
    }
    cJSON *cond = cJSON_CreateObject();
    if (!cJSON_AddStringToObject(cond, "key", key) ||
        !cJSON_AddItemToArray(f->conditions, cond)) {
        cJSON_Delete(cond);
        record(f, TQ_ENOMEM, "out of memory", key);
        return NULL;
    }
    return cond;
}

/* Adds {"key": key, <kind>: {<member>: value}} (or {<kind>: value} when member is
 * NULL), taking ownership of `value`. Returns `value` once attached, else NULL (error
 * recorded). */
static cJSON *add_condition(tq_raw_filter_t *f, const char *key, const char *kind,
                            const char *member, cJSON *value)
{
    cJSON *cond = begin(f, key);
    if (!cond) {
        cJSON_Delete(value);
        return NULL;
    }
    cJSON *holder = member ? cJSON_AddObjectToObject(cond, kind) : cond;
    if (!value || !holder || !cJSON_AddItemToObject(holder, member ? member : kind, value)) {
        cJSON_Delete(value);
        record(f, TQ_ENOMEM, "out of memory", key);
        return NULL;
    }
    return value;
}

static int int_ok(int64_t v)
{
    return v >= -9007199254740992LL && v <= 9007199254740992LL;
}

/* Checks a value list; 0 (with the error recorded) when refused. */
static int list_ok(tq_raw_filter_t *f, const char *key, const void *values, size_t count)
{
    if (!f || f->error != TQ_OK)
        return 0;
    if ((count && !values) || count > FILTER_ANY_MAX) {
        record(f, TQ_EINVAL, "bad value list", key);
        return 0;
    }
    return 1;
}

void tq_raw_filter_match_keyword(tq_raw_filter_t *f, const char *key, const char *value)
{
    if (f && !string_ok(value)) {
        record(f, TQ_EINVAL, "keyword value must be valid UTF-8 up to 4096 bytes", key);
        return;
    }
    if (f && f->error == TQ_OK)
        add_condition(f, key, "match", "value", cJSON_CreateString(value));
}

void tq_raw_filter_match_text(tq_raw_filter_t *f, const char *key, const char *text)
{
    if (f && !string_ok(text)) {
        record(f, TQ_EINVAL, "full-text value must be valid UTF-8 up to 4096 bytes", key);
        return;
    }
    if (f && f->error == TQ_OK)
        add_condition(f, key, "match", "text", cJSON_CreateString(text));
}

void tq_raw_filter_match_int(tq_raw_filter_t *f, const char *key, int64_t value)
{
    if (f && !int_ok(value)) {
        record(f, TQ_EINVAL, "integers must lie within +-2^53", key);
        return;
    }
    if (f && f->error == TQ_OK)
        add_condition(f, key, "match", "value", tq_json_int(value));
}

void tq_raw_filter_match_bool(tq_raw_filter_t *f, const char *key, int value)
{
    if (f && f->error == TQ_OK)
        add_condition(f, key, "match", "value", cJSON_CreateBool(value != 0));
}

void tq_raw_filter_any_keyword(tq_raw_filter_t *f, const char *key, const char *const *values,
                               size_t count)
{
    if (!list_ok(f, key, values, count))
        return;
    for (size_t i = 0; i < count; i++) {
        if (!string_ok(values[i])) {
            record(f, TQ_EINVAL, "keyword value must be valid UTF-8 up to 4096 bytes", key);
            return;
        }
    }
    add_condition(f, key, "match", "any", tq_json_string_array(values, count));
}

void tq_raw_filter_any_int(tq_raw_filter_t *f, const char *key, const int64_t *values,
                           size_t count)
{
    if (!list_ok(f, key, values, count))
        return;
    for (size_t i = 0; i < count; i++) {
        if (!int_ok(values[i])) {
            record(f, TQ_EINVAL, "integers must lie within +-2^53", key);
            return;
        }
    }
    add_condition(f, key, "match", "any", tq_json_int_array(values, count));
}

void tq_raw_filter_range(tq_raw_filter_t *f, const char *key, const double *gte,
                         const double *lte)
{
    if (!f || f->error != TQ_OK || (!gte && !lte))
        return;
    if ((gte && !isfinite(*gte)) || (lte && !isfinite(*lte))) {
        record(f, TQ_EINVAL, "range bounds must be finite", key);
        return;
    }
    cJSON *range = add_condition(f, key, "range", NULL, cJSON_CreateObject());
    if ((range && gte && !cJSON_AddItemToObject(range, "gte", tq_json_double(*gte))) ||
        (range && lte && !cJSON_AddItemToObject(range, "lte", tq_json_double(*lte))))
        record(f, TQ_ENOMEM, "out of memory", key);
}

void tq_raw_filter_datetime_range(tq_raw_filter_t *f, const char *key, const char *gte,
                                  const char *lte)
{
    if (!f || f->error != TQ_OK || (!gte && !lte))
        return;
    if ((gte && (!string_ok(gte) || strlen(gte) > 64)) ||
        (lte && (!string_ok(lte) || strlen(lte) > 64))) {
        record(f, TQ_EINVAL, "datetime bounds must be RFC 3339 text", key);
        return;
    }
    cJSON *range = add_condition(f, key, "range", NULL, cJSON_CreateObject());
    if ((range && gte && !cJSON_AddStringToObject(range, "gte", gte)) ||
        (range && lte && !cJSON_AddStringToObject(range, "lte", lte)))
        record(f, TQ_ENOMEM, "out of memory", key);
}

tq_status_t tq_filter_apply(const tq_raw_filter_t *filter, const tq_raw_collection_t *c,
                            cJSON *must, tq_detail_t *detail)
{
    if (!filter)
        return TQ_OK;
    if (filter->error != TQ_OK)
        return tq_fail(detail, filter->error, 0, "%s", filter->why);
    const cJSON *cond;
    cJSON_ArrayForEach(cond, filter->conditions)
    {
        const char *key = cJSON_GetObjectItemCaseSensitive(cond, "key")->valuestring;
        for (size_t i = 0; i < c->scope_count; i++) {
            if (strcmp(key, c->scope_fields[i]) == 0)
                return tq_fail(detail, TQ_EINVAL, 0,
                               "filter on \"%s\": scope fields are set by the runtime", key);
        }
        cJSON *renamed = NULL;
        int owned = 0;
        if (tq_rename_condition(c, cond, &renamed, &owned) != TQ_OK)
            return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        cJSON *copy = owned ? renamed : cJSON_Duplicate(cond, 1);
        if (!copy || !cJSON_AddItemToArray(must, copy)) {
            cJSON_Delete(copy);
            return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        }
    }
    return TQ_OK;
}
