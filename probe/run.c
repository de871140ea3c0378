/* run.c: set-up and tear-down of one placement's run state, and the names used in
 * reports. It must never talk to a server. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[PK_COUNT] = {
    "exact_vector", "near_vector",  "topic_centroid", "payload_filter", "get_by_key",
    "delete_by_key", "count_scroll", "client_switch", "interleaved",    "other_scope",
    "sparse_terms",  "hybrid",       "grouped",
};

static const char *const op_names[POP_COUNT_OPS] = {"search", "get",         "count",
                                                     "scroll", "delete",      "text_search",
                                                     "hybrid", "search_groups"};

const char *probe_kind_name(probe_kind_t kind)
{
    /* PK_COUNT names the checks made once after all probes. */
    return (unsigned)kind < PK_COUNT ? kind_names[kind] : "final_checks";
}

const char *probe_op_name(probe_op_t op)
{
    return (unsigned)op < POP_COUNT_OPS ? op_names[op] : "unknown";
}

int probe_kind_is_pair(probe_kind_t kind)
{
    switch (kind) {
    case PK_EXACT:
    case PK_NEAR:
    case PK_CENTROID:
    case PK_FILTER:
    case PK_GET:
    case PK_DELETE:
    case PK_SWITCH:
    case PK_SPARSE:
    case PK_HYBRID:
    case PK_GROUPED:
        return 1;
    default:
        return 0;
    }
}

unsigned probe_kinds_supported(const probe_api_t *api)
{
    if (!api)
        return PROBE_KINDS_ALL;
    unsigned k = 0;
    if (api->search)
        k |= 1u << PK_EXACT | 1u << PK_NEAR | 1u << PK_CENTROID | 1u << PK_SWITCH |
             1u << PK_INTERLEAVED;
    if (api->search && api->count && api->filters)
        k |= 1u << PK_FILTER;
    if (api->get)
        k |= 1u << PK_GET;
    if (api->del && api->count && api->get)
        k |= 1u << PK_DELETE;
    if (api->count && api->scroll)
        k |= 1u << PK_COUNT_SCROLL;
    if (api->search && api->get && api->count)
        k |= 1u << PK_SCOPE;
    if (api->text_search)
        k |= 1u << PK_SPARSE;
    if (api->hybrid)
        k |= 1u << PK_HYBRID;
    if (api->groups && api->has_sparse)
        k |= 1u << PK_GROUPED;
    return k;
}

size_t probe_kinds_list(unsigned kinds, probe_kind_t out[PK_COUNT])
{
    size_t n = 0;
    for (size_t k = 0; k < PK_COUNT; k++) {
        if (kinds & (1u << k))
            out[n++] = (probe_kind_t)k;
    }
    return n;
}

tq_probe_scopes_t run_scopes(const probe_run_t *run, size_t bot)
{
    return run->scope_values[bot % PROBE_BOTS];
}

int run_init(probe_run_t *run, const probe_options_t *opt, tq_placement_t placement,
             const probe_api_t *api, const probe_corpus_t *corpus, size_t axis)
{
    memset(run, 0, sizeof *run);
    run->opt = opt;
    run->placement = placement;
    run->api = api;
    run->corpus = corpus;
    run->kinds = probe_kinds_supported(api);
    run->axis = axis;
    for (size_t bot = 0; bot < PROBE_BOTS; bot++) {
        for (size_t s = 0; s < TQ_PROBE_MAX_SCOPES; s++)
            run->scope_values[bot][s] = s == axis ? corpus_bot_name(bot) : PROBE_FIXED_SCOPE;
    }
    pthread_mutex_init(&run->lock, NULL);
    for (size_t i = 0; i < POP_COUNT_OPS; i++)
        samples_init(&run->op_latency[i]);
    for (size_t i = 0; i < PK_COUNT; i++)
        samples_init(&run->kind_latency[i]);
    run->tenants = calloc(corpus->tenants, sizeof *run->tenants);
    run->pair_seen = calloc(corpus->tenants * corpus->tenants, 1);
    if (!run->tenants || !run->pair_seen) {
        free(run->tenants);
        run->tenants = NULL;
        run_free(run);
        return -1;
    }
    for (size_t t = 0; t < corpus->tenants; t++)
        samples_init(&run->tenants[t].latency);
    return 0;
}

void run_free(probe_run_t *run)
{
    if (run->tenants) {
        for (size_t t = 0; t < run->corpus->tenants; t++) {
            if (run->tenants[t].ctx)
                tq_ctx_free(run->tenants[t].ctx);
            samples_free(&run->tenants[t].latency);
        }
    }
    for (size_t i = 0; i < POP_COUNT_OPS; i++)
        samples_free(&run->op_latency[i]);
    for (size_t i = 0; i < PK_COUNT; i++)
        samples_free(&run->kind_latency[i]);
    free(run->tenants);
    free(run->pair_seen);
    if (run->runtime_stats)
        tq_stats_free(run->runtime_stats);
    run->runtime_stats = NULL;
    if (run->client)
        tq_client_free(run->client);
    pthread_mutex_destroy(&run->lock);
    run->tenants = NULL;
    run->pair_seen = NULL;
    run->client = NULL;
}
