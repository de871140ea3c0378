/* chunk.h: splits a markdown or plain-text document into retrieval-sized chunks.
 *
 * A chunk never crosses a section heading or a page break, so every chunk has one
 * section and one page. The document title is the first level-1 heading, else a first
 * line of at most KB_TITLE_LINE_MAX bytes followed by a blank line, else the caller's
 * fallback (usually the file name). */
#ifndef KB_CHUNK_H
#define KB_CHUNK_H

#include <stddef.h>

/* Chunks aim for KB_CHUNK_TARGET bytes and never exceed KB_CHUNK_MAX (a paragraph longer
 * than that is cut at a word boundary). Headings longer than KB_HEADING_MAX are cut. */
#define KB_CHUNK_TARGET 600
#define KB_CHUNK_MAX 1200
#define KB_HEADING_MAX 160
/* A first line standing alone is taken as the title only up to this length. */
#define KB_TITLE_LINE_MAX 80

typedef struct kb_chunk {
    char *text;     /* "Section heading\nbody..." (no heading line outside any section) */
    char *section;  /* the section heading, "" before the first one */
    long page;      /* 1-based */
} kb_chunk_t;

typedef struct kb_document {
    char *title;
    kb_chunk_t *chunks;
    size_t count;
} kb_document_t;

/* Splits `len` bytes of `text` (need not be NUL-terminated; NUL bytes end a line).
 * Pages start at 1 and advance at each form feed; a line `<!-- page N -->` sets the
 * page to N. Fenced code blocks are kept whole lines, without heading detection.
 * Returns 0 and fills `out` (free with kb_document_free), or -1 when an allocation
 * failed (`out` untouched). A document without text gives zero chunks. */
int kb_chunk_document(const char *text, size_t len, const char *fallback_title,
                      kb_document_t *out);

void kb_document_free(kb_document_t *doc);

#endif
