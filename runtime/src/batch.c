/* batch.c: upsert batches. Every point gets its id derived from the context and its
 * payload stamped with tq_tenant, tq_key and the scope fields.
 *
 * Builders record the first error; tq_raw_batch_upsert then sends nothing. It must
 * never let a caller set a tq_* field or a scope field, never send a non-finite float,
 * and never send a point whose id it did not derive. */
#include "batch.h"

#include "alloc.h"
#include "ctx.h"
#include "detail.h"
#include "json.h"
#include "text.h"
#include "uuid.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BATCH_VALUE_MAX (1024 * 1024)
#define BATCH_ARRAY_MAX 4096

/* Vector texts are printed straight into large blocks that never move, rather than
 * into an allocation of their own each: no per-point malloc and free, no extra copy. */
#define TEXT_BLOCK_BYTES (256 * 1024)

typedef struct text_block {
    struct text_block *next;
    size_t used, cap;
    char data[];
} text_block_t;

/* One point as it will be sent: its dense vector already as JSON text (vectors
 * dominate an upsert body, so they are printed once, into a text block, and copied
 * once more, into the body), its payload as a small tree the field setters add to. */
typedef struct batch_point {
    char *key;
    char id[TQ_UUID_STR_LEN + 1];
    char *vector; /* "[0.5,-1]", in one of the batch's text blocks */
    size_t vector_len;
    cJSON *payload; /* tq_tenant, tq_key, the scope fields, then the caller's fields */
    cJSON *sparse;  /* the BM25 document vector, or NULL */
} batch_point_t;

struct tq_raw_batch {
    const tenant_ctx_t *ctx;
    const tq_tenant_entry_t *tenant; /* resolved once, when the batch is made */
    const tq_raw_collection_t *collection;
    char **scope_values;
    char *vector_key; /* the vector's name as a JSON string, printed once */
    char *sparse_key; /* the sparse vector's, or NULL */
    text_block_t *blocks; /* the vectors' texts; the newest first */
    batch_point_t *points;
    size_t count, cap;
    tq_status_t error;
    char why[TQ_DETAIL_MESSAGE_MAX];
};

static void record(tq_raw_batch_t *b, tq_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void record(tq_raw_batch_t *b, tq_status_t st, const char *fmt, ...)
{
    if (b->error == TQ_OK) {
        b->error = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->why, sizeof b->why, fmt, ap);
        va_end(ap);
    }
}

/* `name` as a JSON string, quotes and escapes included; NULL when out of memory. */
static char *json_string(const char *name)
{
    cJSON *node = cJSON_CreateString(name);
    char *text = node ? tq_json_print(node) : NULL;
    cJSON_Delete(node);
    return text;
}

tq_raw_batch_t *tq_raw_batch_new(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                                 const char *const *scope_values)
{
    tq_raw_batch_t *b = tq_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ctx = ctx;
    b->collection = collection;
    tq_detail_t why;
    if (tq_ctx_resolve(ctx, "tq_raw_batch_new", &b->tenant, &why) != TQ_OK ||
        tq_collection_check(collection, &why) != TQ_OK ||
        tq_scope_check(collection, scope_values, &why) != TQ_OK) {
        record(b, why.status, "%s", why.message);
        return b;
    }
    b->scope_values = tq_calloc(collection->scope_count + 1, sizeof *b->scope_values);
    b->vector_key = json_string(collection->vector_name);
    b->sparse_key = collection->sparse_name ? json_string(collection->sparse_name) : NULL;
    if (!b->scope_values || !b->vector_key || (collection->sparse_name && !b->sparse_key)) {
        tq_raw_batch_free(b);
        return NULL;
    }
    for (size_t i = 0; i < collection->scope_count; i++) {
        b->scope_values[i] = tq_strdup(scope_values[i]);
        if (!b->scope_values[i]) {
            tq_raw_batch_free(b);
            return NULL;
        }
    }
    return b;
}

void tq_raw_batch_free(tq_raw_batch_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++) {
        tq_free(b->points[i].key);
        cJSON_Delete(b->points[i].payload);
        cJSON_Delete(b->points[i].sparse);
    }
    tq_free(b->points);
    if (b->scope_values) {
        for (size_t i = 0; i < b->collection->scope_count; i++)
            tq_free(b->scope_values[i]);
    }
    tq_free(b->scope_values);
    cJSON_free(b->vector_key);
    cJSON_free(b->sparse_key);
    while (b->blocks) {
        text_block_t *next = b->blocks->next;
        tq_free(b->blocks);
        b->blocks = next;
    }
    tq_free(b);
}

/* The point's payload with the runtime's reserved fields set, and its vector's text;
 * -1 when out of memory (then the caller frees what was set). */
static int build_point(tq_raw_batch_t *b, batch_point_t *p, const float *vector, size_t dim)
{
    const tq_raw_collection_t *c = b->collection;
    size_t need = TQ_JSON_VECTOR_TEXT_MAX(dim);
    if (!b->blocks || b->blocks->cap - b->blocks->used < need) {
        size_t cap = need > TEXT_BLOCK_BYTES ? need : TEXT_BLOCK_BYTES;
        text_block_t *block = tq_malloc(sizeof *block + cap);
        if (!block)
            return -1;
        *block = (text_block_t){.next = b->blocks, .cap = cap};
        b->blocks = block;
    }
    p->vector = b->blocks->data + b->blocks->used;
    p->vector_len = tq_json_vector_text(vector, dim, p->vector);
    b->blocks->used += p->vector_len + 1;
    p->payload = cJSON_CreateObject();
    if (!p->payload ||
        !cJSON_AddStringToObject(p->payload, TQ_FIELD_TENANT, b->tenant->tenant) ||
        !cJSON_AddStringToObject(p->payload, TQ_FIELD_KEY, p->key))
        return -1;
    for (size_t i = 0; i < c->scope_count; i++) {
        if (!cJSON_AddStringToObject(p->payload, c->scope_fields[i], b->scope_values[i]))
            return -1;
    }
    return 0;
}

void tq_raw_batch_point(tq_raw_batch_t *b, const char *key, const float *vector, size_t dim)
{
    if (!b || b->error != TQ_OK)
        return;
    tq_detail_t why;
    if (tq_key_check(key, &why) != TQ_OK) {
        record(b, why.status, "%s", why.message);
        return;
    }
    if (!vector) {
        record(b, TQ_EINVAL, "point \"%.200s\": vector is NULL; collection %s.%s expects %u "
               "floats", key, b->collection->schema, b->collection->name, b->collection->dim);
        return;
    }
    if (dim != b->collection->dim) {
        record(b, TQ_EINVAL, "point \"%.200s\": vector has %zu floats; collection %s.%s "
               "expects %u", key, dim, b->collection->schema, b->collection->name,
               b->collection->dim);
        return;
    }
    for (size_t i = 0; i < dim; i++) {
        if (!isfinite(vector[i])) {
            record(b, TQ_EINVAL, "point \"%.200s\": vector holds a non-finite value", key);
            return;
        }
    }
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        batch_point_t *bigger = tq_grow(b->points, b->count * sizeof *bigger, cap * sizeof *bigger);
        if (!bigger) {
            record(b, TQ_ENOMEM, "%s", "out of memory");
            return;
        }
        b->points = bigger;
        b->cap = cap;
    }
    batch_point_t *p = &b->points[b->count];
    memset(p, 0, sizeof *p);
    char logical[TQ_COLLECTION_NAME_MAX + 1];
    tq_logical_name(b->collection, logical);
    tq_status_t st = tq_point_id_derive(b->tenant->tenant, logical,
                                        (const char *const *)b->scope_values,
                                        b->collection->scope_count, key, p->id);
    if (st != TQ_OK) {
        record(b, st, "%s", "cannot derive the point id");
        return;
    }
    p->key = tq_strdup(key);
    if (!p->key || build_point(b, p, vector, dim) != 0) {
        tq_free(p->key);
        cJSON_Delete(p->payload);
        record(b, TQ_ENOMEM, "%s", "out of memory");
        return;
    }
    b->count++;
}

/* Checks a field for the last point; returns its payload object or NULL (refused). */
static cJSON *field_target(tq_raw_batch_t *b, const char *field)
{
    if (!b || b->error != TQ_OK)
        return NULL;
    if (b->count == 0) {
        record(b, TQ_EINVAL, "field \"%.64s\" set before any point", field);
        return NULL;
    }
    if (!tq_text_field_name(field)) {
        record(b, TQ_EINVAL, "field \"%.64s\" is not a payload field name the runtime accepts",
               field);
        return NULL;
    }
    for (size_t i = 0; i < b->collection->scope_count; i++) {
        if (strcmp(field, b->collection->scope_fields[i]) == 0) {
            record(b, TQ_EINVAL, "field \"%.64s\" is a scope field set by the runtime", field);
            return NULL;
        }
    }
    cJSON *payload = b->points[b->count - 1].payload;
    if (cJSON_GetObjectItemCaseSensitive(payload, field)) {
        record(b, TQ_EINVAL, "field \"%.64s\" set twice on one point", field);
        return NULL;
    }
    return payload;
}

static void attach(tq_raw_batch_t *b, cJSON *payload, const char *field, cJSON *value)
{
    if (!value || !cJSON_AddItemToObject(payload, field, value)) {
        cJSON_Delete(value);
        record(b, TQ_ENOMEM, "%s", "out of memory");
    }
}

static int string_ok(const char *s)
{
    return s && strlen(s) <= BATCH_VALUE_MAX && tq_text_utf8(s, strlen(s));
}

static int int_ok(int64_t v)
{
    return v >= -9007199254740992LL && v <= 9007199254740992LL;
}

void tq_raw_batch_keyword(tq_raw_batch_t *b, const char *field, const char *value)
{
    cJSON *payload = field_target(b, field);
    if (!payload)
        return;
    if (!string_ok(value)) {
        record(b, TQ_EINVAL, "field \"%.64s\": value must be valid UTF-8 up to 1 MiB", field);
        return;
    }
    attach(b, payload, field, cJSON_CreateString(value));
}

void tq_raw_batch_int(tq_raw_batch_t *b, const char *field, int64_t value)
{
    cJSON *payload = field_target(b, field);
    if (!payload)
        return;
    if (!int_ok(value)) {
        record(b, TQ_EINVAL, "field \"%.64s\": integers must lie within +-2^53", field);
        return;
    }
    attach(b, payload, field, tq_json_int(value));
}

void tq_raw_batch_float(tq_raw_batch_t *b, const char *field, double value)
{
    cJSON *payload = field_target(b, field);
    if (!payload)
        return;
    if (!isfinite(value)) {
        record(b, TQ_EINVAL, "field \"%.64s\": non-finite float", field);
        return;
    }
    attach(b, payload, field, tq_json_double(value));
}

void tq_raw_batch_bool(tq_raw_batch_t *b, const char *field, int value)
{
    cJSON *payload = field_target(b, field);
    if (payload)
        attach(b, payload, field, cJSON_CreateBool(value != 0));
}

/* Checks a value list for the last point; its payload, or NULL when refused. */
static cJSON *list_target(tq_raw_batch_t *b, const char *field, const void *values,
                          size_t count)
{
    cJSON *payload = field_target(b, field);
    if (payload && ((count && !values) || count > BATCH_ARRAY_MAX)) {
        record(b, TQ_EINVAL, "field \"%.64s\": bad value list", field);
        return NULL;
    }
    return payload;
}

void tq_raw_batch_keyword_array(tq_raw_batch_t *b, const char *field, const char *const *values,
                                size_t count)
{
    cJSON *payload = list_target(b, field, values, count);
    if (!payload)
        return;
    for (size_t i = 0; i < count; i++) {
        if (!string_ok(values[i])) {
            record(b, TQ_EINVAL, "field \"%.64s\": value must be valid UTF-8 up to 1 MiB",
                   field);
            return;
        }
    }
    attach(b, payload, field, tq_json_string_array(values, count));
}

void tq_raw_batch_int_array(tq_raw_batch_t *b, const char *field, const int64_t *values,
                            size_t count)
{
    cJSON *payload = list_target(b, field, values, count);
    if (!payload)
        return;
    for (size_t i = 0; i < count; i++) {
        if (!int_ok(values[i])) {
            record(b, TQ_EINVAL, "field \"%.64s\": integers must lie within +-2^53", field);
            return;
        }
    }
    attach(b, payload, field, tq_json_int_array(values, count));
}

tq_status_t tq_batch_state(const tq_raw_batch_t *b, const tenant_ctx_t **ctx,
                           const tq_tenant_entry_t **tenant,
                           const tq_raw_collection_t **collection, size_t *count,
                           tq_detail_t *detail)
{
    if (!b)
        return tq_fail(detail, TQ_ENOMEM, 0, "the batch could not be created");
    if (b->error != TQ_OK)
        return tq_fail(detail, b->error, 0, "%s", b->why);
    *ctx = b->ctx;
    *tenant = b->tenant;
    *collection = b->collection;
    *count = b->count;
    return TQ_OK;
}

const cJSON *tq_batch_point_payload(const tq_raw_batch_t *b, size_t i, const char **key)
{
    *key = b->points[i].key;
    return b->points[i].payload;
}

void tq_batch_point_sparse(tq_raw_batch_t *b, size_t i, cJSON *sparse)
{
    cJSON_Delete(b->points[i].sparse);
    b->points[i].sparse = sparse;
}

typedef struct body {
    char *data;
    size_t len, cap;
} body_t;

/* Makes room for `more` bytes and a NUL; -1 when out of memory. */
static int body_reserve(body_t *t, size_t more)
{
    if (t->len + more + 1 <= t->cap)
        return 0;
    size_t cap = t->cap * 2 > t->len + more + 1 ? t->cap * 2 : t->len + more + 1;
    char *bigger = tq_grow(t->data, t->len, cap);
    if (!bigger)
        return -1;
    t->data = bigger;
    t->cap = cap;
    return 0;
}

static int body_put(body_t *t, const char *s, size_t n)
{
    if (body_reserve(t, n) != 0)
        return -1;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

static int body_puts(body_t *t, const char *s)
{
    return body_put(t, s, strlen(s));
}

/* Prints a payload or sparse vector straight into the body when it fits the room left
 * (it nearly always does: the room is reserved for it), else through a copy. */
static int body_print(body_t *t, const cJSON *node)
{
    if (body_reserve(t, 256) != 0)
        return -1;
    size_t room = t->cap - t->len;
    if (room <= INT_MAX &&
        cJSON_PrintPreallocated((cJSON *)node, t->data + t->len, (int)room, 0)) {
        t->len += strlen(t->data + t->len);
        return 0;
    }
    char *text = tq_json_print(node);
    int rc = text ? body_puts(t, text) : -1;
    cJSON_free(text);
    return rc;
}

tq_status_t tq_batch_body(const tq_raw_batch_t *b, size_t from, size_t to, char **text)
{
    body_t t = {0};
    size_t guess = 16;
    for (size_t i = from; i < to; i++)
        guess += b->points[i].vector_len + 512;
    int err = body_reserve(&t, guess) || body_puts(&t, "{\"points\":[");
    for (size_t i = from; i < to && !err; i++) {
        const batch_point_t *p = &b->points[i];
        err = body_puts(&t, i > from ? ",{\"id\":\"" : "{\"id\":\"") || body_puts(&t, p->id) ||
              body_puts(&t, "\",\"vector\":{") || body_puts(&t, b->vector_key) ||
              body_puts(&t, ":") || body_put(&t, p->vector, p->vector_len);
        if (!err && p->sparse)
            err = body_puts(&t, ",") || body_puts(&t, b->sparse_key) || body_puts(&t, ":") ||
                  body_print(&t, p->sparse);
        err = err || body_puts(&t, "},\"payload\":") || body_print(&t, p->payload) ||
              body_puts(&t, "}");
    }
    if (err || body_puts(&t, "]}") != 0) {
        tq_free(t.data);
        return TQ_ENOMEM;
    }
    *text = t.data;
    return TQ_OK;
}
