/* groups.c: turns the server's grouped answer into a flat list of hits, so grouped
 * search goes through the same points parser and leak guard as every other read.
 *
 * Input is untrusted: the shape of every group is checked, a group holding more than
 * the one hit that was asked for, or a hit whose group field is not its group's id, is
 * a protocol error rather than something to repair. Nothing here decides ownership:
 * the leak guard does, on the flattened hits. */
#include "groups.h"

#include "detail.h"
#include "json.h"

#include <cjson/cJSON.h>

tq_status_t tq_groups_flatten(const char *body, size_t len, int max_depth,
                              const char *group_field, const char *collection, char **out,
                              tq_detail_t *detail)
{
    cJSON *root = NULL;
    tq_status_t st = tq_json_parse_limited(body, len, max_depth, &root, detail);
    if (st != TQ_OK)
        return st;
    const cJSON *groups =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "result"), "groups");
    cJSON *flat = cJSON_CreateObject();
    cJSON *result = cJSON_AddObjectToObject(flat, "result");
    cJSON *points = cJSON_AddArrayToObject(result, "points");
    if (!points) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    if (!cJSON_IsArray(groups)) {
        st = tq_fail(detail, TQ_EPROTO, 0, "collection %s: answer has no result.groups array",
                     collection);
        goto cleanup;
    }
    const cJSON *g;
    cJSON_ArrayForEach(g, groups)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id");
        cJSON *hits = cJSON_GetObjectItemCaseSensitive(g, "hits");
        if (!cJSON_IsArray(hits) || cJSON_GetArraySize(hits) > 1 ||
            !(cJSON_IsString(id) || cJSON_IsNumber(id))) {
            st = tq_fail(detail, TQ_EPROTO, 0,
                         "collection %s: a group is not {id, hits} with at most one hit",
                         collection);
            goto cleanup;
        }
        cJSON *hit = cJSON_DetachItemFromArray(hits, 0);
        if (!hit)
            continue;
        cJSON_AddItemToArray(points, hit);
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(hit, "payload"), group_field);
        if (!cJSON_IsObject(hit) || !cJSON_Compare(value, id, 1)) {
            st = tq_fail(detail, TQ_EPROTO, 0, "collection %s: a hit's %s is not its group's id",
                         collection, group_field);
            goto cleanup;
        }
    }
    *out = tq_json_print(flat);
    if (!*out)
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
cleanup:
    cJSON_Delete(flat);
    cJSON_Delete(root);
    return st;
}
