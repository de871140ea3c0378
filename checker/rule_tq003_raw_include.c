/* rule_tq003_raw_include.c: TQ003, including <tenantq/raw.h> or a runtime-internal
 * header (any file of a tenantq runtime/src/ tree) from a file that is neither
 * generated nor part of the runtime. Reported at the #include, once per including
 * file and line however many units reach it. */
#include "analyze.h"
#include "internal.h"

void tqc_tq003_inclusion(tqc_tu_t *t, CXFile included, const tqc_file_slot_t *slot,
                         CXSourceLocation at)
{
    /* Copy what is needed: the next slot lookup may move the slot table. */
    int is_raw = slot->is_raw;
    const tqc_file_t *target = slot->file;
    if (!is_raw && !slot->is_internal) {
        return;
    }
    CXFile from = NULL;
    unsigned line = 0, column = 0;
    clang_getExpansionLocation(at, &from, &line, &column, NULL);
    const tqc_file_slot_t *includer = tqc_tu_slot(t, from);
    if (!includer || !includer->file || includer->file->exempt) {
        return;
    }
    size_t len = 0;
    const char *text = tqc_file_line(includer->file, line, &len);
    unsigned end_column = text ? (unsigned)len + 1 : column + 1;
    if (is_raw) {
        tqc_finding_add(t->s, TQC_TQ003, includer->file, line, column, line, end_column,
                        "includes <tenantq/raw.h>, the raw layer reserved for generated "
                        "code; include the generated *.tq.h instead");
        return;
    }
    CXString name = clang_getFileName(included);
    const char *path = clang_getCString(name);
    tqc_finding_add(t->s, TQC_TQ003, includer->file, line, column, line, end_column,
                    "includes runtime-internal header '%s'; only the runtime may",
                    target ? target->display : (path ? path : "?"));
    clang_disposeString(name);
}
