/* alloc.h: the allocator every libtenantq allocation goes through.
 * Tests replace it to make the Nth allocation fail; memory it returns must be
 * releasable with free(), because accessors hand copies to callers who use free(). */
#ifndef TQ_ALLOC_H
#define TQ_ALLOC_H

#include <stddef.h>

typedef void *(*tq_malloc_fn)(size_t size);
typedef void (*tq_free_fn)(void *ptr);

/* Replaces the allocator (NULL, NULL restores malloc/free). Not thread-safe: call it
 * before any other libtenantq function. */
void tq_alloc_set_hooks(tq_malloc_fn malloc_fn, tq_free_fn free_fn);

void *tq_malloc(size_t size);
void *tq_calloc(size_t count, size_t size);
/* Grows `ptr` (from tq_malloc) to `size` bytes, copying `old_size` bytes; NULL on
 * failure with `ptr` untouched. */
void *tq_grow(void *ptr, size_t old_size, size_t size);
char *tq_strdup(const char *s);
char *tq_strndup(const char *s, size_t n);
void tq_free(void *ptr);
/* Overwrites `n` bytes at `ptr` with zeros in a way the compiler keeps even when the
 * memory is freed next (for credentials). */
void tq_wipe(void *ptr, size_t n);

#endif
