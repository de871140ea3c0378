/* inspect.c: comparing a collection on the server with what the schema declares: the
 * vector's size and distance, every payload index onboarding creates, and the schema
 * fingerprint onboarding stamps into the collection's metadata. Used by
 * `audit` (to classify drift) and `reindex` (to know what to create). Read-only. */
#include "inspect.h"

#include "client.h"
#include "detail.h"
#include "json.h"
#include "sweep.h"

#include <stdio.h>
#include <string.h>

tq_status_t adm_collection_drift(tq_client_t *client, size_t e, const char *name,
                                 const tq_raw_collection_t *c, cJSON *drift,
                                 size_t *missing_indexes, tq_detail_t *detail)
{
    static const char *const distances[] = {"Cosine", "Dot", "Euclid", "Manhattan"};
    static const char *const types[] = {"keyword", "text", "integer", "float",
                                        "bool",    "datetime", "uuid"};
    tq_response_t resp = {0};
    cJSON *root = NULL;
    tq_status_t st = tq_admin_request(client, (size_t)-1, e, name,
                                      TQ_REQ_COLLECTION_EXISTS, "GET", "", NULL, &resp, detail);
    if (st == TQ_OK)
        st = tq_json_parse_limited(resp.body, resp.len, 64, &root, detail);
    tq_response_free(&resp);
    if (st != TQ_OK)
        return st;
    char line[256];
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(result, "config"), "params");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(params, "vectors"), c->vector_name);
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(v, "size");
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(v, "distance");
    if (!cJSON_IsNumber(size) || (uint32_t)size->valuedouble != c->dim ||
        !cJSON_IsString(dist) || strcmp(dist->valuestring, distances[c->distance]) != 0) {
        snprintf(line, sizeof line, "vector \"%s\": the schema says %u %s", c->vector_name,
                 c->dim, distances[c->distance]);
        cJSON_AddItemToArray(drift, cJSON_CreateString(line));
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(result, "payload_schema");
    struct {
        const char *field;
        const char *type;
    } want[2 + 8 + 64];
    size_t n = 0;
    want[n].field = TQ_FIELD_TENANT, want[n++].type = "keyword";
    want[n].field = TQ_FIELD_KEY, want[n++].type = "keyword";
    for (size_t i = 0; i < c->scope_count && n < 10; i++)
        want[n].field = c->scope_fields[i], want[n++].type = "keyword";
    for (size_t i = 0; i < c->index_count && n < sizeof want / sizeof *want; i++)
        want[n].field = c->indexes[i].field, want[n++].type = types[c->indexes[i].type];
    if (missing_indexes)
        *missing_indexes = 0;
    for (size_t i = 0; i < n; i++) {
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(schema, want[i].field);
        const cJSON *dt = cJSON_GetObjectItemCaseSensitive(idx, "data_type");
        if (!cJSON_IsString(dt) || strcmp(dt->valuestring, want[i].type) != 0) {
            snprintf(line, sizeof line, "payload index \"%s\" (%s) is %s", want[i].field,
                     want[i].type, idx ? "of another type" : "missing");
            cJSON_AddItemToArray(drift, cJSON_CreateString(line));
            if (missing_indexes)
                (*missing_indexes)++;
        }
    }
    /* The schema fingerprint onboarding stamps into the collection's metadata. */
    char digest[TQ_FINGERPRINT_LEN + 1];
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(result, "config"),
                                         "metadata"),
        "tq_fingerprint");
    st = tq_raw_fingerprint(c, NULL, 0, digest, detail);
    if (st == TQ_OK && !cJSON_IsString(fp)) {
        snprintf(line, sizeof line, "fingerprint: none on the server; the schema's is %.23s...",
                 digest);
        cJSON_AddItemToArray(drift, cJSON_CreateString(line));
    } else if (st == TQ_OK && strcmp(fp->valuestring, digest) != 0) {
        snprintf(line, sizeof line, "fingerprint: %.23s... on the server; the schema's is %.23s...",
                 fp->valuestring, digest);
        cJSON_AddItemToArray(drift, cJSON_CreateString(line));
    }
    cJSON_Delete(root);
    return st;
}

