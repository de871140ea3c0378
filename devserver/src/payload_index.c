/* payload_index.c: payload index create/delete and the payload_schema report.
 *
 * Indexes do not change results here (every search is exact); they are recorded so
 * that GET /collections reports them like Qdrant, and a keyword or uuid index with
 * is_tenant builds the per-tenant slot lists that let a tenant-filtered search skip
 * other tenants' points.
 */
#include "handlers.h"

#include "path.h"
#include "records.h"

#include <stdlib.h>
#include <string.h>

static const char *const index_types[] = {"keyword", "integer",  "float", "geo", "text",
                                          "bool",    "datetime", "uuid",  NULL};

static int known_type(const char *t)
{
    for (size_t i = 0; index_types[i]; i++)
        if (strcmp(t, index_types[i]) == 0)
            return 1;
    return 0;
}

cJSON *ds_h_create_index(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(body, "field_name");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(body, "field_schema");
    if (!cJSON_IsString(field))
        return ds_fail(c, 400, "Format error in JSON body: missing field `field_name`");
    const char *type = NULL;
    const cJSON *params = NULL;
    int is_tenant = 0;
    if (cJSON_IsString(schema)) {
        type = schema->valuestring;
    } else if (cJSON_IsObject(schema)) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(schema, "type");
        if (!cJSON_IsString(t))
            return ds_fail(c, 400, "Format error in JSON body: field_schema: missing field `type`");
        type = t->valuestring;
        params = schema;
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(schema, "is_tenant");
        is_tenant = cJSON_IsTrue(it);
    } else if (!schema || cJSON_IsNull(schema)) {
        return ds_fail(c, 400, "Bad request: field_schema is required to create a payload index");
    } else {
        return ds_fail(c, 400,
                       "Format error in JSON body: field_schema: data did not match any "
                       "variant of untagged enum PayloadFieldSchema");
    }
    if (!known_type(type))
        return ds_fail(c, 400,
                       "Format error in JSON body: field_schema: unknown variant `%.100s`, "
                       "expected one of `keyword`, `integer`, `float`, `geo`, `text`, `bool`, "
                       "`datetime`, `uuid`",
                       type);
    if (is_tenant && strcmp(type, "keyword") != 0 && strcmp(type, "uuid") != 0)
        is_tenant = 0;
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    ds_index_t idx = {strdup(field->valuestring), strdup(type),
                      params ? cJSON_Duplicate(params, 1) : NULL, is_tenant};
    if (!idx.field || !idx.type || (params && !idx.params)) {
        free(idx.field);
        free(idx.type);
        cJSON_Delete(idx.params);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    ds_index_t *slot = NULL;
    for (size_t i = 0; i < col->n_indexes; i++)
        if (strcmp(col->indexes[i].field, idx.field) == 0)
            slot = &col->indexes[i];
    if (slot) {
        free(slot->field);
        free(slot->type);
        cJSON_Delete(slot->params);
        *slot = idx;
    } else {
        ds_index_t *arr = realloc(col->indexes, (col->n_indexes + 1) * sizeof *arr);
        if (!arr) {
            free(idx.field);
            free(idx.type);
            cJSON_Delete(idx.params);
            return ds_fail(c, 500, "Service internal error: out of memory");
        }
        col->indexes = arr;
        arr[col->n_indexes++] = idx;
    }
    if (ds_collection_reindex(col) != 0)
        return ds_fail(c, 500, "Service internal error: out of memory");
    return ds_update_result(c, col->next_op++);
}

cJSON *ds_h_delete_index(ds_ctx_t *c, const char *name, const char *field)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    for (size_t i = 0; i < col->n_indexes; i++) {
        if (strcmp(col->indexes[i].field, field) != 0)
            continue;
        free(col->indexes[i].field);
        free(col->indexes[i].type);
        cJSON_Delete(col->indexes[i].params);
        memmove(&col->indexes[i], &col->indexes[i + 1],
                (col->n_indexes - i - 1) * sizeof *col->indexes);
        col->n_indexes--;
        if (ds_collection_reindex(col) != 0)
            return ds_fail(c, 500, "Service internal error: out of memory");
        break;
    }
    return ds_update_result(c, col->next_op++);
}

static size_t points_with_field(const ds_collection_t *col, const char *field)
{
    size_t n = 0;
    const cJSON *vals[8];
    for (size_t s = 0; s < col->n_shards; s++) {
        const ds_shard_t *sh = col->shards[s];
        for (size_t i = 0; i < sh->n_slots; i++) {
            if (!sh->points[i].live)
                continue;
            size_t k = ds_path_values(sh->points[i].payload, field, vals, 8);
            for (size_t j = 0; j < k; j++) {
                if (!cJSON_IsNull(vals[j])) {
                    n++;
                    break;
                }
            }
        }
    }
    return n;
}

cJSON *ds_payload_schema(const ds_collection_t *col)
{
    cJSON *schema = cJSON_CreateObject();
    for (size_t i = 0; schema && i < col->n_indexes; i++) {
        const ds_index_t *idx = &col->indexes[i];
        cJSON *info = cJSON_CreateObject();
        if (!info)
            break;
        cJSON_AddStringToObject(info, "data_type", idx->type);
        if (idx->params) {
            cJSON *p = cJSON_CreateObject();
            for (const cJSON *k = idx->params->child; p && k; k = k->next)
                if (!cJSON_IsNull(k))
                    cJSON_AddItemToObject(p, k->string, cJSON_Duplicate(k, 1));
            cJSON_AddItemToObject(info, "params", p);
        }
        cJSON_AddNumberToObject(info, "points", (double)points_with_field(col, idx->field));
        cJSON_AddItemToObject(schema, idx->field, info);
    }
    return schema;
}
