/* points.c: upsert, retrieve, delete, scroll and count.
 *
 * An upsert is validated completely (ids, vector names and dimensions, payloads)
 * before any point is written, so a bad point leaves the collection unchanged, and a
 * wrong dimension fails even with wait=false, as in Qdrant. Scroll walks ids in
 * Qdrant's order (numbers, then UUIDs) with an inclusive `offset`.
 */
#include "handlers.h"

#include "path.h"
#include "records.h"
#include "sparse.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

typedef struct pending {
    ds_point_id_t id;
    const cJSON *payload;
    uint64_t mask;
    float *vecs; /* sum of dims */
    uint64_t smask;  /* sparse spaces given */
    ds_svec_t *svec; /* n_sparse entries (arena) */
} pending_t;

typedef struct upsert {
    ds_collection_t *col;
    pending_t *pts;
    size_t n;
    float *buf;
    size_t stride; /* floats per point */
    size_t offsets[DS_MAX_VECTOR_SPACES];
} upsert_t;

static int space_or_fail(ds_ctx_t *c, const ds_collection_t *col, const char *name)
{
    int s = ds_collection_space(col, name);
    if (s < 0)
        ds_fail(c, 400, "Wrong input: Not existing vector name error: %.200s", name);
    return s;
}

/* Reads the sparse vector `v` of sparse space `s` into p; `where` names it. */
static int read_sparse(ds_ctx_t *c, upsert_t *u, pending_t *p, int s, const cJSON *v,
                       const char *where)
{
    if (!ds_sparse_like(v)) {
        ds_fail(c, 400, "Wrong input: Conversion between sparse and regular vectors failed");
        return -1;
    }
    if (ds_sparse_parse(c, v, where, &p->svec[s]) != 0)
        return -1;
    p->smask |= 1ull << s;
    (void)u;
    return 0;
}

/* Reads one named vector: dense into its space, sparse into its sparse space. */
static int read_named(ds_ctx_t *c, upsert_t *u, pending_t *p, const char *name, const cJSON *e,
                      const char *where)
{
    int sp = ds_collection_sparse(u->col, name);
    if (sp >= 0)
        return read_sparse(c, u, p, sp, e, where);
    int s = space_or_fail(c, u->col, name);
    if (s < 0)
        return -1;
    if (cJSON_IsObject(e)) {
        ds_fail(c, 400, "Wrong input: Conversion between sparse and regular vectors failed");
        return -1;
    }
    if (ds_read_vector(c, &u->col->spaces[s], e, p->vecs + u->offsets[s]) != 0)
        return -1;
    p->mask |= 1ull << s;
    return 0;
}

/* Reads one VectorStruct (bare array or name -> array map) into p. */
static int read_vector_struct(ds_ctx_t *c, upsert_t *u, pending_t *p, const cJSON *v,
                              size_t point)
{
    if (cJSON_IsArray(v)) {
        if (v->child && cJSON_IsArray(v->child))
            return ds_fail(c, 400,
                           "Bad request: multivectors are not supported by "
                           "tenantq-devserver"),
                   -1;
        int s = space_or_fail(c, u->col, "");
        if (s < 0)
            return -1;
        if (ds_read_vector(c, &u->col->spaces[s], v, p->vecs + u->offsets[s]) != 0)
            return -1;
        p->mask |= 1ull << s;
        return 0;
    }
    if (cJSON_IsObject(v)) {
        char where[64];
        snprintf(where, sizeof where, "points[%zu].vector.?", point);
        for (const cJSON *e = v->child; e; e = e->next)
            if (read_named(c, u, p, e->string, e, where) != 0)
                return -1;
        return 0;
    }
    ds_fail(c, 400,
            "Format error in JSON body: data did not match any variant of untagged enum "
            "VectorStruct");
    return -1;
}

static int read_payload(ds_ctx_t *c, const cJSON *pl, const cJSON **out)
{
    if (!pl || cJSON_IsNull(pl)) {
        *out = NULL;
        return 0;
    }
    if (!cJSON_IsObject(pl)) {
        ds_fail(c, 400, "Format error in JSON body: invalid type: expected a payload object");
        return -1;
    }
    *out = pl;
    return 0;
}

static int prepare(ds_ctx_t *c, upsert_t *u, size_t n)
{
    if (n > DS_MAX_POINTS_PER_REQUEST) {
        ds_fail(c, 400, "Bad request: too many points in one request (limit %d)",
                DS_MAX_POINTS_PER_REQUEST);
        return -1;
    }
    u->stride = 0;
    for (size_t i = 0; i < u->col->n_spaces; i++) {
        u->offsets[i] = u->stride;
        u->stride += u->col->spaces[i].dim;
    }
    u->pts = calloc(n ? n : 1, sizeof *u->pts);
    u->buf = malloc((n ? n : 1) * (u->stride ? u->stride : 1) * sizeof *u->buf);
    if (!u->pts || !u->buf) {
        ds_fail(c, 500, "Service internal error: out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        u->pts[i].vecs = u->buf + i * u->stride;
        if (u->col->n_sparse &&
            !(u->pts[i].svec = ds_arena_alloc(c->arena, u->col->n_sparse * sizeof(ds_svec_t)))) {
            ds_fail(c, 400, "Bad request: request too large");
            return -1;
        }
    }
    u->n = n;
    return 0;
}

static int read_id(ds_ctx_t *c, const cJSON *node, ds_point_id_t *id)
{
    if (!node) {
        ds_fail(c, 400, "Format error in JSON body: missing field `id`");
        return -1;
    }
    if (!ds_id_from_json(node, id)) {
        char msg[512];
        ds_id_error(node, msg, sizeof msg);
        ds_fail(c, 400, "%s", msg);
        return -1;
    }
    return 0;
}

static int parse_list(ds_ctx_t *c, upsert_t *u, const cJSON *points)
{
    if (!cJSON_IsArray(points)) {
        ds_fail(c, 400, "Format error in JSON body: points: invalid type: expected a sequence");
        return -1;
    }
    if (prepare(c, u, (size_t)cJSON_GetArraySize(points)) != 0)
        return -1;
    size_t i = 0;
    for (const cJSON *p = points->child; p; p = p->next, i++) {
        if (!cJSON_IsObject(p)) {
            ds_fail(c, 400,
                    "Format error in JSON body: points[%zu]: invalid type: expected struct "
                    "PointStruct",
                    i);
            return -1;
        }
        if (read_id(c, cJSON_GetObjectItemCaseSensitive(p, "id"), &u->pts[i].id) != 0)
            return -1;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "vector");
        if (!v) {
            ds_fail(c, 400, "Format error in JSON body: points[%zu]: missing field `vector`", i);
            return -1;
        }
        if (read_vector_struct(c, u, &u->pts[i], v, i) != 0 ||
            read_payload(c, cJSON_GetObjectItemCaseSensitive(p, "payload"), &u->pts[i].payload) !=
                0)
            return -1;
    }
    return 0;
}

/* Checks that batch.<what> is a list with one entry per id. */
static int batch_list(ds_ctx_t *c, const upsert_t *u, const cJSON *arr, const char *what)
{
    if (!cJSON_IsArray(arr)) {
        ds_fail(c, 400, "Format error in JSON body: batch.%s: invalid type: expected a sequence",
                what);
        return -1;
    }
    if ((size_t)cJSON_GetArraySize(arr) != u->n) {
        ds_fail(c, 422,
                "Validation error in JSON body: [batch: number of ids and %s must be "
                "equal]",
                what);
        return -1;
    }
    return 0;
}

static int batch_vectors(ds_ctx_t *c, upsert_t *u, int space, const cJSON *arr)
{
    if (batch_list(c, u, arr, "vectors") != 0)
        return -1;
    size_t i = 0;
    for (const cJSON *v = arr->child; v; v = v->next, i++) {
        if (ds_read_vector(c, &u->col->spaces[space], v, u->pts[i].vecs + u->offsets[space]) != 0)
            return -1;
        u->pts[i].mask |= 1ull << space;
    }
    return 0;
}

static int parse_batch(ds_ctx_t *c, upsert_t *u, const cJSON *batch)
{
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(batch, "ids");
    const cJSON *vectors = cJSON_GetObjectItemCaseSensitive(batch, "vectors");
    const cJSON *payloads = cJSON_GetObjectItemCaseSensitive(batch, "payloads");
    if (!cJSON_IsObject(batch) || !cJSON_IsArray(ids) || !vectors) {
        ds_fail(c, 400, "Format error in JSON body: batch: missing field `%s`",
                !cJSON_IsArray(ids) ? "ids" : "vectors");
        return -1;
    }
    if (prepare(c, u, (size_t)cJSON_GetArraySize(ids)) != 0)
        return -1;
    size_t i = 0;
    for (const cJSON *id = ids->child; id; id = id->next, i++)
        if (read_id(c, id, &u->pts[i].id) != 0)
            return -1;
    if (cJSON_IsObject(vectors)) {
        for (const cJSON *e = vectors->child; e; e = e->next) {
            int sp = ds_collection_sparse(u->col, e->string);
            if (sp >= 0) {
                if (batch_list(c, u, e, "vectors") != 0)
                    return -1;
                i = 0;
                for (const cJSON *v = e->child; v; v = v->next, i++)
                    if (read_sparse(c, u, &u->pts[i], sp, v, "batch.?") != 0)
                        return -1;
                continue;
            }
            int s = space_or_fail(c, u->col, e->string);
            if (s < 0 || batch_vectors(c, u, s, e) != 0)
                return -1;
        }
    } else {
        int s = space_or_fail(c, u->col, "");
        if (s < 0 || batch_vectors(c, u, s, vectors) != 0)
            return -1;
    }
    if (payloads && !cJSON_IsNull(payloads)) {
        if (batch_list(c, u, payloads, "payloads") != 0)
            return -1;
        i = 0;
        for (const cJSON *p = payloads->child; p; p = p->next, i++)
            if (read_payload(c, p, &u->pts[i].payload) != 0)
                return -1;
    }
    return 0;
}

/* The collection and the shards a read (or delete) addresses; NULL with the response
 * set when either is wrong. */
static ds_collection_t *read_target(ds_ctx_t *c, const char *name, const cJSON *body,
                                    ds_shard_sel_t *sel)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col ||
        ds_select_shards(c, col, cJSON_GetObjectItemCaseSensitive(body, "shard_key"), 0, sel) != 0)
        return NULL;
    return col;
}

/* Looks the id up in the selected shards; returns the shard (slot in *slot) or NULL. */
static ds_shard_t *find_point(const ds_shard_sel_t *sel, const ds_point_id_t *id, long *slot)
{
    for (size_t i = 0; i < sel->n; i++) {
        long s = ds_shard_lookup(sel->shards[i], id);
        if (s >= 0) {
            *slot = s;
            return sel->shards[i];
        }
    }
    return NULL;
}

static int apply_upsert(ds_ctx_t *c, upsert_t *u, const ds_shard_sel_t *sel, const char *mode,
                        const ds_filter_t *update_filter, uint64_t op)
{
    const float *vecs[DS_MAX_VECTOR_SPACES];
    const ds_svec_t *svecs[DS_MAX_VECTOR_SPACES];
    for (size_t i = 0; i < u->n; i++) {
        pending_t *p = &u->pts[i];
        for (size_t t = 0; t < sel->n; t++) {
            ds_shard_t *sh = sel->shards[t];
            long slot = ds_shard_lookup(sh, &p->id);
            if (slot >= 0 && strcmp(mode, "insert_only") == 0)
                continue;
            if (slot < 0 && strcmp(mode, "update_only") == 0)
                continue;
            if (slot >= 0 && update_filter &&
                !ds_filter_match(update_filter, u->col, &sh->points[slot]))
                continue;
            for (size_t s = 0; s < u->col->n_spaces; s++)
                vecs[s] = (p->mask >> s) & 1u ? p->vecs + u->offsets[s] : NULL;
            for (size_t s = 0; s < u->col->n_sparse; s++)
                svecs[s] = (p->smask >> s) & 1u ? &p->svec[s] : NULL;
            cJSON *payload = p->payload ? cJSON_Duplicate(p->payload, 1) : cJSON_CreateObject();
            if (!payload || ds_shard_upsert(u->col, sh, &p->id, vecs, svecs, payload, op) != 0) {
                ds_fail(c, 500, "Service internal error: out of memory");
                return -1;
            }
        }
    }
    return 0;
}

cJSON *ds_h_upsert(ds_ctx_t *c, const char *name)
{
    upsert_t u = {0};
    cJSON *result = NULL;
    ds_filter_t *update_filter = NULL;
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(body, "points");
    const cJSON *batch = cJSON_GetObjectItemCaseSensitive(body, "batch");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(body, "update_mode");
    if ((!points && !batch) || (points && batch))
        return ds_fail(c, 400,
                       "Format error in JSON body: data did not match any variant of "
                       "untagged enum PointInsertOperations");
    if (mode && !cJSON_IsNull(mode) &&
        (!cJSON_IsString(mode) || (strcmp(mode->valuestring, "upsert") != 0 &&
                                   strcmp(mode->valuestring, "insert_only") != 0 &&
                                   strcmp(mode->valuestring, "update_only") != 0)))
        return ds_fail(c, 400,
                       "Format error in JSON body: update_mode: unknown variant, expected "
                       "one of `upsert`, `insert_only`, `update_only`");
    const cJSON *uf = cJSON_GetObjectItemCaseSensitive(body, "update_filter");
    if (uf && !cJSON_IsNull(uf)) {
        int status;
        char msg[512];
        update_filter = ds_filter_parse(c->arena, uf, &status, msg, sizeof msg);
        if (!update_filter)
            return ds_fail(c, status, "%s", msg);
    }
    u.col = ds_need_collection(c, name);
    if (!u.col)
        return NULL;
    ds_shard_sel_t sel;
    if (ds_select_shards(c, u.col, cJSON_GetObjectItemCaseSensitive(body, "shard_key"), 1, &sel) !=
        0)
        goto done;
    if (points ? parse_list(c, &u, points) != 0 : parse_batch(c, &u, batch) != 0)
        goto done;
    uint64_t op = u.col->next_op++;
    if (apply_upsert(c, &u, &sel, cJSON_IsString(mode) ? mode->valuestring : "upsert",
                     update_filter, op) != 0)
        goto done;
    result = ds_update_result(c, op);
done:
    free(u.pts);
    free(u.buf);
    return result;
}

cJSON *ds_h_retrieve(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "ids");
    if (!cJSON_IsArray(ids))
        return ds_fail(c, 400, "Format error in JSON body: missing field `ids`");
    ds_with_t wp, wv;
    if (ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_payload"), 1, 1, &wp) != 0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_vector"), 0, 0, &wv) != 0)
        return NULL;
    size_t n = (size_t)cJSON_GetArraySize(ids);
    if (n > DS_MAX_POINTS_PER_REQUEST)
        return ds_fail(c, 400, "Bad request: too many ids in one request (limit %d)",
                       DS_MAX_POINTS_PER_REQUEST);
    ds_point_id_t *list = ds_arena_alloc(c->arena, (n ? n : 1) * sizeof *list);
    if (!list)
        return ds_fail(c, 400, "Bad request: request too large");
    size_t i = 0;
    for (const cJSON *e = ids->child; e; e = e->next, i++)
        if (read_id(c, e, &list[i]) != 0)
            return NULL;
    ds_shard_sel_t sel;
    ds_collection_t *col = read_target(c, name, body, &sel);
    if (!col)
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    for (i = 0; arr && i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = ds_id_equal(&list[i], &list[j]);
        long slot;
        ds_shard_t *sh = dup ? NULL : find_point(&sel, &list[i], &slot);
        if (!sh)
            continue;
        cJSON *rec = ds_point_json(col, sh, (size_t)slot, &wp, &wv, 0, 0);
        if (!rec) {
            cJSON_Delete(arr);
            return ds_fail(c, 500, "Service internal error: out of memory");
        }
        cJSON_AddItemToArray(arr, rec);
    }
    return arr;
}

cJSON *ds_h_get_point(ds_ctx_t *c, const char *name, const char *id_text)
{
    ds_point_id_t id;
    if (!ds_id_from_text(id_text, &id))
        return ds_fail(c, 400,
                       "Deserialize error in path parameters: %.200s is not a valid point ID, "
                       "valid values are either an unsigned integer or a UUID",
                       id_text);
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    ds_shard_sel_t sel;
    if (ds_select_shards(c, col, NULL, 0, &sel) != 0)
        return NULL;
    long slot;
    ds_shard_t *sh = find_point(&sel, &id, &slot);
    if (!sh) {
        char buf[48];
        ds_id_format(&id, buf, sizeof buf);
        return ds_fail(c, 404, "Not found: No point with id %s found", buf);
    }
    ds_with_t wp = {.all = 1}, wv = {.all = 1};
    return ds_point_json(col, sh, (size_t)slot, &wp, &wv, 0, 0);
}

cJSON *ds_h_delete_points(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(body, "points");
    ds_filter_t *filter = NULL;
    int by_filter = cJSON_GetObjectItemCaseSensitive(body, "filter") != NULL;
    if ((!points && !by_filter) || (points && by_filter))
        return ds_fail(c, 400,
                       "Format error in JSON body: data did not match any variant of "
                       "untagged enum PointsSelector");
    size_t n = 0;
    ds_point_id_t *ids = NULL;
    if (points) {
        if (!cJSON_IsArray(points))
            return ds_fail(c, 400,
                           "Format error in JSON body: points: invalid type: expected a "
                           "sequence");
        n = (size_t)cJSON_GetArraySize(points);
        if (n > DS_MAX_POINTS_PER_REQUEST)
            return ds_fail(c, 400, "Bad request: too many ids in one request (limit %d)",
                           DS_MAX_POINTS_PER_REQUEST);
        ids = ds_arena_alloc(c->arena, (n ? n : 1) * sizeof *ids);
        if (!ids)
            return ds_fail(c, 400, "Bad request: request too large");
        size_t i = 0;
        for (const cJSON *e = points->child; e; e = e->next, i++)
            if (read_id(c, e, &ids[i]) != 0)
                return NULL;
    } else if (ds_read_filter(c, body, &filter) != 0) {
        return NULL;
    } else if (!filter) {
        return ds_fail(c, 400,
                       "Format error in JSON body: filter: invalid type: null, expected "
                       "struct Filter");
    }
    ds_shard_sel_t sel;
    ds_collection_t *col = read_target(c, name, body, &sel);
    if (!col)
        return NULL;
    uint64_t op = col->next_op++;
    for (size_t s = 0; s < sel.n; s++) {
        ds_shard_t *sh = sel.shards[s];
        if (points) {
            for (size_t i = 0; i < n; i++)
                ds_shard_delete(col, sh, &ids[i]);
            continue;
        }
        for (size_t slot = 0; slot < sh->n_slots; slot++) {
            if (sh->points[slot].live && ds_filter_match(filter, col, &sh->points[slot])) {
                ds_point_id_t id = sh->points[slot].id;
                ds_shard_delete(col, sh, &id);
            }
        }
    }
    return ds_update_result(c, op);
}

typedef struct hit {
    ds_shard_t *shard;
    uint32_t slot;
    double sort_key; /* order_by value, negated for descending order */
    double order_value;
} hit_t;

static int hit_cmp(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    if (x->sort_key != y->sort_key)
        return x->sort_key < y->sort_key ? -1 : 1;
    return ds_id_cmp(&x->shard->points[x->slot].id, &y->shard->points[y->slot].id);
}

typedef struct order_by {
    const char *key; /* NULL: order by id */
    int desc;
    int has_start;
    double start;
} order_by_t;

/* Reads a number, or an RFC 3339 string as Unix seconds. 1 on success. */
static int order_number(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return 1;
    }
    return cJSON_IsString(v) && ds_datetime_parse(v->valuestring, out);
}

/* Parses scroll's order_by (a key, or {key, direction, start_from}); the key must have
 * an integer, float or datetime index, as Qdrant reads the order from that index. */
static int read_order_by(ds_ctx_t *c, const ds_collection_t *col, const cJSON *node,
                         int has_offset, order_by_t *out)
{
    memset(out, 0, sizeof *out);
    if (!node || cJSON_IsNull(node))
        return 0;
    const cJSON *key = cJSON_IsString(node) ? node : cJSON_GetObjectItemCaseSensitive(node, "key");
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(node, "direction");
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(node, "start_from");
    if (!cJSON_IsString(key) || (dir && !cJSON_IsNull(dir) && !cJSON_IsString(dir))) {
        ds_fail(c, 400, "Format error in JSON body: order_by: data did not match any variant "
                        "of untagged enum OrderByInterface");
        return -1;
    }
    if (cJSON_IsString(dir) && strcmp(dir->valuestring, "asc") != 0 &&
        strcmp(dir->valuestring, "desc") != 0) {
        ds_fail(c, 400, "Format error in JSON body: order_by.direction: unknown variant `%.50s`, "
                        "expected `asc` or `desc`", dir->valuestring);
        return -1;
    }
    if (start && !cJSON_IsNull(start) && !order_number(start, &out->start)) {
        ds_fail(c, 400, "Format error in JSON body: order_by.start_from: expected a number or "
                        "a datetime");
        return -1;
    }
    if (has_offset) {
        ds_fail(c, 400, "Bad request: Cannot use an `offset` when using `order_by`. The "
                        "alternative for paging is to use `order_by.start_from` and a filter "
                        "to exclude the IDs that you've already seen for the `order_by.start_from` "
                        "value");
        return -1;
    }
    const ds_index_t *idx = ds_collection_index(col, key->valuestring);
    if (!idx || (strcmp(idx->type, "integer") != 0 && strcmp(idx->type, "float") != 0 &&
                 strcmp(idx->type, "datetime") != 0)) {
        ds_fail(c, 400, "Bad request: No range index for `order_by` key `%.200s` found. Please "
                        "create one to use `order_by`. Check "
                        "https://qdrant.tech/documentation/concepts/indexing/#payload-index to "
                        "see which payload schemas support Range conditions",
                key->valuestring);
        return -1;
    }
    out->key = key->valuestring;
    out->desc = cJSON_IsString(dir) && strcmp(dir->valuestring, "desc") == 0;
    out->has_start = start && !cJSON_IsNull(start);
    return 0;
}

/* Fills the order value of a hit (the smallest value ascending, the largest
 * descending). 0 when the point has no usable value or is before start_from. */
static int order_hit(const order_by_t *ob, hit_t *h)
{
    const cJSON *vals[DS_PATH_MAX_VALUES];
    size_t n = ds_path_values(h->shard->points[h->slot].payload, ob->key, vals,
                              DS_PATH_MAX_VALUES);
    int found = 0;
    double best = 0, v;
    for (size_t i = 0; i < n; i++) {
        if (!order_number(vals[i], &v))
            continue;
        if (!found || (ob->desc ? v > best : v < best))
            best = v;
        found = 1;
    }
    if (!found || (ob->has_start && (ob->desc ? best > ob->start : best < ob->start)))
        return 0;
    h->order_value = best;
    h->sort_key = ob->desc ? -best : best;
    return 1;
}

cJSON *ds_h_scroll(ds_ctx_t *c, const char *name)
{
    const cJSON *body = c->body ? ds_need_object(c) : NULL;
    if (c->body && !body)
        return NULL;
    uint64_t limit;
    ds_filter_t *filter;
    ds_with_t wp, wv;
    ds_point_id_t offset;
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(body, "offset");
    int has_offset = off && !cJSON_IsNull(off);
    if (ds_read_uint(c, body, "limit", 10, &limit) != 0 || ds_read_filter(c, body, &filter) != 0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_payload"), 1, 1, &wp) != 0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_vector"), 0, 0, &wv) != 0)
        return NULL;
    if (has_offset && read_id(c, off, &offset) != 0)
        return NULL;
    if (limit == 0)
        return ds_fail(c, 422,
                       "Validation error in JSON body: [limit: value 0 invalid, must be 1 "
                       "or more]");
    ds_shard_sel_t sel;
    order_by_t ob;
    ds_collection_t *col = read_target(c, name, body, &sel);
    if (!col || read_order_by(c, col, cJSON_GetObjectItemCaseSensitive(body, "order_by"),
                              has_offset, &ob) != 0)
        return NULL;
    size_t total = 0;
    for (size_t s = 0; s < sel.n; s++)
        total += sel.shards[s]->n_live;
    hit_t *hits = malloc((total ? total : 1) * sizeof *hits);
    if (!hits)
        return ds_fail(c, 500, "Service internal error: out of memory");
    size_t n = 0;
    for (size_t s = 0; s < sel.n; s++) {
        ds_shard_t *sh = sel.shards[s];
        ds_cands_t cands;
        ds_candidates(col, sh, filter, &cands);
        for (size_t k = 0; k < cands.n && n < total; k++) {
            uint32_t slot = cands.all ? (uint32_t)k : cands.list[k];
            const ds_point_t *p = &sh->points[slot];
            if (!p->live || (has_offset && ds_id_cmp(&p->id, &offset) < 0) ||
                !ds_filter_match_skip(filter, col, p, cands.known))
                continue;
            hits[n] = (hit_t){sh, slot, 0, 0};
            if (!ob.key || order_hit(&ob, &hits[n]))
                n++;
        }
    }
    qsort(hits, n, sizeof *hits, hit_cmp);
    cJSON *r = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(r, "points");
    size_t take = n < limit ? n : (size_t)limit;
    for (size_t i = 0; arr && i < take; i++) {
        cJSON *rec = ds_point_json(col, hits[i].shard, hits[i].slot, &wp, &wv, 0, 0);
        if (!rec)
            break;
        if (ob.key)
            cJSON_AddNumberToObject(rec, "order_value", hits[i].order_value);
        cJSON_AddItemToArray(arr, rec);
    }
    /* Qdrant pages an order_by scroll with start_from, never with next_page_offset. */
    if (r)
        cJSON_AddItemToObject(r, "next_page_offset",
                              n > take && !ob.key
                                  ? ds_id_to_json(&hits[take].shard->points[hits[take].slot].id)
                                  : cJSON_CreateNull());
    free(hits);
    if (!arr) {
        cJSON_Delete(r);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    return r;
}

cJSON *ds_h_count(ds_ctx_t *c, const char *name)
{
    const cJSON *body = c->body ? ds_need_object(c) : NULL;
    if (c->body && !body)
        return NULL;
    ds_filter_t *filter;
    if (ds_read_filter(c, body, &filter) != 0)
        return NULL;
    const cJSON *exact = cJSON_GetObjectItemCaseSensitive(body, "exact");
    if (exact && !cJSON_IsNull(exact) && !cJSON_IsBool(exact))
        return ds_fail(c, 400,
                       "Format error in JSON body: exact: invalid type: expected a boolean");
    ds_shard_sel_t sel;
    ds_collection_t *col = read_target(c, name, body, &sel);
    if (!col)
        return NULL;
    size_t count = 0;
    for (size_t s = 0; s < sel.n; s++) {
        ds_shard_t *sh = sel.shards[s];
        ds_cands_t cands;
        ds_candidates(col, sh, filter, &cands);
        for (size_t k = 0; k < cands.n; k++) {
            uint32_t slot = cands.all ? (uint32_t)k : cands.list[k];
            if (sh->points[slot].live &&
                ds_filter_match_skip(filter, col, &sh->points[slot], cands.known))
                count++;
        }
    }
    cJSON *r = cJSON_CreateObject();
    if (r)
        cJSON_AddNumberToObject(r, "count", (double)count);
    return r;
}
