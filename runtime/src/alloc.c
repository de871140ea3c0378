/* alloc.c: the replaceable allocator behind every libtenantq allocation.
 *
 * It exists so allocation-failure tests can fail the Nth allocation on every parsing
 * path. It must never abort on failure: every caller checks for NULL. */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static tq_malloc_fn current_malloc = malloc;
static tq_free_fn current_free = free;

void tq_alloc_set_hooks(tq_malloc_fn malloc_fn, tq_free_fn free_fn)
{
    current_malloc = malloc_fn ? malloc_fn : malloc;
    current_free = free_fn ? free_fn : free;
}

void *tq_malloc(size_t size)
{
    return current_malloc(size ? size : 1);
}

void *tq_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    size_t n = count * size;
    void *p = tq_malloc(n);
    if (p)
        memset(p, 0, n > 0 ? n : 1);
    return p;
}

void *tq_grow(void *ptr, size_t old_size, size_t size)
{
    void *p = tq_malloc(size);
    if (!p)
        return NULL;
    if (ptr) {
        memcpy(p, ptr, old_size < size ? old_size : size);
        tq_free(ptr);
    }
    return p;
}

char *tq_strndup(const char *s, size_t n)
{
    char *p = tq_malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tq_strdup(const char *s)
{
    return tq_strndup(s, strlen(s));
}

void tq_free(void *ptr)
{
    if (ptr)
        current_free(ptr);
}

void tq_wipe(void *ptr, size_t n)
{
    if (ptr && n)
        explicit_bzero(ptr, n);
}
