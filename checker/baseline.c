/* baseline.c: accepted findings by fingerprint. A baseline is a JSON object
 * {"version": 1, "tool": "tenantq-check", "fingerprints": ["<32 hex>", ...]}; a
 * finding whose fingerprint it lists is reported as baselined and does not fail the
 * run. A baseline that cannot be read or parsed is an error, never an empty list. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int tqc_baseline_apply(tqc_session_t *s, const char *path)
{
    int rc = -1;
    cJSON *doc = tqc_read_json(s, path, "baseline");
    if (!doc) {
        return -1;
    }
    const cJSON *prints = cJSON_GetObjectItemCaseSensitive(doc, "fingerprints");
    if (!cJSON_IsArray(prints)) {
        tqc_session_error(s, "%s: a baseline is an object with a \"fingerprints\" array", path);
        goto done;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, prints)
    {
        if (!cJSON_IsString(item)) {
            tqc_session_error(s, "%s: fingerprints must be strings", path);
            goto done;
        }
        for (size_t i = 0; i < s->finding_count; i++) {
            if (strcmp(s->findings[i].fingerprint, item->valuestring) == 0) {
                s->findings[i].baselined = 1;
            }
        }
    }
    rc = 0;
done:
    cJSON_Delete(doc);
    return rc;
}

int tqc_baseline_write(tqc_session_t *s, const char *path)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *prints = cJSON_CreateArray();
    FILE *out = NULL;
    int rc = -1;
    if (!doc || !prints) {
        cJSON_Delete(prints);
        goto done;
    }
    cJSON_AddItemToObject(doc, "fingerprints", prints);
    if (!cJSON_AddNumberToObject(doc, "version", 1) ||
        !cJSON_AddStringToObject(doc, "tool", "tenantq-check")) {
        goto done;
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        const tqc_finding_t *f = &s->findings[i];
        cJSON *str;
        if (f->suppressed) {
            continue;
        }
        if (!(str = cJSON_CreateString(f->fingerprint))) {
            goto done;
        }
        cJSON_AddItemToArray(prints, str);
    }
    if (!(out = fopen(path, "w"))) {
        goto done;
    }
    rc = tqc_print_json(doc, out);
    doc = NULL;
    if (fclose(out) != 0) {
        rc = -1;
    }
done:
    cJSON_Delete(doc);
    if (rc != 0) {
        tqc_session_error(s, "%s: cannot write the baseline", path);
    }
    return rc;
}
