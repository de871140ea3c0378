/* mem.h: allocation through the caller's tq_schema_allocator_t, for the schema library.
 * Everything the library allocates goes through these so tests can fail any one. */
#ifndef TQ_SCHEMA_MEM_H
#define TQ_SCHEMA_MEM_H

#include "schema.h"

/* Copies `allocator`, or installs the C library's functions when it is NULL. */
void tqs_mem_init(tq_schema_allocator_t *dst, const tq_schema_allocator_t *allocator);

void *tqs_alloc(const tq_schema_allocator_t *a, size_t size);
void tqs_free(const tq_schema_allocator_t *a, void *ptr);

/* A NUL-terminated copy of `len` bytes of `s`; NULL when out of memory. */
char *tqs_strndup(const tq_schema_allocator_t *a, const char *s, size_t len);

/* Appends one zeroed element of `size` bytes to the array *items of *count elements.
 * The capacity is implied by the count (4, then doubling), so arrays need no capacity
 * field. Returns the new element, or NULL when out of memory (the array is unchanged). */
void *tqs_push(const tq_schema_allocator_t *a, void **items, size_t *count, size_t size);

#endif
