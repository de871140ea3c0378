/* findings.c: the session's list of findings and of analysis errors.
 *
 * Workers add findings concurrently; a finding in a header reached from many
 * translation units is kept once (rule + file + start position). This file never
 * decides what is a finding, and never prints a finding (only analysis errors). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int tqc_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return 0;
    }
    size_t next = *cap ? *cap * 2 : 16;
    while (next < need) {
        next *= 2;
    }
    void *p = realloc(*items, next * elem);
    if (!p) {
        return -1;
    }
    *items = p;
    *cap = next;
    return 0;
}

char *tqc_vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        return NULL;
    }
    char *buf = malloc((size_t)n + 1);
    if (buf) {
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
    }
    return buf;
}

char *tqc_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *r = tqc_vformat(fmt, ap);
    va_end(ap);
    return r;
}

void tqc_finding_add(tqc_session_t *s, tqc_rule_t rule, const tqc_file_t *file,
                     unsigned line, unsigned column, unsigned end_line, unsigned end_column,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = tqc_vformat(fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->lock);
    if (!message) {
        s->out_of_memory = 1;
        goto done;
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        const tqc_finding_t *f = &s->findings[i];
        if (f->rule == rule && f->file == file && f->line == line && f->column == column &&
            strcmp(f->message, message) == 0) {
            free(message);
            goto done;
        }
    }
    if (tqc_grow((void **)&s->findings, &s->finding_cap, s->finding_count + 1,
                 sizeof *s->findings) != 0) {
        free(message);
        s->out_of_memory = 1;
        goto done;
    }
    if (end_line < line || (end_line == line && end_column <= column)) {
        end_line = line;
        end_column = column + 1;
    }
    tqc_finding_t *f = &s->findings[s->finding_count++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->file = file;
    f->line = line;
    f->column = column;
    f->end_line = end_line;
    f->end_column = end_column;
    f->message = message;
done:
    pthread_mutex_unlock(&s->lock);
}

void tqc_session_error(tqc_session_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = tqc_vformat(fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->lock);
    fprintf(stderr, "tenantq-check: error: %s\n", message ? message : "out of memory");
    if (!message || tqc_grow((void **)&s->errors, &s->error_cap, s->error_count + 1,
                             sizeof *s->errors) != 0) {
        free(message);
        s->out_of_memory = 1;
    } else {
        s->errors[s->error_count++] = message;
    }
    pthread_mutex_unlock(&s->lock);
}

static int compare_findings(const void *a, const void *b)
{
    const tqc_finding_t *x = a;
    const tqc_finding_t *y = b;
    int c = strcmp(x->file->display, y->file->display);
    if (c != 0) {
        return c;
    }
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    if (x->column != y->column) {
        return x->column < y->column ? -1 : 1;
    }
    if (x->rule != y->rule) {
        return x->rule < y->rule ? -1 : 1;
    }
    return strcmp(x->message, y->message);
}

void tqc_findings_sort(tqc_session_t *s)
{
    if (s->finding_count > 1) {
        qsort(s->findings, s->finding_count, sizeof *s->findings, compare_findings);
    }
}

size_t tqc_findings_failing(const tqc_session_t *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->finding_count; i++) {
        const tqc_finding_t *f = &s->findings[i];
        if (f->suppressed || f->baselined) {
            continue;
        }
        if (tqc_rule_info(f->rule)->level == TQC_LEVEL_ERROR || s->opt.werror) {
            n++;
        }
    }
    return n;
}
