/* output_gitlab.c: GitLab Code Quality (a subset of the Code Climate engine spec), the
 * report GitLab shows in merge requests from `artifacts: reports: codequality`. One JSON
 * array with an issue per finding that fails or warns: description, check_name,
 * fingerprint, severity and location (repo-relative path, begin and end lines). GitLab
 * has no notion of a suppressed or accepted issue, so suppressed and baselined findings
 * are left out, as in the text report. It never writes an issue without every field
 * GitLab requires. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static cJSON *issue_json(const tqc_finding_t *f)
{
    const tqc_rule_info_t *r = tqc_rule_info(f->rule);
    cJSON *o = cJSON_CreateObject();
    cJSON *categories = cJSON_AddArrayToObject(o, "categories");
    cJSON *category = cJSON_CreateString("Security");
    cJSON *location = cJSON_AddObjectToObject(o, "location");
    cJSON *lines = cJSON_AddObjectToObject(location, "lines");
    char *check = tqc_format("tenantq-check/%s-%s", r->id, r->name);
    char *text = tqc_format("%s [%s]", f->message, r->id);
    if (!o || !categories || !category || !location || !lines || !check || !text) {
        cJSON_Delete(category);
        goto fail;
    }
    cJSON_AddItemToArray(categories, category);
    /* Errors break isolation; warnings (TQ007) are a smell. */
    if (!cJSON_AddStringToObject(o, "type", "issue") ||
        !cJSON_AddStringToObject(o, "description", text) ||
        !cJSON_AddStringToObject(o, "check_name", check) ||
        !cJSON_AddStringToObject(o, "fingerprint", f->fingerprint) ||
        !cJSON_AddStringToObject(o, "severity",
                                 r->level == TQC_LEVEL_ERROR ? "critical" : "minor") ||
        !cJSON_AddStringToObject(location, "path", f->file->display) ||
        !cJSON_AddNumberToObject(lines, "begin", f->line) ||
        !cJSON_AddNumberToObject(lines, "end", f->end_line)) {
        goto fail;
    }
    free(check);
    free(text);
    return o;
fail:
    free(check);
    free(text);
    cJSON_Delete(o);
    return NULL;
}

int tqc_output_gitlab(const tqc_session_t *s, FILE *out)
{
    cJSON *doc = cJSON_CreateArray();
    if (!doc) {
        return -1;
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        const tqc_finding_t *f = &s->findings[i];
        if (f->suppressed || f->baselined) {
            continue;
        }
        cJSON *issue = issue_json(f);
        if (!issue) {
            cJSON_Delete(doc);
            return -1;
        }
        cJSON_AddItemToArray(doc, issue);
    }
    return tqc_print_json(doc, out);
}
