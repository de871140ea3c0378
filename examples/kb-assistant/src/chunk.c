/* chunk.c: markdown and plain-text chunking with title, section and page tracking.
 *
 * The splitter is a single pass over lines. Paragraphs (runs of non-blank lines) are
 * packed into the current chunk until it reaches KB_CHUNK_TARGET bytes; a heading, a
 * page marker or the end of text closes the chunk. It never reads past `len`, never
 * keeps a pointer into the caller's text, and on allocation failure frees everything
 * it built. */
#include "chunk.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct text_buf {
    char *data;
    size_t len;
    size_t cap;
} text_buf_t;

typedef struct splitter {
    kb_document_t doc;
    size_t chunk_cap;
    text_buf_t chunk;     /* body of the chunk being built */
    text_buf_t paragraph; /* lines of the paragraph being read */
    size_t paragraph_lines;
    char section[KB_HEADING_MAX + 1];
    long page;
    int in_fence;
    int saw_content; /* any non-blank line before the current one */
    char first_line[KB_HEADING_MAX + 1];
    int first_line_alone; /* the first line was followed by a blank line */
    int failed;
} splitter_t;

static int buf_append(text_buf_t *buf, const char *bytes, size_t len) {
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 256;
        while (cap < buf->len + len + 1) cap *= 2;
        char *grown = realloc(buf->data, cap);
        if (!grown) return -1;
        buf->data = grown;
        buf->cap = cap;
    }
    memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return 0;
}

static char *dup_bytes(const char *bytes, size_t len) {
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

/* Copies `len` bytes of `src` into `dst` (capacity KB_HEADING_MAX + 1) with leading and
 * trailing blanks removed, cutting at KB_HEADING_MAX bytes. */
static void copy_trimmed(char *dst, const char *src, size_t len) {
    while (len > 0 && isspace((unsigned char)*src)) {
        src++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)src[len - 1])) len--;
    if (len > KB_HEADING_MAX) len = KB_HEADING_MAX;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Emits the chunk being built, if it has any text. Sets `failed` on ENOMEM. */
static void close_chunk(splitter_t *sp) {
    if (sp->failed || sp->chunk.len == 0) return;
    if (sp->doc.count == sp->chunk_cap) {
        size_t cap = sp->chunk_cap ? sp->chunk_cap * 2 : 16;
        kb_chunk_t *grown = realloc(sp->doc.chunks, cap * sizeof *grown);
        if (!grown) {
            sp->failed = 1;
            return;
        }
        sp->doc.chunks = grown;
        sp->chunk_cap = cap;
    }
    size_t heading_len = strlen(sp->section);
    size_t total = heading_len + (heading_len ? 1 : 0) + sp->chunk.len;
    char *text = malloc(total + 1);
    char *section = dup_bytes(sp->section, heading_len);
    if (!text || !section) {
        free(text);
        free(section);
        sp->failed = 1;
        return;
    }
    size_t at = 0;
    if (heading_len) {
        memcpy(text, sp->section, heading_len);
        text[heading_len] = '\n';
        at = heading_len + 1;
    }
    memcpy(text + at, sp->chunk.data, sp->chunk.len);
    text[total] = '\0';
    kb_chunk_t *chunk = &sp->doc.chunks[sp->doc.count++];
    chunk->text = text;
    chunk->section = section;
    chunk->page = sp->page;
    sp->chunk.len = 0;
}

/* Adds `len` bytes of paragraph text to the chunk, closing the chunk first when the
 * paragraph would push it past KB_CHUNK_MAX, and cutting over-long paragraphs at the
 * last blank before KB_CHUNK_MAX. */
static void add_paragraph_text(splitter_t *sp, const char *text, size_t len) {
    while (!sp->failed && len > 0) {
        size_t room = KB_CHUNK_MAX - (sp->chunk.len ? sp->chunk.len + 1 : 0);
        if (sp->chunk.len && len > room) {
            close_chunk(sp);
            continue;
        }
        size_t take = len;
        if (take > KB_CHUNK_MAX) {
            take = KB_CHUNK_MAX;
            while (take > KB_CHUNK_MAX / 2 && !isspace((unsigned char)text[take])) take--;
            if (take == KB_CHUNK_MAX / 2) take = KB_CHUNK_MAX;
        }
        if ((sp->chunk.len && buf_append(&sp->chunk, "\n", 1) != 0) ||
            buf_append(&sp->chunk, text, take) != 0) {
            sp->failed = 1;
            return;
        }
        text += take;
        len -= take;
        while (len > 0 && isspace((unsigned char)*text)) {
            text++;
            len--;
        }
        if (len > 0 || sp->chunk.len >= KB_CHUNK_TARGET) close_chunk(sp);
    }
}

static void end_paragraph(splitter_t *sp) {
    if (sp->paragraph.len) add_paragraph_text(sp, sp->paragraph.data, sp->paragraph.len);
    sp->paragraph.len = 0;
    sp->paragraph_lines = 0;
}

/* A section starts: whatever was read belongs to the previous section. */
static void start_section(splitter_t *sp, int level, const char *heading, size_t len) {
    end_paragraph(sp);
    close_chunk(sp);
    copy_trimmed(sp->section, heading, len);
    if (level == 1 && !sp->doc.title && sp->section[0]) {
        sp->doc.title = dup_bytes(sp->section, strlen(sp->section));
        if (!sp->doc.title) sp->failed = 1;
    }
}

static void new_page(splitter_t *sp, long page) {
    end_paragraph(sp);
    close_chunk(sp);
    sp->page = page;
}

/* Returns the level (1..6) of an ATX heading and its text, or 0. */
static int atx_heading(const char *line, size_t len, const char **text, size_t *text_len) {
    size_t level = 0;
    while (level < len && line[level] == '#') level++;
    if (level == 0 || level > 6 || level >= len || line[level] != ' ') return 0;
    size_t end = len;
    while (end > level && (line[end - 1] == '#' || isspace((unsigned char)line[end - 1]))) end--;
    *text = line + level + 1;
    *text_len = end > level + 1 ? end - level - 1 : 0;
    return (int)level;
}

/* Whether the line is made only of `c` (at least two), ignoring trailing blanks. */
static int underline_of(const char *line, size_t len, char c) {
    while (len > 0 && isspace((unsigned char)line[len - 1])) len--;
    if (len < 2) return 0;
    for (size_t i = 0; i < len; i++)
        if (line[i] != c) return 0;
    return 1;
}

/* Parses `<!-- page N -->`; returns N, or 0 when the line is not a page marker. */
static long page_marker(const char *line, size_t len) {
    static const char OPEN[] = "<!-- page ";
    size_t open_len = sizeof OPEN - 1;
    if (len < open_len || strncmp(line, OPEN, open_len) != 0) return 0;
    long page = 0;
    size_t i = open_len;
    for (; i < len && isdigit((unsigned char)line[i]) && page < 1000000; i++)
        page = page * 10 + (line[i] - '0');
    while (i < len && line[i] == ' ') i++;
    if (len - i < 3 || strncmp(line + i, "-->", 3) != 0) return 0;
    return page;
}

static int is_blank(const char *line, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)line[i])) return 0;
    return 1;
}

/* Handles a line that is markup rather than text: a page marker, a heading, a setext
 * underline or a thematic break. Returns 1 when the line was consumed. */
static int take_markup(splitter_t *sp, const char *line, size_t len) {
    long page = page_marker(line, len);
    if (page > 0) {
        new_page(sp, page);
        return 1;
    }
    const char *heading;
    size_t heading_len;
    int level = atx_heading(line, len, &heading, &heading_len);
    if (level > 0) {
        start_section(sp, level, heading, heading_len);
        return 1;
    }
    int dashes = underline_of(line, len, '-');
    if (sp->paragraph_lines == 1 && (dashes || underline_of(line, len, '='))) {
        char previous[KB_HEADING_MAX + 1];
        copy_trimmed(previous, sp->paragraph.data, sp->paragraph.len);
        sp->paragraph.len = 0;
        sp->paragraph_lines = 0;
        start_section(sp, dashes ? 2 : 1, previous, strlen(previous));
        return 1;
    }
    return sp->paragraph_lines == 0 && dashes; /* a thematic break */
}

static int is_fence(const char *line, size_t len) {
    return len >= 3 && strncmp(line, "```", 3) == 0;
}

static void take_line(splitter_t *sp, const char *line, size_t len) {
    int blank = is_blank(line, len);
    if (is_fence(line, len)) {
        sp->in_fence = !sp->in_fence;
    } else if (!sp->in_fence) {
        if (blank) {
            /* The document's first text was a paragraph of one line: a title candidate. */
            if (sp->paragraph_lines == 1 && sp->doc.count == 0 && sp->chunk.len == 0 &&
                sp->first_line[0])
                sp->first_line_alone = 1;
            end_paragraph(sp);
            return;
        }
        int first = !sp->saw_content;
        sp->saw_content = 1;
        if (take_markup(sp, line, len)) return;
        if (first) copy_trimmed(sp->first_line, line, len);
    }
    if (blank) return;
    if ((sp->paragraph.len && buf_append(&sp->paragraph, "\n", 1) != 0) ||
        buf_append(&sp->paragraph, line, len) != 0) {
        sp->failed = 1;
        return;
    }
    sp->paragraph_lines++;
}

static void free_chunks(kb_document_t *doc) {
    for (size_t i = 0; i < doc->count; i++) {
        free(doc->chunks[i].text);
        free(doc->chunks[i].section);
    }
    free(doc->chunks);
    free(doc->title);
}

int kb_chunk_document(const char *text, size_t len, const char *fallback_title,
                      kb_document_t *out) {
    splitter_t sp;
    memset(&sp, 0, sizeof sp);
    sp.page = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len && !sp.failed; i++) {
        int at_end = i == len;
        char c = at_end ? '\n' : text[i];
        if (c == '\f') {
            if (i > start) take_line(&sp, text + start, i - start);
            new_page(&sp, sp.page + 1);
            start = i + 1;
        } else if (c == '\n' || c == '\0') {
            size_t line_len = i - start;
            if (line_len > 0 && text[start + line_len - 1] == '\r') line_len--;
            if (!at_end || line_len > 0) take_line(&sp, text + start, line_len);
            start = i + 1;
        }
    }
    end_paragraph(&sp);
    close_chunk(&sp);
    if (!sp.failed && !sp.doc.title) {
        int line_title = sp.first_line_alone && strlen(sp.first_line) <= KB_TITLE_LINE_MAX;
        const char *title = line_title ? sp.first_line : fallback_title;
        sp.doc.title = dup_bytes(title ? title : "", title ? strlen(title) : 0);
        if (!sp.doc.title) sp.failed = 1;
    }
    free(sp.chunk.data);
    free(sp.paragraph.data);
    if (sp.failed) {
        free_chunks(&sp.doc);
        return -1;
    }
    *out = sp.doc;
    return 0;
}

void kb_document_free(kb_document_t *doc) {
    if (!doc) return;
    free_chunks(doc);
    memset(doc, 0, sizeof *doc);
}
