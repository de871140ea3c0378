/* analyze.c: parses one translation unit with libclang and walks it once, handing
 * inclusions and cursors to the rule files.
 *
 * Fails closed: a unit with any error-severity diagnostic, or that libclang cannot
 * parse at all, is recorded as not analysed (exit 2) and contributes no findings.
 * System headers and exempt files (the runtime's own files, verified generated code)
 * are skipped as whole subtrees, which is also what keeps the walk fast. A unit whose
 * tenantq code hides behind a compiler-identity #if, built by a compiler other than
 * clang, is parsed and walked a second time as gcc would see it. */
#include "analyze.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TQC_CLANG_RESOURCE_DIR
#error "TQC_CLANG_RESOURCE_DIR must name the clang 14 resource directory"
#endif

static size_t slot_hash(CXFile f)
{
    uintptr_t p = (uintptr_t)f;
    return (size_t)((p >> 4) * (uintptr_t)0x9E3779B97F4A7C15u);
}

static int slots_grow(tqc_tu_t *t)
{
    size_t cap = t->slot_cap ? t->slot_cap * 2 : 256;
    tqc_file_slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots) {
        return -1;
    }
    for (size_t i = 0; i < t->slot_cap; i++) {
        if (t->slots[i].cx) {
            size_t j = slot_hash(t->slots[i].cx) & (cap - 1);
            while (slots[j].cx) {
                j = (j + 1) & (cap - 1);
            }
            slots[j] = t->slots[i];
        }
    }
    free(t->slots);
    t->slots = slots;
    t->slot_cap = cap;
    return 0;
}

/* 1 when `path` (as libclang names it) lies inside the repository root. */
static int inside_root(const tqc_session_t *s, const char *path)
{
    if (strcmp(s->root, "/") == 0) {
        return 0;
    }
    if (path[0] == '/') {
        return tqc_path_is_under(path, s->root);
    }
    char *resolved = tqc_path_resolve(path);
    int inside = resolved && tqc_path_is_under(resolved, s->root);
    free(resolved);
    return inside;
}

const tqc_file_slot_t *tqc_tu_slot(tqc_tu_t *t, CXFile f)
{
    if (!f) {
        return NULL;
    }
    if (t->slot_cap) {
        for (size_t i = slot_hash(f) & (t->slot_cap - 1);; i = (i + 1) & (t->slot_cap - 1)) {
            if (!t->slots[i].cx) {
                break;
            }
            if (t->slots[i].cx == f) {
                return &t->slots[i];
            }
        }
    }
    if ((t->slot_count + 1) * 2 > t->slot_cap && slots_grow(t) != 0) {
        t->failed = 1;
        return NULL;
    }
    size_t i = slot_hash(f) & (t->slot_cap - 1);
    while (t->slots[i].cx) {
        i = (i + 1) & (t->slot_cap - 1);
    }
    tqc_file_slot_t *slot = &t->slots[i];
    slot->cx = f;
    t->slot_count++;
    CXString name = clang_getFileName(f);
    const char *path = clang_getCString(name);
    if (!path) {
        path = "";
    }
    slot->is_system = (unsigned)clang_Location_isInSystemHeader(
        clang_getLocationForOffset(t->tu, f, 0));
    if (slot->is_system && inside_root(t->s, path)) {
        /* -isystem must not hide the repository's own headers from the rules. */
        slot->is_system = 0;
    }
    slot->is_raw = (unsigned)tqc_path_has_suffix(path, "tenantq/raw.h");
    if (!slot->is_system) {
        slot->file = tqc_file_get(t->s, path);
        if (!slot->file) {
            t->failed = 1;
        } else {
            slot->is_raw |= slot->file->is_raw_header;
            slot->is_internal = slot->file->is_internal;
        }
    } else if (strstr(path, "/runtime/src/")) {
        int internal = 0;
        (void)tqc_path_in_runtime_tree(path, &internal, NULL);
        slot->is_internal = (unsigned)internal;
    }
    if (slot->is_raw) {
        t->has_raw_header = 1;
    }
    /* Only a unit that can name struct tenant_ctx can forge one: the TQ004 checks of
     * expressions run only there, which keeps code that does not touch tenantq fast. */
    if (slot->is_raw || (slot->file && slot->file->mentions_ctx) ||
        tqc_path_has_suffix(path, "tenantq/tenantq.h")) {
        t->has_ctx = 1;
    }
    clang_disposeString(name);
    return slot;
}

int tqc_cursor_loc(tqc_tu_t *t, CXCursor c, tqc_loc_t *loc)
{
    CXFile f = NULL, fe = NULL;
    unsigned line = 0, column = 0, end_line = 0, end_column = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &column, NULL);
    const tqc_file_slot_t *slot = tqc_tu_slot(t, f);
    if (!slot || !slot->file || slot->file->exempt) {
        return 0;
    }
    clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)), &fe, &end_line,
                               &end_column, NULL);
    if (fe != f || end_line < line) {
        end_line = line;
        end_column = column + 1;
    }
    loc->file = slot->file;
    loc->line = line;
    loc->column = column;
    loc->end_line = end_line;
    loc->end_column = end_column;
    return 1;
}

int tqc_decl_is_raw(tqc_tu_t *t, CXCursor decl, const char *name)
{
    if (strncmp(name, "tq_raw_", 7) == 0) {
        return 1;
    }
    if (!t->has_raw_header) {
        return 0;
    }
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(decl), &f, NULL, NULL, NULL);
    const tqc_file_slot_t *slot = tqc_tu_slot(t, f);
    return slot && slot->is_raw;
}

void tqc_vreport(tqc_tu_t *t, tqc_rule_t rule, const tqc_loc_t *loc, const char *fmt,
                 va_list ap)
{
    char *message = tqc_vformat(fmt, ap);
    if (!message) {
        t->failed = 1;
        return;
    }
    tqc_finding_add(t->s, rule, loc->file, loc->line, loc->column, loc->end_line,
                    loc->end_column, "%s", message);
    free(message);
}

void tqc_report(tqc_tu_t *t, tqc_rule_t rule, const tqc_loc_t *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tqc_vreport(t, rule, loc, fmt, ap);
    va_end(ap);
}

static void on_inclusion(CXFile included, CXSourceLocation *stack, unsigned depth,
                         CXClientData data)
{
    tqc_tu_t *t = data;
    const tqc_file_slot_t *slot = tqc_tu_slot(t, included);
    if (slot && depth > 0) {
        tqc_tq003_inclusion(t, included, slot, stack[0]);
    }
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
    tqc_tu_t *t = data;
    enum CXCursorKind kind = clang_getCursorKind(c);
    switch (kind) {
    case CXCursor_StringLiteral: {
        char *value = tqc_string_literal_value(c);
        if (value) {
            tqc_tq002_string(t, c, value);
            tqc_tq005_string(t, c, value);
            free(value);
        }
        return CXChildVisit_Continue;
    }
    case CXCursor_CallExpr: {
        CXString name = clang_getCursorSpelling(c);
        const char *callee = clang_getCString(name);
        if (callee && callee[0]) {
            if (t->has_ctx) {
                tqc_tq004_call(t, c, callee);
            }
            tqc_tq007_call(t, c, callee);
        }
        clang_disposeString(name);
        break;
    }
    default:
        break;
    }
    if (kind == CXCursor_FunctionDecl) {
        tqc_signature_record(t, c);
    }
    tqc_tq001_cursor(t, c, kind);
    tqc_tq004_cursor(t, c, kind);
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data)
{
    tqc_tu_t *t = data;
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    const tqc_file_slot_t *slot = tqc_tu_slot(t, f);
    if (!slot || !slot->file || slot->file->exempt) {
        return CXChildVisit_Continue;
    }
    if (visit(c, parent, data) == CXChildVisit_Recurse) {
        clang_visitChildren(c, visit, data);
    }
    return CXChildVisit_Continue;
}

/* A generated header that does not exist yet ("'kb.tq.h' file not found") means the
 * checker ran before the build generated the client: say so, since the bare compiler
 * error reads like a broken include path. */
static void note_missing_generated(tqc_session_t *s, CXDiagnostic d)
{
    static const char suffix[] = ".tq.h' file not found";
    CXString text = clang_getDiagnosticSpelling(d);
    const char *msg = clang_getCString(text);
    size_t len = msg ? strlen(msg) : 0;
    if (len > sizeof suffix && msg[0] == '\'' &&
        strcmp(msg + len - (sizeof suffix - 1), suffix) == 0) {
        tqc_session_error(s, "%.*s is generated by tenantq-gen during the build and does not "
                             "exist yet: build the project, or its generate-only target "
                             "<target>_tenantq_generate, before running tenantq-check",
                          (int)(strchr(msg + 1, '\'') - msg - 1), msg + 1);
    }
    clang_disposeString(text);
}

/* Prints the unit's error diagnostics; returns how many there were. */
static unsigned report_errors(tqc_session_t *s, CXTranslationUnit tu)
{
    unsigned errors = 0;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXString text = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
            pthread_mutex_lock(&s->lock);
            fprintf(stderr, "%s\n", clang_getCString(text));
            pthread_mutex_unlock(&s->lock);
            clang_disposeString(text);
            errors++;
            note_missing_generated(s, d);
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

/* When every error of a unit is the driver's "unknown argument '...'" (flags of
 * another compiler in the database), removes those arguments from argv in place and
 * returns how many went; returns 0 when any other error exists. */
static size_t drop_unknown_arguments(tqc_session_t *s, const tqc_job_t *job,
                                     CXTranslationUnit tu, const char **argv, size_t *argc)
{
    static const char prefix[] = "unknown argument";
    size_t dropped = 0;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        int error = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
        CXString text = clang_getDiagnosticSpelling(d);
        const char *msg = clang_getCString(text);
        const char *open = msg && strncmp(msg, prefix, sizeof prefix - 1) == 0 ?
                               strchr(msg, '\'') : NULL;
        const char *close = open ? strchr(open + 1, '\'') : NULL;
        size_t before = *argc;
        if (close) {
            size_t len = (size_t)(close - open - 1);
            size_t kept = 0;
            for (size_t k = 0; k < *argc; k++) {
                if (!(strlen(argv[k]) == len && strncmp(argv[k], open + 1, len) == 0)) {
                    argv[kept++] = argv[k];
                }
            }
            *argc = kept;
        }
        clang_disposeString(text);
        clang_disposeDiagnostic(d);
        if (error && *argc == before) {
            return 0;
        }
        dropped += before - *argc;
    }
    if (dropped) {
        pthread_mutex_lock(&s->lock);
        fprintf(stderr, "%s: note: ignoring %zu compiler argument%s clang 14 does not know\n",
                job->file, dropped, dropped == 1 ? "" : "s");
        pthread_mutex_unlock(&s->lock);
    }
    return dropped;
}

/* Parses the unit; on success *tu holds a unit without error diagnostics. */
static int parse_unit(tqc_session_t *s, CXIndex index, const tqc_job_t *job, const char **argv,
                      size_t argc, CXTranslationUnit *tu)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        enum CXErrorCode err = clang_parseTranslationUnit2(
            index, job->file, argv, (int)argc, NULL, 0,
            CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, tu);
        if (err != CXError_Success || !*tu) {
            tqc_session_error(s, "%s: libclang could not parse it (CXErrorCode %d)", job->file,
                              (int)err);
            return -1;
        }
        if (attempt == 0 && drop_unknown_arguments(s, job, *tu, argv, &argc) > 0) {
            clang_disposeTranslationUnit(*tu);
            *tu = NULL;
            continue;
        }
        unsigned errors = report_errors(s, *tu);
        if (errors) {
            tqc_session_error(s, "%s: %u compile error%s; the file was not checked", job->file,
                              errors, errors == 1 ? "" : "s");
            return -1;
        }
        return 0;
    }
    return -1;
}

/* 1 for assembly sources, which are scanned as text instead of parsed. */
static int is_assembly(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) {
        return 0;
    }
    return strcmp(dot, ".s") == 0 || strcmp(dot, ".S") == 0 || strcmp(dot, ".sx") == 0 ||
           strcmp(dot, ".asm") == 0;
}

/* Parses the unit with `argv` and walks it; 0, or -1 with a session error. *needs_gcc is
 * set when an analysed file holds tenantq code under a compiler-identity conditional. */
static int parse_and_walk(tqc_session_t *s, CXIndex index, const tqc_job_t *job,
                          const char **argv, size_t argc, int *needs_gcc)
{
    CXTranslationUnit tu = NULL;
    tqc_tu_t t;
    int rc = -1;
    memset(&t, 0, sizeof t);
    if (parse_unit(s, index, job, argv, argc, &tu) != 0) {
        if (tu) {
            clang_disposeTranslationUnit(tu); /* parsed, but with errors */
        }
        return -1;
    }
    t.s = s;
    t.tu = tu;
    clang_getInclusions(tu, on_inclusion, &t);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &t);
    if (t.failed) {
        tqc_session_error(s, "%s: out of memory during analysis", job->file);
        goto done;
    }
    for (size_t i = 0; needs_gcc && i < t.slot_cap; i++) {
        const tqc_file_t *file = t.slots[i].file;
        if (t.slots[i].cx && file && !file->exempt && file->identity_hint) {
            *needs_gcc = 1;
        }
    }
    rc = 0;
done:
    free(t.slots);
    free(t.records);
    clang_disposeTranslationUnit(tu);
    return rc;
}

/* 1 when the database names a compiler other than clang, or none (files named on the
 * command line may be built by any compiler). */
static int built_by_other_compiler(const tqc_job_t *job)
{
    if (!job->compiler) {
        return 1;
    }
    const char *base = strrchr(job->compiler, '/');
    return strstr(base ? base + 1 : job->compiler, "clang") == NULL;
}

/* argv = the job's arguments followed by `added`. */
static void fill_argv(const char **argv, const tqc_job_t *job, const char *const *added,
                      size_t n_added)
{
    for (size_t i = 0; i < job->arg_count; i++) {
        argv[i] = job->args[i];
    }
    for (size_t i = 0; i < n_added; i++) {
        argv[job->arg_count + i] = added[i];
    }
}

int tqc_analyze(tqc_session_t *s, CXIndex index, const tqc_job_t *job)
{
    static const char *const added[] = {"-resource-dir", TQC_CLANG_RESOURCE_DIR, "-w"};
    /* What gcc (Debian 12's gcc 12) predefines differently from clang. */
    static const char *const as_gcc[] = {
        "-U__clang__", "-U__clang_major__", "-U__clang_minor__", "-U__clang_patchlevel__",
        "-U__clang_version__", "-U__GNUC__", "-D__GNUC__=12", "-U__GNUC_MINOR__",
        "-D__GNUC_MINOR__=2", "-U__GNUC_PATCHLEVEL__", "-D__GNUC_PATCHLEVEL__=0"};
    const size_t n_added = sizeof added / sizeof added[0];
    const size_t n_gcc = sizeof as_gcc / sizeof as_gcc[0];
    int rc = -1;
    const char **argv = calloc(job->arg_count + n_added + n_gcc, sizeof *argv);
    if (!argv) {
        tqc_session_error(s, "%s: out of memory", job->file);
        return -1;
    }
    fill_argv(argv, job, added, n_added);
    if (access(job->file, R_OK) != 0) {
        tqc_session_error(s, "%s: cannot read the file", job->file);
        goto done;
    }
    if (is_assembly(job->file)) {
        const tqc_file_t *file = tqc_file_get(s, job->file);
        if (!file) {
            tqc_session_error(s, "%s: out of memory", job->file);
            goto done;
        }
        tqc_tq001_assembly(s, file);
        rc = 0;
        goto done;
    }
    int needs_gcc = 0;
    if (parse_and_walk(s, index, job, argv, job->arg_count + n_added,
                       built_by_other_compiler(job) ? &needs_gcc : NULL) != 0) {
        goto done;
    }
    if (needs_gcc) {
        /* clang saw only its own side of an #if on the compiler's identity; the build's
         * compiler sees the other. Parse again as gcc and report what that side holds. */
        pthread_mutex_lock(&s->lock);
        fprintf(stderr, "%s: note: tenantq code under a compiler-identity #if; parsing the "
                        "unit a second time as gcc 12 would see it\n", job->file);
        pthread_mutex_unlock(&s->lock);
        /* The first parse may have dropped unknown arguments from argv: refill it. */
        fill_argv(argv, job, added, n_added);
        for (size_t i = 0; i < n_gcc; i++) {
            argv[job->arg_count + n_added + i] = as_gcc[i];
        }
        if (parse_and_walk(s, index, job, argv, job->arg_count + n_added + n_gcc, NULL) != 0) {
            tqc_session_error(s, "%s: parsed as gcc would (its compiler-identity #if hides "
                                 "tenantq code from clang), it does not compile with clang; "
                                 "that configuration was not checked", job->file);
            goto done;
        }
    }
    rc = 0;
done:
    free(argv);
    return rc;
}
