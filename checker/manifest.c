/* manifest.c: reads tenantq-gen manifests, the only thing that can make a file count as
 * generated code. A manifest names its files relative to its own directory with the
 * sha256 of each whole file. A malformed manifest is an error (exit 2), never an
 * empty list, so a typo cannot silently turn exemptions off or on. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int valid_sha(const char *hex)
{
    if (strlen(hex) != 64) {
        return 0;
    }
    for (size_t i = 0; i < 64; i++) {
        if (!isxdigit((unsigned char)hex[i]) || isupper((unsigned char)hex[i])) {
            return 0;
        }
    }
    return 1;
}

/* Adds the entries of a parsed manifest; returns 0 or -1 with a session error. */
static int add_entries(tqc_session_t *s, const char *resolved, const cJSON *doc)
{
    const cJSON *generator = cJSON_GetObjectItemCaseSensitive(doc, "generator");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    if (!cJSON_IsString(generator) || strncmp(generator->valuestring, "tenantq-gen", 11) != 0) {
        tqc_session_error(s, "%s: manifest: \"generator\" must name tenantq-gen", resolved);
        return -1;
    }
    if (!cJSON_IsArray(files)) {
        tqc_session_error(s, "%s: manifest: \"files\" must be an array", resolved);
        return -1;
    }
    char *dir = strdup(resolved);
    if (!dir) {
        s->out_of_memory = 1;
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (slash) {
        slash[slash == dir ? 1 : 0] = '\0';
    }
    int rc = -1;
    const cJSON *item;
    cJSON_ArrayForEach(item, files)
    {
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(item, "path");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(item, "sha256");
        if (!cJSON_IsString(path) || !path->valuestring[0] || path->valuestring[0] == '/' ||
            !cJSON_IsString(sha) || !valid_sha(sha->valuestring)) {
            tqc_session_error(s, "%s: manifest: every file needs a relative \"path\" and a "
                                 "64-digit lowercase hex \"sha256\"", resolved);
            goto done;
        }
        char *joined = tqc_path_join(dir, path->valuestring);
        char *abs = joined ? tqc_path_resolve(joined) : NULL;
        free(joined);
        if (!abs || tqc_grow((void **)&s->manifest_entries, &s->manifest_entry_cap,
                             s->manifest_entry_count + 1, sizeof *s->manifest_entries) != 0) {
            free(abs);
            s->out_of_memory = 1;
            goto done;
        }
        tqc_manifest_entry_t *e = &s->manifest_entries[s->manifest_entry_count];
        e->path = abs;
        memcpy(e->sha256, sha->valuestring, 65);
        e->manifest = strdup(tqc_path_relative(s->root, resolved));
        if (!e->manifest) {
            free(abs);
            s->out_of_memory = 1;
            goto done;
        }
        s->manifest_entry_count++;
    }
    rc = 0;
done:
    free(dir);
    return rc;
}

int tqc_manifest_load(tqc_session_t *s, const char *path)
{
    char *resolved = tqc_path_resolve(path);
    cJSON *doc = NULL;
    int rc = -1;
    if (!resolved) {
        s->out_of_memory = 1;
        return -1;
    }
    for (size_t i = 0; i < s->loaded_manifest_count; i++) {
        if (strcmp(s->loaded_manifests[i], resolved) == 0) {
            rc = 0;
            goto done;
        }
    }
    doc = tqc_read_json(s, resolved, "manifest");
    if (!doc) {
        goto done;
    }
    if (!cJSON_IsObject(doc)) {
        tqc_session_error(s, "%s: manifest is not a JSON object", path);
        goto done;
    }
    if (add_entries(s, resolved, doc) != 0) {
        goto done;
    }
    if (tqc_grow((void **)&s->loaded_manifests, &s->loaded_manifest_cap,
                 s->loaded_manifest_count + 1, sizeof *s->loaded_manifests) != 0) {
        s->out_of_memory = 1;
        goto done;
    }
    s->loaded_manifests[s->loaded_manifest_count++] = resolved;
    resolved = NULL;
    rc = 0;
done:
    cJSON_Delete(doc);
    free(resolved);
    return rc;
}

const tqc_manifest_entry_t *tqc_manifest_find(const tqc_session_t *s, const char *path)
{
    for (size_t i = 0; i < s->manifest_entry_count; i++) {
        if (strcmp(s->manifest_entries[i].path, path) == 0) {
            return &s->manifest_entries[i];
        }
    }
    return NULL;
}
