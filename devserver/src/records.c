/* records.c: helpers shared by the point endpoints.
 *
 * Output follows Qdrant: Record and ScoredPoint omit absent optional keys; vectors of
 * an unnamed collection are a bare array, named ones an object. Shard selection
 * implements plain keys, key lists and {target, fallback} routing. Every function that
 * fails has already written the error response; none of them takes the store lock.
 */
#include "records.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ds_parse_with(ds_ctx_t *c, const cJSON *node, int dflt, int is_payload, ds_with_t *out)
{
    memset(out, 0, sizeof *out);
    const char *name = is_payload ? "with_payload" : "with_vector";
    if (!node || cJSON_IsNull(node)) {
        out->all = dflt;
        out->none = !dflt;
        return 0;
    }
    if (cJSON_IsBool(node)) {
        out->all = cJSON_IsTrue(node);
        out->none = !out->all;
        return 0;
    }
    if (cJSON_IsArray(node)) {
        for (const cJSON *e = node->child; e; e = e->next)
            if (!cJSON_IsString(e))
                goto bad;
        out->include = node;
        return 0;
    }
    if (is_payload && cJSON_IsObject(node) && node->child && !node->child->next) {
        const cJSON *v = node->child;
        int inc = strcmp(v->string, "include") == 0, exc = strcmp(v->string, "exclude") == 0;
        if (!inc && !exc)
            goto bad;
        if (cJSON_IsArray(v)) {
            for (const cJSON *e = v->child; e; e = e->next)
                if (!cJSON_IsString(e))
                    goto bad;
        } else if (!cJSON_IsString(v)) {
            goto bad;
        }
        if (inc)
            out->include = v;
        else
            out->exclude = v;
        return 0;
    }
bad:
    ds_fail(c, 400, "Format error in JSON body: data did not match any variant of untagged enum %s",
            is_payload ? "WithPayloadInterface" : "WithVector");
    (void)name;
    return -1;
}

/* Copies the value at a dotted path from src into dst, creating objects on the way. */
static int copy_path(cJSON *dst, const cJSON *src, const char *path)
{
    const char *dot = strchr(path, '.');
    char key[256];
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len >= sizeof key)
        return 0;
    memcpy(key, path, len);
    key[len] = '\0';
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);
    if (!v)
        return 0;
    if (!dot || !cJSON_IsObject(v)) {
        if (dot || cJSON_GetObjectItemCaseSensitive(dst, key))
            return 0;
        cJSON *dup = cJSON_Duplicate(v, 1);
        if (!dup)
            return -1;
        cJSON_AddItemToObject(dst, key, dup);
        return 0;
    }
    cJSON *sub = cJSON_GetObjectItemCaseSensitive(dst, key);
    if (!sub) {
        sub = cJSON_AddObjectToObject(dst, key);
        if (!sub)
            return -1;
    }
    return copy_path(sub, v, dot + 1);
}

static void remove_path(cJSON *obj, const char *path)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        cJSON_DeleteItemFromObjectCaseSensitive(obj, path);
        return;
    }
    char key[256];
    size_t len = (size_t)(dot - path);
    if (len >= sizeof key)
        return;
    memcpy(key, path, len);
    key[len] = '\0';
    cJSON *sub = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsObject(sub))
        remove_path(sub, dot + 1);
}

static cJSON *select_payload(const cJSON *payload, const ds_with_t *w)
{
    if (w->all)
        return cJSON_Duplicate(payload, 1);
    if (w->include) {
        cJSON *out = cJSON_CreateObject();
        if (!out)
            return NULL;
        if (cJSON_IsString(w->include)) {
            copy_path(out, payload, w->include->valuestring);
        } else {
            for (const cJSON *e = w->include->child; e; e = e->next)
                copy_path(out, payload, e->valuestring);
        }
        return out;
    }
    cJSON *out = cJSON_Duplicate(payload, 1);
    if (!out)
        return NULL;
    if (cJSON_IsString(w->exclude)) {
        remove_path(out, w->exclude->valuestring);
    } else {
        for (const cJSON *e = w->exclude->child; e; e = e->next)
            remove_path(out, e->valuestring);
    }
    return out;
}

static const double pow10_tab[] = {1e0, 1e1, 1e2, 1e3, 1e4,  1e5,  1e6,
                                   1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13};
static const double neg_pow10_tab[] = {1e-1, 1e-2, 1e-3, 1e-4};

/* The common case of ds_float_json_value without snprintf/strtod: for 1e-4 <= |f| <
 * 1e6 it finds the same shortest 6 to 9 digit decimal, and writes the text
 * "%.15g" gives for it (what jsonout prints) to text (at least 24 bytes). Exact
 * because |f| * 10^s (s <= 12) fits a double's 53 bits, so rounding to digits is done
 * on the exact value, half to even as printf does, and digits * 10^k (k <= 12) rounds
 * once, as strtod does. Returns the text length, or 0 outside that range. */
static size_t short_float(float f, double *value, char *text)
{
    double a = fabs((double)f);
    if (!(a >= 1e-4 && a < 1e6))
        return 0;
    int e = 0; /* floor(log10(a)); float values never sit between 10^k and its double */
    if (a >= 1) {
        while (a >= pow10_tab[e + 1])
            e++;
    } else {
        e = -1;
        while (a < neg_pow10_tab[-e - 1])
            e--;
    }
    for (int p = 6; p <= 9; p++) {
        double scaled = a * pow10_tab[p - 1 - e];
        double m = floor(scaled), frac = scaled - m;
        if (frac > 0.5 || (frac == 0.5 && fmod(m, 2.0) == 1.0))
            m += 1;
        int ex = e;
        if (m >= pow10_tab[p]) {
            m = pow10_tab[p - 1];
            ex++;
        }
        double d = p - 1 - ex >= 0 ? m / pow10_tab[p - 1 - ex] : m * pow10_tab[ex - p + 1];
        if ((float)d != (float)a)
            continue;
        char digits[12];
        int nd = 0;
        for (unsigned long u = (unsigned long)m; nd < p; u /= 10)
            digits[p - 1 - nd++] = (char)('0' + u % 10);
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        size_t n = 0;
        if (f < 0)
            text[n++] = '-';
        if (ex < 0) {
            text[n++] = '0';
            text[n++] = '.';
            for (int i = -1; i > ex; i--)
                text[n++] = '0';
            for (int i = 0; i < nd; i++)
                text[n++] = digits[i];
        } else {
            for (int i = 0; i <= ex; i++)
                text[n++] = i < nd ? digits[i] : '0';
            if (nd > ex + 1) {
                text[n++] = '.';
                for (int i = ex + 1; i < nd; i++)
                    text[n++] = digits[i];
            }
        }
        text[n] = '\0';
        *value = f < 0 ? -d : d;
        return n;
    }
    return 0;
}

double ds_float_json_value(float f)
{
    char buf[32];
    double d;
    if (short_float(f, &d, buf))
        return d;
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        d = strtod(buf, NULL);
        if ((float)d == f)
            return d;
    }
    return (double)f;
}

/* A number node for f; on the fast path it also carries its text, which jsonout
 * prints as is (cJSON_Delete frees it). NULL on OOM. */
static cJSON *float_node(float f)
{
    char text[32];
    double d;
    if (!short_float(f, &d, text))
        return cJSON_CreateNumber(ds_float_json_value(f));
    cJSON *n = cJSON_CreateNumber(d);
    if (n && !(n->valuestring = strdup(text))) {
        cJSON_Delete(n);
        n = NULL;
    }
    return n;
}

cJSON *ds_float_array(const float *v, size_t dim)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < dim; i++) {
        cJSON *n = float_node(v[i]);
        if (!n) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, n);
    }
    return arr;
}

static int wants_vector(const ds_with_t *w, const char *name)
{
    if (w->all)
        return 1;
    if (!w->include)
        return 0;
    for (const cJSON *e = w->include->child; e; e = e->next)
        if (strcmp(e->valuestring, name) == 0)
            return 1;
    return 0;
}

static cJSON *select_vectors(const ds_collection_t *col, const ds_shard_t *shard, size_t slot,
                             const ds_with_t *w)
{
    const ds_point_t *p = &shard->points[slot];
    if (!col->named && !p->sparse_mask) {
        if (!(p->vec_mask & 1u))
            return cJSON_CreateObject();
        return ds_float_array(ds_shard_vector(col, shard, 0, slot), col->spaces[0].dim);
    }
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; obj && i < col->n_sparse; i++) {
        if (!((p->sparse_mask >> i) & 1u) || !wants_vector(w, col->sparse[i].name))
            continue;
        const ds_svec_t *sv = &shard->svecs[i][slot];
        cJSON *o = cJSON_CreateObject();
        cJSON *ind = o ? cJSON_AddArrayToObject(o, "indices") : NULL;
        for (uint32_t k = 0; ind && k < sv->n; k++) {
            cJSON *num = cJSON_CreateNumber((double)sv->idx[k]);
            if (!num)
                ind = NULL;
            else
                cJSON_AddItemToArray(ind, num);
        }
        cJSON *vals = ind ? ds_float_array(sv->val, sv->n) : NULL;
        if (!vals) {
            cJSON_Delete(o);
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(o, "values", vals);
        cJSON_AddItemToObject(obj, col->sparse[i].name, o);
    }
    for (size_t i = 0; obj && i < col->n_spaces; i++) {
        if (!((p->vec_mask >> i) & 1u) || !wants_vector(w, col->spaces[i].name))
            continue;
        cJSON *arr = ds_float_array(ds_shard_vector(col, shard, i, slot), col->spaces[i].dim);
        if (!arr) {
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, col->spaces[i].name, arr);
    }
    return obj;
}

cJSON *ds_point_json(const ds_collection_t *col, const ds_shard_t *shard, size_t slot,
                     const ds_with_t *wp, const ds_with_t *wv, int scored, double score)
{
    const ds_point_t *p = &shard->points[slot];
    cJSON *o = cJSON_CreateObject();
    cJSON *id = ds_id_to_json(&p->id);
    if (!o || !id)
        goto fail;
    cJSON_AddItemToObject(o, "id", id);
    if (scored) {
        cJSON *sc = float_node((float)score);
        if (!cJSON_AddNumberToObject(o, "version", (double)p->version) || !sc) {
            cJSON_Delete(sc);
            goto fail;
        }
        cJSON_AddItemToObject(o, "score", sc);
    }
    if (!wp->none) {
        cJSON *pl = select_payload(p->payload, wp);
        if (!pl)
            goto fail;
        cJSON_AddItemToObject(o, "payload", pl);
    }
    if (!wv->none) {
        cJSON *vec = select_vectors(col, shard, slot, wv);
        if (!vec)
            goto fail;
        cJSON_AddItemToObject(o, "vector", vec);
    }
    if (shard->key) {
        cJSON *k = cJSON_Duplicate(shard->key, 1);
        if (!k)
            goto fail;
        cJSON_AddItemToObject(o, "shard_key", k);
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

void ds_shard_key_text(const cJSON *key, char *buf, size_t len)
{
    if (cJSON_IsString(key))
        snprintf(buf, len, "%.200s", key->valuestring);
    else if (cJSON_IsNumber(key))
        snprintf(buf, len, "%.0f", key->valuedouble);
    else
        snprintf(buf, len, "?");
}

int ds_shard_key_valid(const cJSON *k)
{
    uint64_t u;
    return cJSON_IsString(k) || ds_json_u64(k, &u);
}

static int add_key(ds_ctx_t *c, ds_collection_t *col, const cJSON *key, ds_shard_sel_t *out)
{
    char kt[220];
    ds_shard_t *s = ds_collection_find_shard(col, key);
    if (!s) {
        ds_shard_key_text(key, kt, sizeof kt);
        ds_fail(c, 400, "Wrong input: Shard key %s not found", kt);
        return -1;
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->shards[i] == s)
            return 0;
    if (out->n >= sizeof out->shards / sizeof out->shards[0]) {
        ds_fail(c, 400, "Wrong input: too many shard keys in one request");
        return -1;
    }
    out->shards[out->n++] = s;
    return 0;
}

int ds_select_shards(ds_ctx_t *c, ds_collection_t *col, const cJSON *sel, int write,
                     ds_shard_sel_t *out)
{
    out->n = 0;
    if (!sel || cJSON_IsNull(sel)) {
        if (!col->custom_sharding) {
            out->shards[out->n++] = col->shards[0];
            return 0;
        }
        if (write) {
            ds_fail(c, 400, "Wrong input: Shard key not specified");
            return -1;
        }
        for (size_t i = 0; i < col->n_shards && i < 64; i++)
            out->shards[out->n++] = col->shards[i];
        return 0;
    }
    if (!col->custom_sharding) {
        ds_fail(c, 400,
                "Bad request: Shard selection is only supported for collections with custom "
                "sharding");
        return -1;
    }
    if (cJSON_IsArray(sel)) {
        for (const cJSON *k = sel->child; k; k = k->next) {
            if (!ds_shard_key_valid(k))
                goto bad;
            if (add_key(c, col, k, out) != 0)
                return -1;
        }
        return 0;
    }
    if (cJSON_IsObject(sel)) {
        const cJSON *target = cJSON_GetObjectItemCaseSensitive(sel, "target");
        const cJSON *fallback = cJSON_GetObjectItemCaseSensitive(sel, "fallback");
        if (!ds_shard_key_valid(target) || !ds_shard_key_valid(fallback) ||
            cJSON_GetArraySize(sel) != 2)
            goto bad;
        ds_shard_t *t = ds_collection_find_shard(col, target);
        ds_shard_t *f = ds_collection_find_shard(col, fallback);
        if (!t && !f) {
            char a[220], b[220];
            ds_shard_key_text(target, a, sizeof a);
            ds_shard_key_text(fallback, b, sizeof b);
            ds_fail(c, 404,
                    "Not found: Neither target shard key %s nor fallback shard key %s exist", a, b);
            return -1;
        }
        if (t && !t->partial) {
            out->shards[out->n++] = t;
        } else if (t && write) {
            out->shards[out->n++] = t;
            if (f && f != t)
                out->shards[out->n++] = f;
        } else if (f) {
            out->shards[out->n++] = f;
        } else {
            out->shards[out->n++] = t;
        }
        return 0;
    }
    if (!ds_shard_key_valid(sel))
        goto bad;
    return add_key(c, col, sel, out);
bad:
    ds_fail(c, 400,
            "Format error in JSON body: data did not match any variant of untagged enum "
            "ShardKeySelector");
    return -1;
}

int ds_read_vector(ds_ctx_t *c, const ds_vec_space_t *space, const cJSON *arr, float *out)
{
    if (!cJSON_IsArray(arr)) {
        ds_fail(c, 400,
                "Format error in JSON body: data did not match any variant of untagged "
                "enum VectorStruct");
        return -1;
    }
    int non_number;
    size_t n = ds_json_floats(arr, out, space->dim, &non_number);
    if (non_number) {
        ds_fail(c, 400, "Format error in JSON body: invalid type: expected f32");
        return -1;
    }
    if (n != space->dim) {
        ds_fail(c, 400, "Wrong input: Vector dimension error: expected dim: %zu, got %zu",
                space->dim, n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(out[i])) {
            ds_fail(c, 400, "Format error in JSON body: vector values must be finite f32 numbers");
            return -1;
        }
    }
    if (space->distance == DS_COSINE)
        ds_normalise(out, n);
    return 0;
}

int ds_read_filter(ds_ctx_t *c, const cJSON *body, ds_filter_t **out)
{
    int status;
    char msg[512];
    *out = NULL;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(body, "filter");
    if (!f || cJSON_IsNull(f))
        return 0;
    *out = ds_filter_parse(c->arena, f, &status, msg, sizeof msg);
    if (!*out) {
        ds_fail(c, status, "%s", msg);
        return -1;
    }
    return 0;
}

int ds_read_uint(ds_ctx_t *c, const cJSON *body, const char *name, uint64_t dflt, uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    *out = dflt;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!ds_json_u64(v, out)) {
        ds_fail(c, 400, "Format error in JSON body: invalid value for `%s`: expected usize", name);
        return -1;
    }
    return 0;
}

ds_collection_t *ds_need_collection(ds_ctx_t *c, const char *name)
{
    ds_collection_t *col = ds_store_find(c->store, name);
    if (!col)
        ds_fail_no_collection(c, name);
    return col;
}

const cJSON *ds_need_object(ds_ctx_t *c)
{
    if (!c->body) {
        ds_fail(c, 400, "Format error in JSON body: EOF while parsing a value at line 1 column 0");
        return NULL;
    }
    if (!cJSON_IsObject(c->body)) {
        ds_fail(c, 400, "Format error in JSON body: invalid type: expected a JSON object");
        return NULL;
    }
    return c->body;
}

cJSON *ds_update_result(ds_ctx_t *c, uint64_t op)
{
    char wait[16] = "";
    int waited = ds_query_param(c, "wait", wait, sizeof wait) && strcmp(wait, "true") == 0;
    cJSON *r = cJSON_CreateObject();
    if (!r)
        return NULL;
    cJSON_AddNumberToObject(r, "operation_id", (double)op);
    cJSON_AddStringToObject(r, "status", waited ? "completed" : "acknowledged");
    return r;
}

void ds_candidates(const ds_collection_t *col, const ds_shard_t *shard, const ds_filter_t *f,
                   ds_cands_t *out)
{
    out->list = NULL;
    out->n = shard->n_slots;
    out->all = 1;
    out->known = NULL;
    for (size_t i = 0; f && i < col->n_indexes; i++) {
        if (!col->indexes[i].is_tenant)
            continue;
        const void *known = NULL;
        const char *value = ds_filter_tenant_value(f, col->indexes[i].field, &known);
        if (!value)
            continue;
        int indexed = 0;
        const ds_slots_t *slots =
            ds_shard_tenant_slots(shard, col->indexes[i].field, value, &indexed);
        if (!indexed)
            continue;
        out->list = slots->items;
        out->n = slots->n;
        out->all = 0;
        out->known = known;
        return;
    }
}
