/* output_text.c: the human format, one finding per block:
 *   path:line:col: error: message [TQ00n]
 *   <the source line>
 *   <caret under the start, tildes to the end on the same line>
 * Suppressed and baselined findings are left out (json and sarif keep them). */
#include "internal.h"

static void print_caret(FILE *out, const tqc_finding_t *f, const char *text, size_t len)
{
    size_t start = f->column > 0 ? f->column - 1 : 0;
    for (size_t i = 0; i < start && i < len; i++) {
        fputc(text[i] == '\t' ? '\t' : ' ', out);
    }
    fputc('^', out);
    if (f->end_line == f->line && f->end_column > f->column + 1) {
        size_t end = f->end_column - 1;
        for (size_t i = start + 1; i < end && i < len; i++) {
            fputc('~', out);
        }
    }
    fputc('\n', out);
}

int tqc_output_text(const tqc_session_t *s, FILE *out)
{
    for (size_t i = 0; i < s->finding_count; i++) {
        const tqc_finding_t *f = &s->findings[i];
        if (f->suppressed || f->baselined) {
            continue;
        }
        const tqc_rule_info_t *rule = tqc_rule_info(f->rule);
        fprintf(out, "%s:%u:%u: %s: %s [%s]\n", f->file->display, f->line, f->column,
                rule->level == TQC_LEVEL_ERROR ? "error" : "warning", f->message, rule->id);
        size_t len = 0;
        const char *text = tqc_file_line(f->file, f->line, &len);
        if (text) {
            fprintf(out, "%.*s\n", (int)len, text);
            print_caret(out, f, text, len);
        }
    }
    return ferror(out) ? -1 : 0;
}
