/* suppress.c: `// tenantq-check: allow TQ00n[, TQ00m] -- reason` comments.
 *
 * The directive must begin its comment. It suppresses the named rules on its own line
 * and on the line below. It
 * must have a reason after `--`; TQ000 and TQ006 cannot be suppressed; a rule it names
 * that suppresses nothing is reported. Every misuse is a TQ000 finding at the comment,
 * and a misused comment suppresses nothing. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char marker[] = "tenantq-check:";

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    return p;
}

/* Parses one directive between `p` and the end of its line. */
static void parse_directive(tqc_session_t *s, const tqc_file_t *file, unsigned line,
                            unsigned column, const char *p, const char *end)
{
    const char *close = NULL;
    for (const char *q = p; q + 1 < end; q++) {
        if (q[0] == '*' && q[1] == '/') {
            close = q;
            break;
        }
    }
    if (close) {
        end = close;
    }
    unsigned rules = 0;
    p = skip_space(p, end);
    if ((size_t)(end - p) < 5 || memcmp(p, "allow", 5) != 0) {
        tqc_finding_add(s, TQC_TQ000, file, line, column, line, column + sizeof marker - 1,
                        "malformed suppression: expected 'tenantq-check: allow TQ00n -- "
                        "reason'");
        return;
    }
    p += 5;
    for (;;) {
        p = skip_space(p, end);
        tqc_rule_t rule;
        if (end - p >= 5 && tqc_rule_parse(p, 5, &rule) == 0 &&
            (end - p == 5 || !isalnum((unsigned char)p[5]))) {
            if (!tqc_rule_info(rule)->suppressible) {
                tqc_finding_add(s, TQC_TQ000, file, line, column, line,
                                column + sizeof marker - 1, "%s cannot be suppressed",
                                tqc_rule_info(rule)->id);
                return;
            }
            rules |= 1u << rule;
            p = skip_space(p + 5, end);
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            if (p < end && (*p == 'T')) {
                continue;
            }
            break;
        }
        tqc_finding_add(s, TQC_TQ000, file, line, column, line, column + sizeof marker - 1,
                        "malformed suppression: expected a rule id TQ001..TQ007 after "
                        "'allow'");
        return;
    }
    const char *reason = NULL;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
        reason = skip_space(p + 2, end);
    } else if (p != end) {
        tqc_finding_add(s, TQC_TQ000, file, line, column, line, column + sizeof marker - 1,
                        "malformed suppression: expected '-- reason' after the rule ids");
        return;
    }
    const char *reason_end = end;
    while (reason && reason_end > reason && isspace((unsigned char)reason_end[-1])) {
        reason_end--;
    }
    if (!reason || reason_end == reason) {
        tqc_finding_add(s, TQC_TQ000, file, line, column, line, column + sizeof marker - 1,
                        "suppression has no reason; write '-- why this is safe'");
        return;
    }
    pthread_mutex_lock(&s->lock);
    if (tqc_grow((void **)&s->suppressions, &s->suppression_cap, s->suppression_count + 1,
                 sizeof *s->suppressions) == 0) {
        tqc_suppression_t *sup = &s->suppressions[s->suppression_count];
        memset(sup, 0, sizeof *sup);
        sup->file = file;
        sup->line = line;
        sup->column = column;
        sup->rules = rules;
        sup->reason = tqc_format("%.*s", (int)(reason_end - reason), reason);
        if (sup->reason) {
            s->suppression_count++;
        } else {
            s->out_of_memory = 1;
        }
    } else {
        s->out_of_memory = 1;
    }
    pthread_mutex_unlock(&s->lock);
}

/* Handles one comment whose text runs from `body` to `end`: a directive when the text
 * starts, after blanks, with the marker. */
static void check_comment(tqc_session_t *s, const tqc_file_t *file, const char *body,
                          const char *end)
{
    body = skip_space(body, end);
    size_t n = sizeof marker - 1;
    if ((size_t)(end - body) < n || memcmp(body, marker, n) != 0) {
        return;
    }
    size_t offset = (size_t)(body - file->data);
    size_t lo = 0, hi = file->line_count;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (file->line_starts[mid] <= offset) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    const char *nl = memchr(body, '\n', (size_t)(end - body));
    parse_directive(s, file, (unsigned)lo + 1, (unsigned)(offset - file->line_starts[lo]) + 1,
                    body + n, nl ? nl : end);
}

void tqc_suppress_scan(tqc_session_t *s, const tqc_file_t *file)
{
    if (!file->data || !strstr(file->data, marker)) {
        return;
    }
    /* A small C lexer: string and character literals are skipped, so only real
     * comments are considered. */
    const char *p = file->data;
    const char *end = file->data + file->size;
    while (p < end) {
        if (*p == '"' || *p == '\'') {
            char quote = *p++;
            while (p < end && *p != quote && *p != '\n') {
                p += (*p == '\\' && p + 1 < end) ? 2 : 1;
            }
            p++;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '/') {
            const char *stop = memchr(p, '\n', (size_t)(end - p));
            stop = stop ? stop : end;
            check_comment(s, file, p + 2, stop);
            p = stop;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            const char *stop = strstr(p + 2, "*/");
            stop = stop ? stop : end;
            check_comment(s, file, p + 2, stop);
            p = stop + 2;
        } else {
            p++;
        }
    }
}

void tqc_suppress_apply(tqc_session_t *s)
{
    for (size_t i = 0; i < s->finding_count; i++) {
        tqc_finding_t *f = &s->findings[i];
        if (!tqc_rule_info(f->rule)->suppressible) {
            continue;
        }
        for (size_t j = 0; j < s->suppression_count; j++) {
            tqc_suppression_t *sup = &s->suppressions[j];
            if (sup->file != f->file || !(sup->rules & (1u << f->rule)) ||
                (sup->line != f->line && sup->line + 1 != f->line)) {
                continue;
            }
            sup->used |= 1u << f->rule;
            if (!f->suppressed) {
                f->suppressed = 1;
                f->justification = strdup(sup->reason);
                if (!f->justification) {
                    s->out_of_memory = 1;
                }
            }
        }
    }
    for (size_t j = 0; j < s->suppression_count; j++) {
        const tqc_suppression_t *sup = &s->suppressions[j];
        for (int r = 0; r < TQC_RULE_COUNT; r++) {
            if ((sup->rules & (1u << r)) && !(sup->used & (1u << r))) {
                tqc_finding_add(s, TQC_TQ000, sup->file, sup->line, sup->column, sup->line,
                                sup->column + sizeof marker - 1,
                                "suppression of %s suppresses nothing on this line or the next",
                                tqc_rule_info((tqc_rule_t)r)->id);
            }
        }
    }
}
