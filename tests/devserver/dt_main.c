/* dt_main.c: entry point of devserver_cases; argv[1] names the case group to run
 * (core, points, filter, filter_indexed, filter_indexed_first, query, auth, shards,
 * hybrid).
 * It must never run a group it was not asked for, so each ctest entry reports one. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "dt_table.h"

static const dt_group_t *const groups[] = {&dt_group_core,  &dt_group_points, &dt_group_filter,
                                           &dt_group_query, &dt_group_auth,   &dt_group_shards,
                                           &dt_group_hybrid};

/* Runs group `name`; returns its failure count, or -1 when no group has that name. */
static int run_named(const char *name) {
    if (strcmp(name, "filter_indexed") == 0)
        return dt_run_filter_variant(name, DT_FX_BASIC_INDEXED);
    if (strcmp(name, "filter_indexed_first") == 0)
        return dt_run_filter_variant(name, DT_FX_BASIC_INDEXED_FIRST);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(groups[i]->name, name) == 0) return dt_run_group(groups[i]);
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s GROUP\n", argv[0]);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = run_named(argv[1]);
    curl_global_cleanup();
    if (failed < 0) {
        fprintf(stderr, "%s: unknown group '%s'\n", argv[0], argv[1]);
        return 2;
    }
    return failed == 0 ? 0 : 1;
}
