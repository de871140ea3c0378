/* cmd_ask.c: `kb ask TENANT BOT QUESTION`: the chunks that best answer a question.
 *
 * `--mode hybrid` (the default) fuses two candidate lists: the question embedded with
 * the same embedder as the documents (dense), and its BM25 terms (text), which find
 * exact tokens such as error codes and product numbers that a hashed embedding cannot
 * match. `--mode dense` and `--mode text` use one list. Every list is searched within
 * the tenant's bot only; the tenant comes from the context and the bot from the scope
 * argument, so no flag or question text can widen the search. Answers are the
 * top chunks with score, source, page, title and a snippet; there is no generation
 * step. It must never print a result the runtime did not return for this tenant and
 * bot. */
#include "kb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define ASK_DEFAULT_LIMIT 3
#define ASK_MAX_LIMIT 50
#define SNIPPET_MAX 240

/* Prints `text` on one indented line, blanks collapsed, cut at SNIPPET_MAX bytes. */
static void print_snippet(FILE *out, const char *text) {
    size_t written = 0;
    int pending_space = 0;
    fputs("    ", out);
    for (const char *p = text ? text : ""; *p && written < SNIPPET_MAX; p++) {
        if (isspace((unsigned char)*p)) {
            pending_space = written > 0;
            continue;
        }
        if (pending_space) {
            fputc(' ', out);
            written++;
            pending_space = 0;
        }
        fputc(*p, out);
        written++;
    }
    if (text && strlen(text) > written) fputs("...", out);
    fputc('\n', out);
}

static int parse_limit(const char *text, uint32_t *out) {
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (!*text || *end || value < 1 || value > ASK_MAX_LIMIT) return -1;
    *out = (uint32_t)value;
    return 0;
}

typedef enum ask_mode { ASK_DENSE, ASK_TEXT, ASK_HYBRID } ask_mode_t;

static int parse_mode(const char *text, ask_mode_t *out) {
    if (strcmp(text, "dense") == 0) *out = ASK_DENSE;
    else if (strcmp(text, "text") == 0) *out = ASK_TEXT;
    else if (strcmp(text, "hybrid") == 0) *out = ASK_HYBRID;
    else return -1;
    return 0;
}

int kb_cmd_ask(kb_app_t *app, int argc, char **argv) {
    uint32_t limit = ASK_DEFAULT_LIMIT;
    ask_mode_t mode = ASK_HYBRID;
    const char *source = NULL;
    const char *positional[3];
    size_t npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            if (parse_limit(argv[++i], &limit) != 0) {
                fprintf(app->err, "kb: error: --limit takes 1..%d\n", ASK_MAX_LIMIT);
                return KB_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            if (parse_mode(argv[++i], &mode) != 0) {
                fprintf(app->err, "kb: error: --mode takes dense, text or hybrid\n");
                return KB_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc) {
            source = argv[++i];
        } else if (npos < 3) {
            positional[npos++] = argv[i];
        } else {
            npos++;
        }
    }
    if (npos != 3) {
        fprintf(app->err,
                "usage: kb ask TENANT BOT QUESTION [--limit N] [--source S] "
                "[--mode dense|text|hybrid]\n");
        return KB_EXIT_USAGE;
    }
    const char *tenant = positional[0], *bot = positional[1], *question = positional[2];
    if (kb_app_check_bot(app, bot) != 0) return KB_EXIT_USAGE;
    float vector[KB_CHUNKS_DIM];
    if (mode != ASK_TEXT && kb_embed(&app->embedder, question, vector) != 0) {
        fprintf(app->err, "kb: error: the question has no words to search for\n");
        return KB_EXIT_USAGE;
    }
    tenant_ctx_t *ctx = NULL;
    if (kb_app_ctx(app, tenant, &ctx) != 0) return KB_EXIT_FAIL;

    kb_chunks_filter_t filter = {0};
    filter.source = source;
    kb_chunks_records_t results;
    tq_detail_t detail = {0};
    double started = kb_now_us();
    const kb_chunks_filter_t *where = source ? &filter : NULL;
    tq_status_t status;
    if (mode == ASK_DENSE)
        status = kb_chunks_search(ctx, bot, vector, KB_CHUNKS_DIM, where, limit, NULL, &results,
                                  &detail);
    else if (mode == ASK_TEXT)
        status = kb_chunks_text_search(ctx, bot, question, where, limit, NULL, &results, &detail);
    else
        status = kb_chunks_hybrid(ctx, bot, vector, KB_CHUNKS_DIM, question, where, limit, NULL,
                                  &results, &detail);
    double elapsed_ms = (kb_now_us() - started) / 1000.0;
    tq_ctx_free(ctx);
    if (status != TQ_OK) {
        kb_app_fail(app, "ask", status, &detail);
        return KB_EXIT_FAIL;
    }
    static const char *const mode_names[] = {"dense", "text", "hybrid"};
    fprintf(app->out, "Q: %s\n   (%s/%s, %s: %zu result%s in %.1f ms)\n", question, tenant, bot,
            mode_names[mode], results.count, results.count == 1 ? "" : "s", elapsed_ms);
    for (size_t i = 0; i < results.count; i++) {
        const kb_chunks_record_t *r = &results.items[i];
        fprintf(app->out, "[%zu] %.4f  %s", i + 1, r->score, r->source ? r->source : "?");
        if (r->has_page) fprintf(app->out, "  page %lld", (long long)r->page);
        fprintf(app->out, "\n    %s\n", r->title && r->title[0] ? r->title : "(untitled)");
        print_snippet(app->out, r->text);
    }
    kb_chunks_records_free(&results);
    return KB_EXIT_OK;
}
