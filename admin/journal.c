/* journal.c: the migration journal: one small JSON object beside the registry naming
 * the tenant, where it comes from and goes to, the registry's digest before and after
 * the switch, and the last step completed.
 *
 * It is rewritten whole (temporary file and rename) after every step, so a crash
 * leaves either the previous step or the next one recorded, never a torn file. Every
 * step of a migration is idempotent, so replaying the step after the recorded one is
 * always safe. A journal that does not parse is refused, never guessed at. */
#include "journal.h"

#include "detail.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOURNAL_MAX_BYTES (64u * 1024u)

static const char *const step_names[ADM_STEP_LAST] = {
    "begun", "prepared", "copied", "verified", "switched", "deleted", "done"};

const char *adm_step_name(adm_step_t step)
{
    return (int)step >= 0 && step < ADM_STEP_LAST ? step_names[step] : NULL;
}

int adm_step_parse(const char *name)
{
    for (int i = 0; i < ADM_STEP_LAST; i++) {
        if (strcmp(name, step_names[i]) == 0)
            return i;
    }
    return -1;
}

int adm_journal_path(const char *registry, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s.journal", registry);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

const char *adm_location_placement(const adm_location_t *l)
{
    return (int)l->placement == ADM_PLACEMENT_DEFAULT ? "default"
                                                       : tq_placement_name(l->placement);
}

static cJSON *location_json(const adm_location_t *l)
{
    cJSON *o = cJSON_CreateObject();
    const char *name = adm_location_placement(l);
    if (!o || !name || !cJSON_AddStringToObject(o, "placement", name) ||
        !cJSON_AddStringToObject(o, "endpoint", l->endpoint)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *adm_journal_format(const adm_journal_t *j)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *from = location_json(&j->from), *to = location_json(&j->to);
    char points[32];
    snprintf(points, sizeof points, "%llu", (unsigned long long)j->points);
    char *text = NULL;
    if (o && cJSON_AddNumberToObject(o, "version", 1) &&
        cJSON_AddStringToObject(o, "op", "migrate") &&
        cJSON_AddStringToObject(o, "tenant", j->tenant) && from &&
        cJSON_AddItemToObject(o, "from", from) && (from = NULL, to) &&
        cJSON_AddItemToObject(o, "to", to) && (to = NULL, 1) &&
        cJSON_AddStringToObject(o, "registry_before", j->registry_before) &&
        cJSON_AddStringToObject(o, "registry_after", j->registry_after) &&
        cJSON_AddStringToObject(o, "started", j->started) &&
        cJSON_AddStringToObject(o, "step", adm_step_name(j->step)) &&
        cJSON_AddRawToObject(o, "points", points) &&
        cJSON_AddStringToObject(o, "copy_collection", j->copy_collection) &&
        cJSON_AddStringToObject(o, "copy_offset", j->copy_offset))
        text = cJSON_Print(o);
    cJSON_Delete(from);
    cJSON_Delete(to);
    cJSON_Delete(o);
    if (!text)
        return NULL;
    /* cJSON's allocator is malloc here; hand back a copy with a final newline. */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    cJSON_free(text);
    return out;
}

/* Copies the string member `key` of `obj` into out[cap]; 0, or -1 when absent, not a
 * string or too long. */
static int copy_string(const cJSON *obj, const char *key, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return -1;
    strcpy(out, v->valuestring);
    return 0;
}

static int is_sha_hex(const char *s, int allow_empty)
{
    size_t n = strlen(s);
    if (n == 0)
        return allow_empty;
    if (n != ADM_SHA256_HEX_LEN)
        return 0;
    return strspn(s, "0123456789abcdef") == n;
}

static int parse_location(const cJSON *o, const char *key, adm_location_t *out)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, key);
    char placement[32];
    if (!cJSON_IsObject(l) || copy_string(l, "placement", placement, sizeof placement) != 0)
        return -1;
    if (strcmp(placement, "default") == 0)
        out->placement = (tq_placement_t)ADM_PLACEMENT_DEFAULT;
    else if (tq_placement_parse(placement, &out->placement) != TQ_OK)
        return -1;
    if (copy_string(l, "endpoint", out->endpoint, sizeof out->endpoint) != 0 ||
        !out->endpoint[0])
        return -1;
    return 0;
}

tq_status_t adm_journal_parse(const char *text, size_t len, const char *origin,
                              adm_journal_t *out, tq_detail_t *detail)
{
    adm_journal_t j;
    memset(&j, 0, sizeof j);
    cJSON *o = cJSON_ParseWithLength(text, len);
    const char *bad = NULL;
    char step[32];
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, "version") : NULL;
    const cJSON *op = o ? cJSON_GetObjectItemCaseSensitive(o, "op") : NULL;
    const cJSON *points = o ? cJSON_GetObjectItemCaseSensitive(o, "points") : NULL;
    if (!cJSON_IsObject(o))
        bad = "(root): not a JSON object";
    else if (!cJSON_IsNumber(v) || v->valuedouble != 1.0)
        bad = "version: must be 1";
    else if (!cJSON_IsString(op) || strcmp(op->valuestring, "migrate") != 0)
        bad = "op: must be \"migrate\"";
    else if (copy_string(o, "tenant", j.tenant, sizeof j.tenant) != 0 ||
             tq_tenant_id_validate(j.tenant, NULL) != TQ_OK)
        bad = "tenant: must be a valid tenant id";
    else if (parse_location(o, "from", &j.from) != 0)
        bad = "from: must be {\"placement\", \"endpoint\"}";
    else if (parse_location(o, "to", &j.to) != 0)
        bad = "to: must be {\"placement\", \"endpoint\"}";
    else if (copy_string(o, "registry_before", j.registry_before, sizeof j.registry_before) ||
             !is_sha_hex(j.registry_before, 0))
        bad = "registry_before: must be a sha256 in hex";
    else if (copy_string(o, "registry_after", j.registry_after, sizeof j.registry_after) ||
             !is_sha_hex(j.registry_after, 1))
        bad = "registry_after: must be a sha256 in hex or \"\"";
    else if (copy_string(o, "started", j.started, sizeof j.started) != 0)
        bad = "started: must be a timestamp";
    else if (copy_string(o, "step", step, sizeof step) != 0 || adm_step_parse(step) < 0)
        bad = "step: must name a migration step";
    else if (!cJSON_IsNumber(points) || points->valuedouble < 0 ||
             points->valuedouble > 9007199254740992.0)
        bad = "points: must be a count";
    else if (copy_string(o, "copy_collection", j.copy_collection, sizeof j.copy_collection))
        bad = "copy_collection: must be a collection name or \"\"";
    else if (copy_string(o, "copy_offset", j.copy_offset, sizeof j.copy_offset))
        bad = "copy_offset: must be a point id in JSON or \"\"";
    if (!bad) {
        j.step = (adm_step_t)adm_step_parse(step);
        j.points = (uint64_t)points->valuedouble;
        if (j.step >= ADM_STEP_SWITCHED && !j.registry_after[0])
            bad = "registry_after: required once the registry is switched";
    }
    cJSON_Delete(o);
    if (bad)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s", origin, bad);
    *out = j;
    return TQ_OK;
}

tq_status_t adm_journal_load(const char *path, adm_journal_t *out, int *present,
                             tq_detail_t *detail)
{
    char *text = NULL;
    size_t len = 0;
    tq_status_t st = adm_file_read(path, JOURNAL_MAX_BYTES, &text, &len, detail);
    if (st == TQ_ENOTFOUND) {
        *present = 0;
        tq_detail_ok(detail);
        return TQ_OK;
    }
    if (st != TQ_OK)
        return st;
    st = adm_journal_parse(text, len, path, out, detail);
    free(text);
    if (st == TQ_OK)
        *present = 1;
    return st;
}

tq_status_t adm_journal_save(const char *path, const adm_journal_t *j, tq_detail_t *detail)
{
    char *text = adm_journal_format(j);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = adm_file_replace(path, text, strlen(text), detail);
    free(text);
    return st;
}
