/* diag.c: diagnostics of the schema library: recording them and rendering them as
 * "file:line:col: severity: message", the offending source line and a caret.
 *
 * Recording keeps at most TQ_SCHEMA_MAX_ERRORS errors, so a hostile file cannot make
 * the report grow without bound. Rendering never trusts the text: control bytes in the
 * quoted source line are shown as '?', and positions past the end are clamped. */
#include "diag.h"

#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tqs_diag_stopped(const tq_schema_diags_t *diags) { return diags->truncated; }

int tqs_diag(tq_schema_diags_t *diags, tq_schema_severity_t severity, tq_schema_pos_t pos,
             const char *fmt, ...) {
    va_list args;
    int result;
    va_start(args, fmt);
    result = tqs_vdiag(diags, severity, pos, fmt, args);
    va_end(args);
    return result;
}

void tqs_report(tq_schema_diags_t *diags, int *nomem, tq_schema_severity_t severity,
                tq_schema_pos_t pos, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    if (tqs_vdiag(diags, severity, pos, fmt, args) != 0) *nomem = 1;
    va_end(args);
}

int tqs_vdiag(tq_schema_diags_t *diags, tq_schema_severity_t severity, tq_schema_pos_t pos,
              const char *fmt, va_list args) {
    va_list copy;
    int len;
    char *message;
    tq_schema_diag_t *diag;

    if (diags->truncated) return 0;
    if (severity == TQ_SCHEMA_WARNING && diags->warnings == TQ_SCHEMA_MAX_WARNINGS) return 0;
    if (severity == TQ_SCHEMA_ERROR && diags->errors == TQ_SCHEMA_MAX_ERRORS) {
        diags->truncated = 1;
        return 0;
    }
    va_copy(copy, args);
    len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len < 0) len = 0;
    message = tqs_alloc(&diags->allocator, (size_t)len + 1);
    if (message == NULL) return -1;
    vsnprintf(message, (size_t)len + 1, fmt, args);
    diag = tqs_push(&diags->allocator, (void **)&diags->items, &diags->count, sizeof *diag);
    if (diag == NULL) {
        tqs_free(&diags->allocator, message);
        return -1;
    }
    diag->severity = severity;
    diag->pos = pos;
    diag->message = message;
    if (severity == TQ_SCHEMA_ERROR)
        diags->errors++;
    else
        diags->warnings++;
    return 0;
}

void tqs_diag_sort(tq_schema_diags_t *diags) {
    size_t i, j;
    for (i = 1; i < diags->count; i++) {
        tq_schema_diag_t item = diags->items[i];
        for (j = i; j > 0; j--) {
            const tq_schema_diag_t *prev = &diags->items[j - 1];
            if (prev->pos.line < item.pos.line ||
                (prev->pos.line == item.pos.line && prev->pos.col <= item.pos.col))
                break;
            diags->items[j] = *prev;
        }
        diags->items[j] = item;
    }
}

void tq_schema_diags_free(tq_schema_diags_t *diags) {
    size_t i;
    if (diags == NULL || diags->allocator.free == NULL) return;
    for (i = 0; i < diags->count; i++) tqs_free(&diags->allocator, diags->items[i].message);
    tqs_free(&diags->allocator, diags->items);
    diags->items = NULL;
    diags->count = diags->errors = diags->warnings = 0;
    diags->truncated = 0;
}

/* A growable string for rendering. `failed` sticks once an allocation fails. */
typedef struct render_buf {
    const tq_schema_allocator_t *allocator;
    char *data;
    size_t len;
    size_t cap;
    int failed;
} render_buf_t;

static void buf_put(render_buf_t *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 256 : b->cap;
        char *bigger;
        while (b->len + n + 1 > cap) cap *= 2;
        bigger = b->allocator->realloc(b->allocator->user, b->data, cap);
        if (bigger == NULL) {
            b->failed = 1;
            return;
        }
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_puts(render_buf_t *b, const char *s) { buf_put(b, s, strlen(s)); }

/* Finds line `line` (1-based) of `text`; returns its start and sets *line_len
 * (without the newline or a trailing CR). NULL when the text has fewer lines. */
static const char *find_line(const char *text, size_t len, unsigned line, size_t *line_len) {
    size_t start = 0, i;
    unsigned current = 1;
    for (i = 0; i < len && current < line; i++) {
        if (text[i] == '\n') {
            current++;
            start = i + 1;
        }
    }
    if (current != line) return NULL;
    for (i = start; i < len && text[i] != '\n'; i++) continue;
    if (i > start && text[i - 1] == '\r') i--;
    *line_len = i - start;
    return text + start;
}

static void render_source(render_buf_t *b, const char *text, size_t len, tq_schema_pos_t pos) {
    size_t line_len = 0, i, caret;
    const char *line = find_line(text, len, pos.line, &line_len);
    if (line == NULL) return;
    for (i = 0; i < line_len; i++) {
        unsigned char c = (unsigned char)line[i];
        char shown = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
        buf_put(b, &shown, 1);
    }
    buf_puts(b, "\n");
    caret = pos.col > 0 ? pos.col - 1 : 0;
    if (caret > line_len) caret = line_len;
    for (i = 0; i < caret; i++) buf_put(b, line[i] == '\t' ? "\t" : " ", 1);
    buf_puts(b, "^\n");
}

tq_schema_status_t tq_schema_diags_render(const tq_schema_diags_t *diags, const char *path,
                                          const char *text, size_t len, char **out) {
    render_buf_t b;
    size_t i;
    char head[64];

    memset(&b, 0, sizeof b);
    b.allocator = &diags->allocator;
    buf_puts(&b, "");
    for (i = 0; i < diags->count; i++) {
        const tq_schema_diag_t *d = &diags->items[i];
        const char *severity = d->severity == TQ_SCHEMA_ERROR ? "error" : "warning";
        buf_puts(&b, path);
        if (d->pos.line > 0) {
            snprintf(head, sizeof head, ":%u:%u", d->pos.line, d->pos.col);
            buf_puts(&b, head);
        }
        buf_puts(&b, ": ");
        buf_puts(&b, severity);
        buf_puts(&b, ": ");
        buf_puts(&b, d->message);
        buf_puts(&b, "\n");
        if (d->pos.line > 0) render_source(&b, text, len, d->pos);
    }
    if (diags->truncated) {
        snprintf(head, sizeof head, ": note: stopped after %d errors\n", TQ_SCHEMA_MAX_ERRORS);
        buf_puts(&b, path);
        buf_puts(&b, head);
    }
    if (b.failed) {
        tqs_free(&diags->allocator, b.data);
        return TQ_SCHEMA_NOMEM;
    }
    *out = b.data;
    return TQ_SCHEMA_OK;
}

void tq_schema_text_free(const tq_schema_diags_t *diags, char *text) {
    tqs_free(&diags->allocator, text);
}
