/* inventory.h: what a bot holds: its chunk count and its distinct sources.
 *
 * The schema has no per-source table, so distinct sources come from scrolling every
 * chunk of the bot: the cost is one scroll request per KB_SCROLL_PAGE chunks, and every
 * chunk's payload (its text included) crosses the network. Fine for a health view over
 * thousands of chunks; an application with millions would keep a source manifest. */
#ifndef KB_INVENTORY_H
#define KB_INVENTORY_H

#include "kb.h"

#define KB_SCROLL_PAGE 256
/* Distinct sources kept per bot; more is reported as TQ_ELIMIT. */
#define KB_MAX_SOURCES 100000

typedef struct kb_source_info {
    char *source;
    char *title;
    uint64_t chunks;
    int64_t last_page;
} kb_source_info_t;

typedef struct kb_inventory {
    kb_source_info_t *items; /* sorted by source */
    size_t count;
    size_t capacity;
    uint64_t chunks;         /* chunks seen while scrolling */
    size_t requests;         /* scroll pages fetched */
} kb_inventory_t;

/* Counts the bot's chunks. TQ_ENOTFOUND means the tenant's storage does not exist
 * (never onboarded, or offboarded). `*out` is written only on TQ_OK. */
tq_status_t kb_count_chunks(const tenant_ctx_t *ctx, const char *bot, uint64_t *out,
                            tq_detail_t *detail);

/* Scrolls every chunk of the bot and gathers its distinct sources into `out` (zeroed
 * first; free with kb_inventory_free, also after a failure). */
tq_status_t kb_inventory_collect(const tenant_ctx_t *ctx, const char *bot,
                                 kb_inventory_t *out, tq_detail_t *detail);

void kb_inventory_free(kb_inventory_t *inventory);

#endif
