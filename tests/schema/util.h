/* util.h: helpers shared by the schema tests: reading a file and a counting allocator
 * that can fail its Nth allocation. */
#ifndef TQ_SCHEMA_TEST_UTIL_H
#define TQ_SCHEMA_TEST_UTIL_H

#include "schema.h"

#include <stddef.h>

/* Reads `path` into a malloc'd NUL-terminated buffer; NULL on error. */
char *util_read_file(const char *path, size_t *len);

/* Allocations made and freed, and the (1-based) allocation to fail; 0 never fails. */
typedef struct util_counter {
    size_t allocations;
    size_t live;
    size_t fail_at;
    int failed; /* the planned failure happened */
} util_counter_t;

/* An allocator over malloc/realloc/free that counts into `counter`. */
tq_schema_allocator_t util_counting_allocator(util_counter_t *counter);

#endif
