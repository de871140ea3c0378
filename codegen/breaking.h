/* breaking.h: `tenantq-gen --breaking-against OLD NEW`, the comparison of two versions
 * of a schema that says, for every difference, whether stored data survives it. */
#ifndef TQ_GEN_BREAKING_H
#define TQ_GEN_BREAKING_H

#include "schema.h"

#include <stddef.h>

typedef enum gen_level {
    GEN_SAFE = 0,    /* stored points keep their meaning; nothing to run */
    GEN_ACTION = 1,  /* stored points keep their meaning, but something must be run */
    GEN_BREAKING = 2 /* stored points would be misread or lost */
} gen_level_t;

/* One difference. `kind` is a stable identifier ("field_added", "dim_changed", ...);
 * `in_old` says whether `pos` is in the old file (things removed) or the new one. */
typedef struct gen_change {
    gen_level_t level;
    const char *kind;
    char collection[TQ_SCHEMA_NAME_MAX + 1];
    tq_schema_pos_t pos;
    int in_old;
    char message[512];
} gen_change_t;

typedef struct gen_changes {
    gen_change_t *items;
    size_t count;
    size_t cap;
    int nomem;
} gen_changes_t;

/* Compares two loaded schemas and appends every difference to `out` (zero-initialised;
 * free with gen_changes_free). A collection whose revision rose may change in any way:
 * its differences are then reported as safe, with the revision's own line saying what
 * to run. Returns 0, or -1 when out of memory. */
int gen_breaking_compare(const tq_schema_t *old_schema, const tq_schema_t *new_schema,
                         gen_changes_t *out);

void gen_changes_free(gen_changes_t *changes);

const char *gen_level_name(gen_level_t level);

/* The whole command: reads OLD ("-" for stdin) and NEW, prints one line per change
 * (or JSON when `json`), and returns the exit status: 0 nothing breaking, 1 something
 * breaking, 2 usage, I/O or schema errors. */
int gen_breaking_main(const char *old_path, const char *new_path, int json);

#endif
