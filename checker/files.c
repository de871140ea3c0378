/* files.c: the table of every file the analysis reached, keyed by the name libclang
 * gives it and by its resolved path, each read and classified exactly once.
 *
 * Classification decides exemptions (the runtime's own files, recognised by their
 * sha256 against runtime_digests.c, and verified generated code) and notes tenantq
 * code under compiler-identity conditionals. It must never exempt a file it could not
 * read or hash: such a file is simply not exempt. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Name -> file map (open addressing); names are the strings libclang reported plus
 * the resolved paths, so repeated lookups skip realpath(). */
typedef struct name_slot {
    char *name;
    tqc_file_t *file;
} name_slot_t;

static name_slot_t *name_slots;
static size_t name_cap, name_count;

static size_t hash_name(const char *s)
{
    size_t h = 1469598103934665603u;
    while (*s) {
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    }
    return h;
}

static tqc_file_t *name_find(const char *name)
{
    if (!name_cap) {
        return NULL;
    }
    for (size_t i = hash_name(name) & (name_cap - 1);; i = (i + 1) & (name_cap - 1)) {
        if (!name_slots[i].name) {
            return NULL;
        }
        if (strcmp(name_slots[i].name, name) == 0) {
            return name_slots[i].file;
        }
    }
}

static int name_insert(const char *name, tqc_file_t *file)
{
    if ((name_count + 1) * 2 > name_cap) {
        size_t cap = name_cap ? name_cap * 2 : 256;
        name_slot_t *slots = calloc(cap, sizeof *slots);
        if (!slots) {
            return -1;
        }
        for (size_t i = 0; i < name_cap; i++) {
            if (name_slots[i].name) {
                size_t j = hash_name(name_slots[i].name) & (cap - 1);
                while (slots[j].name) {
                    j = (j + 1) & (cap - 1);
                }
                slots[j] = name_slots[i];
            }
        }
        free(name_slots);
        name_slots = slots;
        name_cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        return -1;
    }
    size_t i = hash_name(name) & (name_cap - 1);
    while (name_slots[i].name) {
        i = (i + 1) & (name_cap - 1);
    }
    name_slots[i].name = copy;
    name_slots[i].file = file;
    name_count++;
    return 0;
}

int tqc_read_file(const char *path, size_t limit, char **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;
    if (!f) {
        return -1;
    }
    for (;;) {
        if (tqc_grow((void **)&buf, &cap, len + 65536 + 1, 1) != 0) {
            goto done;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (len > limit) {
            rc = -2;
            goto done;
        }
        if (n == 0) {
            break;
        }
    }
    if (ferror(f)) {
        goto done;
    }
    buf[len] = '\0';
    *data = buf;
    *size = len;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    fclose(f);
    return rc;
}

struct cJSON *tqc_read_json(tqc_session_t *s, const char *path, const char *what)
{
    char *data = NULL;
    size_t size = 0;
    int read = tqc_read_file(path, TQC_MAX_JSON_BYTES, &data, &size);
    if (read != 0) {
        tqc_session_error(s, "%s: cannot read the %s%s", path, what,
                          read == -2 ? " (larger than the limit)" : "");
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(data, size);
    free(data);
    if (!doc) {
        tqc_session_error(s, "%s: the %s is not valid JSON", path, what);
    }
    return doc;
}

static int index_lines(tqc_file_t *file)
{
    size_t cap = 0;
    file->line_count = 0;
    if (tqc_grow((void **)&file->line_starts, &cap, 1, sizeof(size_t)) != 0) {
        return -1;
    }
    file->line_starts[file->line_count++] = 0;
    for (size_t i = 0; i < file->size; i++) {
        if (file->data[i] == '\n' && i + 1 < file->size) {
            if (tqc_grow((void **)&file->line_starts, &cap, file->line_count + 1,
                         sizeof(size_t)) != 0) {
                return -1;
            }
            file->line_starts[file->line_count++] = i + 1;
        }
    }
    return 0;
}

const char *tqc_file_line(const tqc_file_t *file, unsigned line, size_t *len)
{
    if (!file->data || line == 0 || line > file->line_count) {
        return NULL;
    }
    const char *start = file->data + file->line_starts[line - 1];
    const char *end = file->data + file->size;
    const char *nl = memchr(start, '\n', (size_t)(end - start));
    size_t n = nl ? (size_t)(nl - start) : (size_t)(end - start);
    if (n > 0 && start[n - 1] == '\r') {
        n--;
    }
    *len = n;
    return start;
}

/* The runtime-relative name a file claims by its place: the part after runtime/ in a
 * runtime tree, or include/tenantq/NAME for a header in any tenantq/ directory (an
 * installed or -I copy). Written to buf; 0 when it claims nothing. */
static int claimed_runtime_name(const tqc_file_t *file, const char *runtime_rel, char *buf,
                                size_t size)
{
    if (runtime_rel) {
        return snprintf(buf, size, "%s", runtime_rel) < (int)size;
    }
    const char *base = strrchr(file->path, '/');
    if (!base || base - file->path < 8 || strncmp(base - 8, "/tenantq", 8) != 0 ||
        !strstr(base, ".h")) {
        return 0;
    }
    return snprintf(buf, size, "include/tenantq%s", base) < (int)size;
}

/* 1 when the file is one of the runtime's own files, byte for byte (runtime_digests.c).
 * A file that claims to be one by its place but differs gets TQ006 and no exemption:
 * a shadow tenantq/tenantq.h on an -I path, a file added to a vendored runtime tree,
 * an edited runtime source. */
static int trusted_runtime_file(tqc_session_t *s, tqc_file_t *file, const char *runtime_rel)
{
    char name[512];
    if (!claimed_runtime_name(file, runtime_rel, name, sizeof name)) {
        return 0;
    }
    char actual[65] = "";
    if (file->data && tqc_sha256_hex(file->data, file->size, actual) != 0) {
        tqc_session_error(s, "%s: cannot compute sha256", file->path);
        return 0;
    }
    int known = 0;
    for (size_t i = 0; i < tqc_trusted_runtime_count; i++) {
        if (strcmp(tqc_trusted_runtime[i].path, name) == 0) {
            known = 1;
            if (file->data && strcmp(tqc_trusted_runtime[i].sha256, actual) == 0) {
                return 1;
            }
        }
    }
    size_t len0 = 0;
    if (!tqc_file_line(file, 1, &len0)) {
        len0 = 0;
    }
    tqc_finding_add(s, TQC_TQ006, file, 1, 1, 1, (unsigned)len0 + 1,
                    "file sits where the tenantq runtime's '%s' would, but %s; it is checked "
                    "like application code", name,
                    known ? "its content differs from the runtime tenantq-check " TQC_VERSION
                            " was built with"
                          : "the runtime tenantq-check " TQC_VERSION " was built with has no "
                            "such file");
    return 0;
}

/* 1 when `line` (len bytes) is a directive #<name>; *rest points after the name. */
static int is_directive(const char *line, size_t len, const char *name, const char **rest)
{
    const char *p = line, *end = line + len;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    if (p == end || *p != '#') {
        return 0;
    }
    p++;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    size_t n = strlen(name);
    if ((size_t)(end - p) < n || strncmp(p, name, n) != 0 ||
        (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_'))) {
        return 0;
    }
    *rest = p + n;
    return 1;
}

static int contains(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(s + i, word, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* 1 when the file has a conditional on the compiler's identity (#if defined(__clang__),
 * #ifdef __GNUC__, _MSC_VER, ...) whose group, up to its #endif, mentions tenantq or
 * Qdrant: code that clang, parsing as itself, may never see. */
static int has_identity_hint(const tqc_file_t *file)
{
    static const char *const identity[] = {"__clang", "__GNUC__", "__GNUC_MINOR__",
                                           "_MSC_VER", "__INTEL_COMPILER", "__TINYC__", NULL};
    static const char *const hints[] = {"tq_", "TQ_", "tenantq", "tenant_ctx", "qdrant",
                                        "Qdrant", "collections", "snapshots", ".tq.h", NULL};
    if (!file->data || (!strstr(file->data, "__clang") && !strstr(file->data, "__GNUC") &&
                        !strstr(file->data, "_MSC_VER") && !strstr(file->data, "__INTEL") &&
                        !strstr(file->data, "__TINYC__"))) {
        return 0;
    }
    for (unsigned line = 1; line <= file->line_count; line++) {
        size_t len = 0;
        const char *text = tqc_file_line(file, line, &len);
        const char *rest = NULL;
        if (!is_directive(text, len, "if", &rest) && !is_directive(text, len, "ifdef", &rest) &&
            !is_directive(text, len, "ifndef", &rest) && !is_directive(text, len, "elif", &rest)) {
            continue;
        }
        int on_identity = 0;
        for (size_t i = 0; identity[i]; i++) {
            on_identity |= contains(rest, len - (size_t)(rest - text), identity[i]);
        }
        if (!on_identity) {
            continue;
        }
        /* The group runs to the matching #endif. */
        size_t start = (size_t)(text - file->data), end = file->size;
        int depth = 0;
        for (unsigned l = line + 1; l <= file->line_count; l++) {
            size_t n = 0;
            const char *t = tqc_file_line(file, l, &n);
            const char *r = NULL;
            if (is_directive(t, n, "if", &r) || is_directive(t, n, "ifdef", &r) ||
                is_directive(t, n, "ifndef", &r)) {
                depth++;
            } else if (is_directive(t, n, "endif", &r) && depth-- == 0) {
                end = (size_t)(t - file->data);
                break;
            }
        }
        for (size_t i = 0; hints[i]; i++) {
            if (contains(file->data + start, end - start, hints[i])) {
                return 1;
            }
        }
    }
    return 0;
}

static tqc_file_t *file_create(tqc_session_t *s, const char *resolved)
{
    tqc_file_t *file = calloc(1, sizeof *file);
    if (!file) {
        return NULL;
    }
    file->path = strdup(resolved);
    file->display = strdup(tqc_path_relative(s->root, resolved));
    if (!file->path || !file->display ||
        tqc_grow((void **)&s->files, &s->file_cap, s->file_count + 1, sizeof *s->files) != 0) {
        free(file->path);
        free(file->display);
        free(file);
        return NULL;
    }
    s->files[s->file_count++] = file;

    int internal = 0;
    const char *runtime_rel = NULL;
    file->is_raw_header = (unsigned)tqc_path_has_suffix(resolved, "tenantq/raw.h");
    file->is_contract_header =
        file->is_raw_header || tqc_path_has_suffix(resolved, "tenantq/tenantq.h");
    file->is_runtime = (unsigned)tqc_path_in_runtime_tree(resolved, &internal, &runtime_rel);
    file->is_internal = (unsigned)internal;
    file->is_test = (unsigned)tqc_path_is_test(file->display);
    if (tqc_read_file(resolved, TQC_MAX_SOURCE_BYTES, &file->data, &file->size) == 0 &&
        index_lines(file) != 0) {
        s->out_of_memory = 1;
    }
    file->mentions_ctx = file->data && strstr(file->data, "tenant_ctx") != NULL;
    if (trusted_runtime_file(s, file, runtime_rel)) {
        file->exempt = 1;
        return file;
    }
    tqc_tq006_classify(s, file);
    file->exempt = file->is_generated;
    if (!file->exempt) {
        file->identity_hint = (unsigned)has_identity_hint(file);
        tqc_tq001_file(s, file);
        tqc_suppress_scan(s, file);
    }
    return file;
}

tqc_file_t *tqc_file_get(tqc_session_t *s, const char *path)
{
    pthread_mutex_lock(&s->lock);
    tqc_file_t *file = name_find(path);
    if (file) {
        goto done;
    }
    char *resolved = tqc_path_resolve(path);
    if (!resolved) {
        s->out_of_memory = 1;
        goto done;
    }
    file = name_find(resolved);
    if (!file) {
        file = file_create(s, resolved);
        if (file && name_insert(resolved, file) != 0) {
            s->out_of_memory = 1;
        }
    }
    if (file && strcmp(resolved, path) != 0 && name_insert(path, file) != 0) {
        s->out_of_memory = 1;
    }
    free(resolved);
    if (!file) {
        s->out_of_memory = 1;
    }
done:
    pthread_mutex_unlock(&s->lock);
    return file;
}

void tqc_session_free(tqc_session_t *s)
{
    for (size_t i = 0; i < name_cap; i++) {
        free(name_slots[i].name);
    }
    free(name_slots);
    name_slots = NULL;
    name_cap = name_count = 0;
    for (size_t i = 0; i < s->file_count; i++) {
        free(s->files[i]->path);
        free(s->files[i]->display);
        free(s->files[i]->data);
        free(s->files[i]->line_starts);
        free(s->files[i]);
    }
    free(s->files);
    for (size_t i = 0; i < s->finding_count; i++) {
        free(s->findings[i].message);
        free(s->findings[i].justification);
    }
    free(s->findings);
    for (size_t i = 0; i < s->suppression_count; i++) {
        free(s->suppressions[i].reason);
    }
    free(s->suppressions);
    for (size_t i = 0; i < s->manifest_entry_count; i++) {
        free(s->manifest_entries[i].path);
        free(s->manifest_entries[i].manifest);
    }
    free(s->manifest_entries);
    tqc_strv_free(s->loaded_manifests, s->loaded_manifest_count);
    tqc_strv_free(s->errors, s->error_count);
    free(s->root);
    free(s->build_dir_real);
    pthread_mutex_destroy(&s->lock);
}
