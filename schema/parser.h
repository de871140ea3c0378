/* parser.h: the schema parser (syntax only; checks.c does the semantics). */
#ifndef TQ_SCHEMA_PARSER_H
#define TQ_SCHEMA_PARSER_H

#include "schema.h"

/* Parses `text` into a new tree in *out (allocated with `allocator`, which the tree
 * keeps), reporting syntax errors to `diags` and recovering at the next ';' or '}'.
 * Returns 0, or -1 when out of memory (then *out is NULL). The tree may be partial
 * when errors were reported. */
int tqs_parse(const char *text, size_t len, const tq_schema_allocator_t *allocator,
              tq_schema_t **out, tq_schema_diags_t *diags);

#endif
