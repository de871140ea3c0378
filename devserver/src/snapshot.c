/* snapshot.c: the --snapshot file, so a demo keeps its data across restarts.
 *
 * The file is one JSON document: per collection its CreateCollection body, payload
 * indexes, shard keys and points (vectors as stored, i.e. already normalised for
 * Cosine). Loading replays the create and index handlers so a snapshot can never
 * hold a collection the API could not have made. Saving writes a temporary file and
 * renames it, so a crash never leaves a truncated snapshot. Files above 4 GiB are
 * refused.
 */
#include "snapshot.h"

#include "ctx.h"
#include "envelope.h"
#include "handlers.h"
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPSHOT_MAX_BYTES (4ull << 30)

static cJSON *shard_json(const ds_collection_t *col, const ds_shard_t *sh)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "key", sh->key ? cJSON_Duplicate(sh->key, 1) : cJSON_CreateNull());
    cJSON_AddBoolToObject(o, "partial", sh->partial);
    cJSON *pts = cJSON_AddArrayToObject(o, "points");
    for (size_t i = 0; pts && i < sh->n_slots; i++) {
        const ds_point_t *p = &sh->points[i];
        if (!p->live)
            continue;
        cJSON *pj = cJSON_CreateObject();
        if (!pj)
            goto fail;
        cJSON_AddItemToArray(pts, pj);
        cJSON_AddItemToObject(pj, "id", ds_id_to_json(&p->id));
        cJSON_AddNumberToObject(pj, "version", (double)p->version);
        cJSON *vec = cJSON_AddObjectToObject(pj, "vector");
        for (size_t s = 0; vec && s < col->n_spaces; s++) {
            if (!((p->vec_mask >> s) & 1u))
                continue;
            cJSON *arr = ds_float_array(ds_shard_vector(col, sh, s, i), col->spaces[s].dim);
            if (!arr)
                goto fail;
            cJSON_AddItemToObject(vec, col->spaces[s].name, arr);
        }
        for (size_t s = 0; vec && s < col->n_sparse; s++) {
            if (!((p->sparse_mask >> s) & 1u))
                continue;
            const ds_svec_t *sv = &sh->svecs[s][i];
            cJSON *so = cJSON_AddObjectToObject(vec, col->sparse[s].name);
            cJSON *ind = cJSON_AddArrayToObject(so, "indices");
            for (uint32_t k = 0; ind && k < sv->n; k++)
                cJSON_AddItemToArray(ind, cJSON_CreateNumber((double)sv->idx[k]));
            if (!ind || !cJSON_AddItemToObject(so, "values", ds_float_array(sv->val, sv->n)))
                goto fail;
        }
        cJSON_AddItemToObject(pj, "payload", cJSON_Duplicate(p->payload, 1));
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *collection_json(const ds_collection_t *col)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "name", col->name);
    cJSON_AddItemToObject(o, "create", ds_collection_create_body(col));
    cJSON_AddNumberToObject(o, "next_op", (double)col->next_op);
    cJSON *idx = cJSON_AddArrayToObject(o, "indexes");
    for (size_t i = 0; idx && i < col->n_indexes; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e)
            break;
        cJSON_AddStringToObject(e, "field_name", col->indexes[i].field);
        cJSON_AddItemToObject(e, "field_schema",
                              col->indexes[i].params ? cJSON_Duplicate(col->indexes[i].params, 1)
                                                     : cJSON_CreateString(col->indexes[i].type));
        cJSON_AddItemToArray(idx, e);
    }
    cJSON *shards = cJSON_AddArrayToObject(o, "shards");
    for (size_t i = 0; shards && i < col->n_shards; i++) {
        cJSON *sj = shard_json(col, col->shards[i]);
        if (!sj) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToArray(shards, sj);
    }
    return o;
}

int ds_snapshot_save(const ds_store_t *store, const char *path, char *err, size_t errlen)
{
    int rc = -1;
    char *text = NULL;
    char tmp[4096];
    FILE *f = NULL;
    cJSON *doc = cJSON_CreateObject();
    cJSON *cols = cJSON_AddArrayToObject(doc, "collections");
    if (!cols)
        goto oom;
    cJSON_AddNumberToObject(doc, "format", 1);
    for (size_t i = 0; i < store->n; i++) {
        cJSON *cj = collection_json(store->cols[i]);
        if (!cj)
            goto oom;
        cJSON_AddItemToArray(cols, cj);
    }
    text = cJSON_PrintUnformatted(doc);
    if (!text)
        goto oom;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        f = NULL;
        snprintf(err, errlen, "cannot write snapshot %s", tmp);
        goto done;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s", tmp, path);
        goto done;
    }
    rc = 0;
    goto done;
oom:
    snprintf(err, errlen, "out of memory while saving snapshot");
done:
    if (f)
        fclose(f);
    free(text);
    cJSON_Delete(doc);
    return rc;
}

static char *read_file(const char *path, size_t *len, int *missing, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    *missing = 0;
    if (!f) {
        *missing = 1;
        return NULL;
    }
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto fail;
    long size = ftell(f);
    if (size < 0 || (unsigned long long)size > SNAPSHOT_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0)
        goto fail;
    buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
        goto fail;
    fclose(f);
    *len = (size_t)size;
    return buf;
fail:
    snprintf(err, errlen, "cannot read snapshot %s", path);
    free(buf);
    fclose(f);
    return NULL;
}

/* Replays one handler with `body` as its request body; 0 on success. */
static int replay(ds_store_t *store, ds_arena_t *arena, cJSON *body,
                  cJSON *(*h)(ds_ctx_t *, const char *), const char *name, char *err, size_t errlen)
{
    ds_request_t req = {.method = "PUT", .path = "/"};
    ds_response_t resp = {0};
    ds_ctx_t c = {.store = store,
                  .req = &req,
                  .resp = &resp,
                  .arena = arena,
                  .body = body,
                  .start = ds_now()};
    c.access.global = c.access.manage = 1;
    cJSON *r = h(&c, name);
    int rc = r ? 0 : -1;
    if (!r)
        snprintf(err, errlen, "snapshot: collection %s: %.300s", name,
                 resp.body ? resp.body : "error");
    cJSON_Delete(r);
    ds_response_clear(&resp);
    return rc;
}

/* Reads a saved sparse vector (sorted, as saved) into malloc'd arrays. 0 or -1. */
static int load_sparse(const cJSON *v, ds_svec_t *out)
{
    const cJSON *ind = cJSON_GetObjectItemCaseSensitive(v, "indices");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(v, "values");
    if (!cJSON_IsArray(ind) || !cJSON_IsArray(vals))
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(ind);
    out->idx = malloc((n ? n : 1) * (sizeof *out->idx + sizeof *out->val));
    if (!out->idx)
        return -1;
    out->val = (float *)(out->idx + n);
    out->n = (uint32_t)n;
    size_t k = 0;
    for (const cJSON *e = ind->child; e; e = e->next, k++) {
        uint64_t u;
        if (!ds_json_u64(e, &u) || u > UINT32_MAX || (k && u <= out->idx[k - 1]))
            return -1;
        out->idx[k] = (uint32_t)u;
    }
    int non_number;
    return ds_json_floats(vals, out->val, n, &non_number) == n && !non_number ? 0 : -1;
}

static int load_points(ds_collection_t *col, ds_shard_t *sh, const cJSON *points, char *err,
                       size_t errlen)
{
    size_t stride = 0, offs[DS_MAX_VECTOR_SPACES];
    for (size_t s = 0; s < col->n_spaces; s++) {
        offs[s] = stride;
        stride += col->spaces[s].dim;
    }
    float *buf = malloc((stride ? stride : 1) * sizeof *buf);
    if (!buf)
        return -1;
    int rc = -1;
    const float *vecs[DS_MAX_VECTOR_SPACES];
    for (const cJSON *p = points ? points->child : NULL; p; p = p->next) {
        ds_point_id_t id;
        uint64_t version = 0;
        if (!ds_id_from_json(cJSON_GetObjectItemCaseSensitive(p, "id"), &id))
            goto bad;
        ds_json_u64(cJSON_GetObjectItemCaseSensitive(p, "version"), &version);
        for (size_t s = 0; s < col->n_spaces; s++)
            vecs[s] = NULL;
        const cJSON *vec = cJSON_GetObjectItemCaseSensitive(p, "vector");
        ds_svec_t sv[DS_MAX_VECTOR_SPACES];
        const ds_svec_t *svecs[DS_MAX_VECTOR_SPACES] = {0};
        int sparse_ok = 1;
        for (const cJSON *v = vec ? vec->child : NULL; v; v = v->next) {
            int sp = ds_collection_sparse(col, v->string);
            if (sp < 0 || svecs[sp])
                continue;
            sv[sp].idx = NULL;
            svecs[sp] = &sv[sp];
            sparse_ok &= load_sparse(v, &sv[sp]) == 0;
        }
        int ok = sparse_ok;
        for (const cJSON *v = vec ? vec->child : NULL; v && ok; v = v->next) {
            if (ds_collection_sparse(col, v->string) >= 0)
                continue;
            int s = ds_collection_space(col, v->string), non_number = 0;
            ok = s >= 0 && cJSON_IsArray(v) &&
                 ds_json_floats(v, buf + offs[s], col->spaces[s].dim, &non_number) ==
                     col->spaces[s].dim &&
                 !non_number;
            if (ok)
                vecs[s] = buf + offs[s];
        }
        if (ok) {
            const cJSON *pl = cJSON_GetObjectItemCaseSensitive(p, "payload");
            cJSON *payload = cJSON_IsObject(pl) ? cJSON_Duplicate(pl, 1) : cJSON_CreateObject();
            ok = payload && ds_shard_upsert(col, sh, &id, vecs, svecs, payload, version) == 0;
        }
        for (size_t s = 0; s < col->n_sparse; s++)
            if (svecs[s])
                free(sv[s].idx);
        if (!ok)
            goto bad;
    }
    rc = 0;
    goto done;
bad:
    snprintf(err, errlen, "snapshot: collection %s: invalid point", col->name);
done:
    free(buf);
    return rc;
}

int ds_snapshot_load(ds_store_t *store, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    int missing = 0, rc = -1;
    char msg[256] = "";
    if (errlen)
        err[0] = '\0';
    char *text = read_file(path, &len, &missing, err, errlen);
    if (!text)
        return missing ? 0 : -1;
    ds_arena_t *arena = ds_arena_new(len * 48 + (1u << 20));
    cJSON *doc = arena ? ds_json_parse(arena, text, len, 256, msg, sizeof msg) : NULL;
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(doc, "collections");
    if (!cJSON_IsArray(cols)) {
        snprintf(err, errlen, "snapshot %s is not a tenantq-devserver snapshot", path);
        goto done;
    }
    for (const cJSON *cj = cols->child; cj; cj = cj->next) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(cj, "name");
        if (!cJSON_IsString(name)) {
            snprintf(err, errlen, "snapshot %s: collection without a name", path);
            goto done;
        }
        if (replay(store, arena, cJSON_GetObjectItemCaseSensitive(cj, "create"),
                   ds_h_create_collection, name->valuestring, err, errlen) != 0)
            goto done;
        ds_collection_t *col = ds_store_find(store, name->valuestring);
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(cj, "indexes");
        for (const cJSON *e = idx ? idx->child : NULL; e; e = e->next)
            if (replay(store, arena, (cJSON *)e, ds_h_create_index, name->valuestring, err,
                       errlen) != 0)
                goto done;
        ds_json_u64(cJSON_GetObjectItemCaseSensitive(cj, "next_op"), &col->next_op);
        const cJSON *shards = cJSON_GetObjectItemCaseSensitive(cj, "shards");
        for (const cJSON *sj = shards ? shards->child : NULL; sj; sj = sj->next) {
            const cJSON *key = cJSON_GetObjectItemCaseSensitive(sj, "key");
            ds_shard_t *sh;
            if (!col->custom_sharding)
                sh = col->shards[0];
            else if (!(sh = ds_collection_add_shard(col, key)))
                goto done;
            sh->partial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sj, "partial"));
            if (load_points(col, sh, cJSON_GetObjectItemCaseSensitive(sj, "points"), err, errlen) !=
                0)
                goto done;
        }
    }
    rc = 0;
done:
    if (rc != 0 && !err[0])
        snprintf(err, errlen, "snapshot %s: %s", path, msg);
    ds_arena_free(arena);
    free(text);
    return rc;
}
