/* inventory.c: counting a bot's chunks and listing its distinct sources by scrolling.
 *
 * Only generated calls reach the server; the tenant and bot come from the context and
 * the scope argument, so an inventory can never include another tenant's or bot's
 * chunks (the runtime's leak guard fails the call with TQ_ELEAK if a server tried).
 * It must never stop scrolling early and call the partial result complete. */
#include "inventory.h"

#include <stdlib.h>
#include <string.h>

tq_status_t kb_count_chunks(const tenant_ctx_t *ctx, const char *bot, uint64_t *out,
                            tq_detail_t *detail) {
    return kb_chunks_count(ctx, bot, NULL, out, detail);
}

static char *dup_or_empty(const char *text) {
    const char *from = text ? text : "";
    size_t len = strlen(from);
    char *copy = malloc(len + 1);
    if (copy) memcpy(copy, from, len + 1);
    return copy;
}

/* Finds `source` in the sorted list; returns its index, or the insertion point with
 * *found = 0. */
static size_t find_source(const kb_inventory_t *inv, const char *source, int *found) {
    size_t lo = 0, hi = inv->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(source, inv->items[mid].source);
        if (cmp == 0) {
            *found = 1;
            return mid;
        }
        if (cmp < 0) hi = mid;
        else lo = mid + 1;
    }
    *found = 0;
    return lo;
}

/* Adds one chunk of `record` to the inventory. Returns TQ_OK, TQ_ENOMEM or TQ_ELIMIT. */
static tq_status_t add_chunk(kb_inventory_t *inv, const kb_chunks_record_t *record) {
    const char *source = record->source ? record->source : "";
    int found;
    size_t at = find_source(inv, source, &found);
    if (!found) {
        if (inv->count == KB_MAX_SOURCES) return TQ_ELIMIT;
        if (inv->count == inv->capacity) {
            size_t cap = inv->capacity ? inv->capacity * 2 : 32;
            kb_source_info_t *grown = realloc(inv->items, cap * sizeof *grown);
            if (!grown) return TQ_ENOMEM;
            inv->items = grown;
            inv->capacity = cap;
        }
        kb_source_info_t info = {dup_or_empty(source), dup_or_empty(record->title), 0, 0};
        if (!info.source || !info.title) {
            free(info.source);
            free(info.title);
            return TQ_ENOMEM;
        }
        memmove(&inv->items[at + 1], &inv->items[at], (inv->count - at) * sizeof *inv->items);
        inv->items[at] = info;
        inv->count++;
    }
    kb_source_info_t *info = &inv->items[at];
    info->chunks++;
    if (record->has_page && record->page > info->last_page) info->last_page = record->page;
    inv->chunks++;
    return TQ_OK;
}

tq_status_t kb_inventory_collect(const tenant_ctx_t *ctx, const char *bot,
                                 kb_inventory_t *out, tq_detail_t *detail) {
    char cursor[sizeof ((kb_chunks_records_t *)0)->next_cursor] = "";
    memset(out, 0, sizeof *out);
    for (;;) {
        kb_chunks_records_t page;
        tq_status_t status = kb_chunks_scroll(ctx, bot, NULL, KB_SCROLL_PAGE,
                                              cursor[0] ? cursor : NULL, &page, detail);
        if (status != TQ_OK) return status;
        out->requests++;
        for (size_t i = 0; i < page.count && status == TQ_OK; i++)
            status = add_chunk(out, &page.items[i]);
        memcpy(cursor, page.next_cursor, sizeof cursor);
        cursor[sizeof cursor - 1] = '\0';
        kb_chunks_records_free(&page);
        if (status != TQ_OK) {
            if (detail) {
                detail->status = status;
                detail->http_status = 0;
                snprintf(detail->message, sizeof detail->message, "%s",
                         status == TQ_ELIMIT ? "more distinct sources than kb lists"
                                             : "out of memory while listing sources");
            }
            return status;
        }
        if (!cursor[0]) return TQ_OK;
    }
}

void kb_inventory_free(kb_inventory_t *inventory) {
    if (!inventory) return;
    for (size_t i = 0; i < inventory->count; i++) {
        free(inventory->items[i].source);
        free(inventory->items[i].title);
    }
    free(inventory->items);
    memset(inventory, 0, sizeof *inventory);
}
