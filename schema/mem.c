/* mem.c: the schema library's allocation helpers.
 *
 * Every allocation of the library passes through the caller's hooks, so a test can
 * fail the Nth one and check that nothing leaks. These helpers never abort and never
 * print: failure is a NULL the caller turns into TQ_SCHEMA_NOMEM. */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

static void *libc_alloc(void *user, size_t size) {
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *user, void *ptr, size_t size) {
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *user, void *ptr) {
    (void)user;
    free(ptr);
}

void tqs_mem_init(tq_schema_allocator_t *dst, const tq_schema_allocator_t *allocator) {
    if (allocator != NULL) {
        *dst = *allocator;
        return;
    }
    dst->alloc = libc_alloc;
    dst->realloc = libc_realloc;
    dst->free = libc_free;
    dst->user = NULL;
}

void *tqs_alloc(const tq_schema_allocator_t *a, size_t size) {
    return a->alloc(a->user, size == 0 ? 1 : size);
}

void tqs_free(const tq_schema_allocator_t *a, void *ptr) {
    if (ptr != NULL) a->free(a->user, ptr);
}

char *tqs_strndup(const tq_schema_allocator_t *a, const char *s, size_t len) {
    char *copy = tqs_alloc(a, len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

void *tqs_push(const tq_schema_allocator_t *a, void **items, size_t *count, size_t size) {
    char *base;
    size_t n = *count;
    int full = n == 0 || (n >= 4 && (n & (n - 1)) == 0);
    if (full) {
        size_t grown = n == 0 ? 4 : n * 2;
        void *bigger = a->realloc(a->user, *items, grown * size);
        if (bigger == NULL) return NULL;
        *items = bigger;
    }
    base = (char *)*items + *count * size;
    memset(base, 0, size);
    (*count)++;
    return base;
}
