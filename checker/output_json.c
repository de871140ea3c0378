/* output_json.c: the machine format. One object: tool, version, findings (every
 * finding, suppressed and baselined ones marked), errors (what was not analysed) and a
 * summary. Field names are documented in docs/checker.md and are stable. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

int tqc_print_json(cJSON *doc, FILE *out)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    int rc = -1;
    if (text) {
        rc = fputs(text, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
        free(text);
    }
    cJSON_Delete(doc);
    return rc;
}

static cJSON *finding_json(const tqc_finding_t *f)
{
    const tqc_rule_info_t *rule = tqc_rule_info(f->rule);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "rule", rule->id) ||
        !cJSON_AddStringToObject(o, "name", rule->name) ||
        !cJSON_AddStringToObject(o, "level", rule->level == TQC_LEVEL_ERROR ? "error" : "warning") ||
        !cJSON_AddStringToObject(o, "path", f->file->display) ||
        !cJSON_AddNumberToObject(o, "line", f->line) ||
        !cJSON_AddNumberToObject(o, "column", f->column) ||
        !cJSON_AddNumberToObject(o, "end_line", f->end_line) ||
        !cJSON_AddNumberToObject(o, "end_column", f->end_column) ||
        !cJSON_AddStringToObject(o, "message", f->message) ||
        !cJSON_AddBoolToObject(o, "suppressed", f->suppressed) ||
        !(f->justification ? cJSON_AddStringToObject(o, "justification", f->justification)
                           : cJSON_AddNullToObject(o, "justification")) ||
        !cJSON_AddBoolToObject(o, "baselined", f->baselined) ||
        !cJSON_AddStringToObject(o, "fingerprint", f->fingerprint)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int tqc_output_json(const tqc_session_t *s, FILE *out)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *findings = cJSON_AddArrayToObject(doc, "findings");
    cJSON *errors = cJSON_AddArrayToObject(doc, "errors");
    cJSON *summary = cJSON_AddObjectToObject(doc, "summary");
    size_t suppressed = 0, baselined = 0;
    if (!cJSON_AddStringToObject(doc, "tool", "tenantq-check") ||
        !cJSON_AddStringToObject(doc, "version", TQC_VERSION) || !findings || !errors ||
        !summary) {
        goto fail;
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        cJSON *f = finding_json(&s->findings[i]);
        if (!f) {
            goto fail;
        }
        cJSON_AddItemToArray(findings, f);
        suppressed += s->findings[i].suppressed != 0;
        baselined += s->findings[i].baselined != 0;
    }
    for (size_t i = 0; i < s->error_count; i++) {
        cJSON *e = cJSON_CreateString(s->errors[i]);
        if (!e) {
            goto fail;
        }
        cJSON_AddItemToArray(errors, e);
    }
    if (!cJSON_AddNumberToObject(summary, "findings", (double)s->finding_count) ||
        !cJSON_AddNumberToObject(summary, "suppressed", (double)suppressed) ||
        !cJSON_AddNumberToObject(summary, "baselined", (double)baselined) ||
        !cJSON_AddNumberToObject(summary, "failing", (double)tqc_findings_failing(s)) ||
        !cJSON_AddNumberToObject(summary, "unchecked_entries", (double)s->unchecked_entries)) {
        goto fail;
    }
    return tqc_print_json(doc, out);
fail:
    cJSON_Delete(doc);
    return -1;
}
