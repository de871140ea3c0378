/* schema_main.c: tq_probe_main, the probe over a user's own schema.
 *
 * `tenantq-gen --probe` writes a table per collection of the user's generated client
 * and a main() that calls this with them. Every collection is probed; a collection
 * with several scopes once per scope (that scope takes the values bot0/bot1, the others
 * a fixed value), so crossing each scope on its own is probed. It fails closed: a
 * collection the driver cannot synthesise data for, or against which no probe kind can
 * run, is a set-up error naming the collection and the reason, never skipped. */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "run.h"

/* Why the driver cannot probe `c`, or NULL when it can. */
static const char *unprobeable(const tq_probe_collection_t *c)
{
    if (!c->upsert)
        return "it has no upsert operation, so synthetic tenants cannot be loaded";
    if (!c->onboard || !c->offboard)
        return "its table has no onboard/offboard functions";
    if (c->scope_count == 0)
        return "it declares no scope; the probe's ground truth splits each tenant's points "
               "over two values of a scope";
    if (c->scope_count > TQ_PROBE_MAX_SCOPES)
        return "it declares more scopes than the driver holds";
    if (c->dim == 0)
        return "its dimension is 0";
    if (!c->distance || strcmp(c->distance, "Manhattan") == 0)
        return "its distance is Manhattan, whose ranking of unit vectors differs from the "
               "cosine the probe's recall check computes";
    if (c->groups && !c->has_sparse)
        return "search_groups without a sparse vector: the grouped probe needs the BM25 "
               "text path";
    if (probe_kinds_supported(c) == 0)
        return "no probe kind can run with its operations (it needs search, get, count, "
               "scroll, delete, text_search, hybrid or search_groups)";
    return NULL;
}

int tq_probe_main(int argc, char **argv, const tq_probe_schema_t *schema)
{
    probe_options_t opt;
    int parsed = cli_parse(argc, argv, &opt);
    if (parsed != 0)
        return parsed > 0 ? EXIT_CLEAN : EXIT_SETUP;
    if (opt.dim_given) {
        fprintf(stderr, "tenantq-probe: error: --dim does not apply to the probe of schema "
                        "'%s': each collection is probed at its own dimension\n",
                schema->name);
        return EXIT_SETUP;
    }
    size_t count = 0;
    for (size_t i = 0; i < schema->collection_count; i++) {
        const tq_probe_collection_t *c = schema->collections[i];
        const char *why = unprobeable(c);
        if (why) {
            fprintf(stderr, "tenantq-probe: error: schema %s, collection %s cannot be probed: "
                            "%s\n",
                    schema->name, c->collection, why);
            return EXIT_SETUP;
        }
        count += c->scope_count;
    }
    if (count == 0) {
        fprintf(stderr, "tenantq-probe: error: schema %s has no collection to probe\n",
                schema->name);
        return EXIT_SETUP;
    }
    probe_target_t targets[TQ_PROBE_MAX_SCOPES * 64];
    if (count > sizeof targets / sizeof targets[0]) {
        fprintf(stderr, "tenantq-probe: error: schema %s has more collections and scopes than "
                        "the driver holds\n",
                schema->name);
        return EXIT_SETUP;
    }
    size_t n = 0;
    for (size_t i = 0; i < schema->collection_count; i++) {
        for (size_t axis = 0; axis < schema->collections[i]->scope_count; axis++)
            targets[n++] = (probe_target_t){schema->collections[i], axis, 1};
    }
    return probe_drive(&opt, targets, n);
}
