/* rule_tq007_hardcoded_tenant.c: TQ007 (a warning), tq_ctx_new called with a string
 * literal tenant id (directly, through parentheses, casts or a macro) in a file that
 * is not a tests path. A tests path has a directory component named "test" or
 * "tests" (relative to the repository root), or a base name test_*, *_test.* or
 * *_tests.*. */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

void tqc_tq007_call(tqc_tu_t *t, CXCursor call, const char *callee)
{
    if (strcmp(callee, "tq_ctx_new") != 0 || clang_Cursor_getNumArguments(call) < 2) {
        return;
    }
    CXCursor arg = clang_Cursor_getArgument(call, 1);
    arg = tqc_strip_casts(arg);
    tqc_loc_t loc;
    if (clang_getCursorKind(arg) != CXCursor_StringLiteral || !tqc_cursor_loc(t, arg, &loc) ||
        loc.file->is_test) {
        return;
    }
    char *value = tqc_string_literal_value(arg);
    tqc_report(t, TQC_TQ007, &loc,
               "tenant context made from the literal tenant id \"%s\"; take the id from the "
               "request or configuration", value ? value : "");
    free(value);
}
