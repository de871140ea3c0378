/* output_sarif.c: SARIF 2.1.0 as GitHub code scanning reads it: tool.driver with the
 * rule table, results with repo-relative artifact URIs (uriBaseId %SRCROOT%), regions,
 * partialFingerprints, in-source suppressions, and an invocation that says whether
 * everything requested was analysed. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Percent-encodes a path for a URI; '/' and unreserved characters stay. */
static char *uri_encode(const char *prefix, const char *path, const char *suffix)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t pl = strlen(prefix), n = strlen(path), sl = strlen(suffix);
    char *out = malloc(pl + 3 * n + sl + 1);
    if (!out) {
        return NULL;
    }
    memcpy(out, prefix, pl);
    size_t o = pl;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    memcpy(out + o, suffix, sl + 1);
    return out;
}

static int add_text(cJSON *parent, const char *key, const char *text)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    return o && cJSON_AddStringToObject(o, "text", text) ? 0 : -1;
}

static cJSON *rule_json(const tqc_rule_info_t *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *help = cJSON_AddObjectToObject(o, "help");
    cJSON *config = cJSON_AddObjectToObject(o, "defaultConfiguration");
    cJSON *props = cJSON_AddObjectToObject(o, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON *tag = cJSON_CreateString("security");
    if (!o || !help || !config || !props || !tags || !tag) {
        cJSON_Delete(tag);
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddItemToArray(tags, tag);
    if (!cJSON_AddStringToObject(o, "id", r->id) || !cJSON_AddStringToObject(o, "name", r->name) ||
        add_text(o, "shortDescription", r->short_text) != 0 ||
        add_text(o, "fullDescription", r->full_text) != 0 ||
        !cJSON_AddStringToObject(help, "text", r->help_text) ||
        !cJSON_AddStringToObject(help, "markdown", r->help_markdown) ||
        !cJSON_AddStringToObject(config, "level",
                                 r->level == TQC_LEVEL_ERROR ? "error" : "warning") ||
        !cJSON_AddStringToObject(props, "precision", "high")) {
        cJSON_Delete(o);
        return NULL;
    }
    char *help_uri = tqc_format("%s#%s", TQC_DOCS_URL, r->anchor);
    if (!help_uri || !cJSON_AddStringToObject(o, "helpUri", help_uri)) {
        free(help_uri);
        cJSON_Delete(o);
        return NULL;
    }
    free(help_uri);
    return o;
}

static cJSON *location_json(const tqc_session_t *s, const tqc_finding_t *f)
{
    int inside = f->file->display != f->file->path && strcmp(f->file->display, f->file->path) != 0;
    char *uri = inside ? uri_encode("", f->file->display, "") : uri_encode("file://", f->file->path, "");
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    cJSON *region = cJSON_AddObjectToObject(phys, "region");
    if (!uri || !loc || !phys || !art || !region || !cJSON_AddStringToObject(art, "uri", uri) ||
        (inside && !cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%")) ||
        !cJSON_AddNumberToObject(region, "startLine", f->line) ||
        !cJSON_AddNumberToObject(region, "startColumn", f->column) ||
        !cJSON_AddNumberToObject(region, "endLine", f->end_line) ||
        !cJSON_AddNumberToObject(region, "endColumn", f->end_column)) {
        free(uri);
        cJSON_Delete(loc);
        return NULL;
    }
    (void)s;
    free(uri);
    return loc;
}

static cJSON *result_json(const tqc_session_t *s, const tqc_finding_t *f)
{
    const tqc_rule_info_t *r = tqc_rule_info(f->rule);
    cJSON *o = cJSON_CreateObject();
    cJSON *locations = cJSON_AddArrayToObject(o, "locations");
    cJSON *loc = location_json(s, f);
    cJSON *prints = cJSON_AddObjectToObject(o, "partialFingerprints");
    if (!o || !locations || !loc || !prints) {
        cJSON_Delete(loc);
        goto fail;
    }
    cJSON_AddItemToArray(locations, loc);
    if (!cJSON_AddStringToObject(o, "ruleId", r->id) ||
        !cJSON_AddNumberToObject(o, "ruleIndex", (double)f->rule) ||
        !cJSON_AddStringToObject(o, "level", r->level == TQC_LEVEL_ERROR ? "error" : "warning") ||
        add_text(o, "message", f->message) != 0 ||
        !cJSON_AddStringToObject(prints, "primaryLocationLineHash", f->fingerprint) ||
        !cJSON_AddStringToObject(prints, "tenantqFingerprint/v1", f->fingerprint)) {
        goto fail;
    }
    if (f->suppressed || f->baselined) {
        cJSON *sups = cJSON_AddArrayToObject(o, "suppressions");
        cJSON *sup = cJSON_CreateObject();
        if (!sups || !sup) {
            cJSON_Delete(sup);
            goto fail;
        }
        cJSON_AddItemToArray(sups, sup);
        if (!cJSON_AddStringToObject(sup, "kind", f->suppressed ? "inSource" : "external") ||
            !cJSON_AddStringToObject(sup, "justification",
                                     f->suppressed ? f->justification : "accepted in the baseline")) {
            goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *invocation_json(const tqc_session_t *s)
{
    cJSON *inv = cJSON_CreateObject();
    cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
    if (!inv || !notes ||
        !cJSON_AddBoolToObject(inv, "executionSuccessful", s->error_count == 0 && !s->out_of_memory)) {
        cJSON_Delete(inv);
        return NULL;
    }
    if (s->unchecked_entries && !s->opt.require_all && !s->opt.only_named) {
        char *text = tqc_format("%zu of %zu compilation database entries outside the named "
                                "paths were not checked", s->unchecked_entries,
                                s->database_entries);
        cJSON *note = cJSON_CreateObject();
        int ok = text && note;
        if (note) {
            cJSON_AddItemToArray(notes, note);
        }
        ok = ok && cJSON_AddStringToObject(note, "level", "warning") &&
             add_text(note, "message", text) == 0;
        free(text);
        if (!ok) {
            cJSON_Delete(inv);
            return NULL;
        }
    }
    for (size_t i = 0; i < s->error_count; i++) {
        cJSON *note = cJSON_CreateObject();
        if (!note) {
            cJSON_Delete(inv);
            return NULL;
        }
        cJSON_AddItemToArray(notes, note);
        if (!cJSON_AddStringToObject(note, "level", "error") ||
            add_text(note, "message", s->errors[i]) != 0) {
            cJSON_Delete(inv);
            return NULL;
        }
    }
    return inv;
}

int tqc_output_sarif(const tqc_session_t *s, FILE *out)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    cJSON *run = cJSON_CreateObject();
    char *root_uri = uri_encode("file://", s->root, strcmp(s->root, "/") ? "/" : "");
    if (!doc || !runs || !run || !root_uri) {
        cJSON_Delete(run);
        goto fail;
    }
    cJSON_AddItemToArray(runs, run);
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON *srcroot = cJSON_AddObjectToObject(bases, "%SRCROOT%");
    cJSON *invocations = cJSON_AddArrayToObject(run, "invocations");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    cJSON *inv = invocation_json(s);
    if (!cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json") ||
        !cJSON_AddStringToObject(doc, "version", "2.1.0") || !tool || !driver || !rules ||
        !bases || !srcroot || !invocations || !results || !inv ||
        !cJSON_AddStringToObject(driver, "name", "tenantq-check") ||
        !cJSON_AddStringToObject(driver, "version", TQC_VERSION) ||
        !cJSON_AddStringToObject(driver, "semanticVersion", TQC_VERSION) ||
        !cJSON_AddStringToObject(srcroot, "uri", root_uri) ||
        !cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits")) {
        cJSON_Delete(inv);
        goto fail;
    }
    cJSON_AddItemToArray(invocations, inv);
    for (int i = 0; i < TQC_RULE_COUNT; i++) {
        cJSON *r = rule_json(tqc_rule_info((tqc_rule_t)i));
        if (!r) {
            goto fail;
        }
        cJSON_AddItemToArray(rules, r);
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        cJSON *r = result_json(s, &s->findings[i]);
        if (!r) {
            goto fail;
        }
        cJSON_AddItemToArray(results, r);
    }
    free(root_uri);
    return tqc_print_json(doc, out);
fail:
    free(root_uri);
    cJSON_Delete(doc);
    return -1;
}
