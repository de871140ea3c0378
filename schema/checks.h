/* checks.h: semantic checks over a parsed schema. */
#ifndef TQ_SCHEMA_CHECKS_H
#define TQ_SCHEMA_CHECKS_H

#include "schema.h"

/* Reports every semantic error and warning of `schema` to `diags`. Returns 0, or -1
 * when out of memory. */
int tqs_check(const tq_schema_t *schema, tq_schema_diags_t *diags);

/* Reports C names that two declarations would both generate (names.c). Returns 0, or
 * -1 when out of memory. */
int tqs_check_mangled_names(const tq_schema_t *schema, tq_schema_diags_t *diags);

/* Whether `name` is a C or C++ keyword or a name the C library defines as a macro. */
int tqs_is_reserved_word(const char *name);

#endif
