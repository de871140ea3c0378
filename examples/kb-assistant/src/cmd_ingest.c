/* cmd_ingest.c: `kb ingest TENANT BOT FILE...`: chunk, embed and store documents.
 *
 * Each file becomes one source, named by its path as given (a leading "./" dropped).
 * Re-ingesting a file replaces it: its old chunks are deleted first, so a shorter new
 * version leaves no stale tail. Chunks are embedded and upserted KB_BATCH at a time
 * with a progress bar on a terminal. Files are read whole, up to KB_FILE_MAX bytes; a
 * larger or unreadable file stops the command before anything is written. */
#include "chunk.h"
#include "kb.h"
#include "progress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define KB_FILE_MAX (4u * 1024u * 1024u)
#define KB_SOURCE_MAX 400
#define KB_BATCH 64

typedef struct ingest_doc {
    const char *path;   /* as given */
    const char *source; /* path without leading "./" */
    kb_document_t doc;
} ingest_doc_t;

/* Reads `path` whole into a NUL-terminated buffer (free with free()). Returns 0, or -1
 * after printing "path: error: reason". */
static int read_file(kb_app_t *app, const char *path, char **out, size_t *out_len) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(app->err, "%s: error: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = -1;
    char *data = malloc(KB_FILE_MAX + 1);
    if (!data) {
        fprintf(app->err, "%s: error: out of memory\n", path);
        goto done;
    }
    size_t len = fread(data, 1, KB_FILE_MAX + 1, file);
    if (ferror(file)) {
        fprintf(app->err, "%s: error: read failed\n", path);
        goto done;
    }
    if (len > KB_FILE_MAX) {
        fprintf(app->err, "%s: error: larger than %u bytes\n", path, KB_FILE_MAX);
        goto done;
    }
    data[len] = '\0';
    *out = data;
    *out_len = len;
    data = NULL;
    rc = 0;
done:
    free(data);
    fclose(file);
    return rc;
}

/* The file name without directories and extension: the title of a document that
 * declares none. */
static void fallback_title(const char *path, char *out, size_t cap) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strcspn(base, ".");
    if (len >= cap) len = cap - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

/* Payload strings must be printable UTF-8 (the runtime refuses control characters),
 * so line breaks and tabs become single spaces and other control bytes are dropped.
 * Works in place; the text only shrinks. */
static void flatten_controls(char *text) {
    char *out = text;
    int pending_space = 0;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            pending_space = out != text;
            continue;
        }
        if (c < 0x20 || c == 0x7f) continue;
        if (pending_space) *out++ = ' ';
        pending_space = 0;
        *out++ = (char)c;
    }
    *out = '\0';
}

static int load_document(kb_app_t *app, ingest_doc_t *item, const char *path) {
    item->path = path;
    item->source = path;
    while (strncmp(item->source, "./", 2) == 0) item->source += 2;
    if (strlen(item->source) > KB_SOURCE_MAX) {
        fprintf(app->err, "%s: error: path longer than %d bytes\n", path, KB_SOURCE_MAX);
        return -1;
    }
    char *text = NULL;
    size_t len = 0;
    if (read_file(app, path, &text, &len) != 0) return -1;
    char title[128];
    fallback_title(path, title, sizeof title);
    int rc = kb_chunk_document(text, len, title, &item->doc);
    free(text);
    if (rc != 0) {
        fprintf(app->err, "%s: error: out of memory while chunking\n", path);
        return rc;
    }
    flatten_controls(item->doc.title);
    for (size_t i = 0; i < item->doc.count; i++) flatten_controls(item->doc.chunks[i].text);
    return 0;
}

/* Replaces the stored chunks of one document. Returns TQ_OK or the failing status with
 * the reason printed. `skipped` counts chunks with nothing to embed. */
static tq_status_t store_document(kb_app_t *app, const tenant_ctx_t *ctx, const char *bot,
                                  const ingest_doc_t *item, float *vectors,
                                  kb_progress_t *bar, size_t *stored, size_t *skipped) {
    char keys[KB_BATCH][KB_SOURCE_MAX + 32];
    kb_chunks_point_t points[KB_BATCH];
    tq_detail_t detail = {0};
    kb_chunks_filter_t this_source = {0};
    this_source.source = item->source;
    tq_status_t status = kb_chunks_delete_where(ctx, bot, &this_source, &detail);
    if (status != TQ_OK) {
        kb_progress_finish(bar);
        kb_app_fail(app, item->path, status, &detail);
        return status;
    }
    size_t next = 0;
    while (next < item->doc.count) {
        size_t batch = 0, consumed = 0;
        for (; next < item->doc.count && batch < KB_BATCH; next++, consumed++) {
            const kb_chunk_t *chunk = &item->doc.chunks[next];
            float *vector = vectors + batch * KB_CHUNKS_DIM;
            if (kb_embed(&app->embedder, chunk->text, vector) != 0) {
                (*skipped)++;
                continue;
            }
            snprintf(keys[batch], sizeof keys[batch], "%s#%zu", item->source, next);
            kb_chunks_point_t *point = &points[batch++];
            memset(point, 0, sizeof *point);
            point->key = keys[batch - 1];
            point->vector = vector;
            point->vector_len = KB_CHUNKS_DIM;
            point->source = item->source;
            point->title = item->doc.title;
            point->text = chunk->text;
            point->page = chunk->page;
            point->has_page = 1;
        }
        if (batch > 0) {
            detail = (tq_detail_t){0};
            status = kb_chunks_upsert(ctx, bot, points, batch, &detail);
            if (status != TQ_OK) {
                kb_progress_finish(bar);
                kb_app_fail(app, item->path, status, &detail);
                return status;
            }
            *stored += batch;
        }
        kb_progress_advance(bar, consumed);
    }
    return TQ_OK;
}

int kb_cmd_ingest(kb_app_t *app, int argc, char **argv) {
    if (argc < 4) {
        fprintf(app->err, "usage: kb ingest TENANT BOT FILE...\n");
        return KB_EXIT_USAGE;
    }
    const char *bot = argv[2];
    if (kb_app_check_bot(app, bot) != 0) return KB_EXIT_USAGE;
    size_t file_count = (size_t)argc - 3;
    ingest_doc_t *docs = calloc(file_count, sizeof *docs);
    float *vectors = malloc((size_t)KB_BATCH * KB_CHUNKS_DIM * sizeof *vectors);
    tenant_ctx_t *ctx = NULL;
    int rc = KB_EXIT_FAIL;
    if (!docs || !vectors) {
        fprintf(app->err, "kb: error: out of memory\n");
        goto done;
    }
    size_t total = 0;
    for (size_t i = 0; i < file_count; i++) {
        if (load_document(app, &docs[i], argv[3 + i]) != 0) goto done;
        total += docs[i].doc.count;
    }
    if (kb_app_ctx(app, argv[1], &ctx) != 0) goto done;

    kb_progress_t bar;
    char label[64];
    snprintf(label, sizeof label, "%.24s/%.24s", argv[1], bot);
    kb_progress_start(&bar, app->err, label, total);
    size_t stored = 0, skipped = 0;
    double started = kb_now_us();
    for (size_t i = 0; i < file_count; i++) {
        if (store_document(app, ctx, bot, &docs[i], vectors, &bar, &stored, &skipped) != TQ_OK)
            goto done;
    }
    kb_progress_finish(&bar);
    double seconds = (kb_now_us() - started) / 1e6;
    double rate = seconds > 0 ? (double)stored / seconds : 0.0;
    fprintf(app->out, "ingested %zu chunks from %zu files into %s/%s in %.2f s (%.0f chunks/s)",
            stored, file_count, argv[1], bot, seconds, rate);
    if (skipped) fprintf(app->out, "; %zu chunks without words skipped", skipped);
    fputc('\n', app->out);
    rc = KB_EXIT_OK;
done:
    for (size_t i = 0; docs && i < file_count; i++) kb_document_free(&docs[i].doc);
    free(docs);
    free(vectors);
    tq_ctx_free(ctx);
    return rc;
}
