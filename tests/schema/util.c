/* util.c: file reading and the failing allocator for the schema tests.
 *
 * The allocator counts every allocation (realloc of NULL included) and live blocks, so
 * a test can assert that nothing leaked after a failure injected at any point. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

char *util_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) goto done;
    buf = malloc((size_t)size + 1);
    if (buf == NULL) goto done;
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto done;
    }
    buf[size] = '\0';
    *len = (size_t)size;
done:
    fclose(f);
    return buf;
}

static int should_fail(util_counter_t *c) {
    c->allocations++;
    if (c->fail_at != 0 && c->allocations == c->fail_at) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

static void *counting_alloc(void *user, size_t size) {
    util_counter_t *c = user;
    void *p;
    if (should_fail(c)) return NULL;
    p = malloc(size);
    if (p != NULL) c->live++;
    return p;
}

static void *counting_realloc(void *user, void *ptr, size_t size) {
    util_counter_t *c = user;
    void *p;
    if (should_fail(c)) return NULL;
    p = realloc(ptr, size);
    if (p != NULL && ptr == NULL) c->live++;
    return p;
}

static void counting_free(void *user, void *ptr) {
    util_counter_t *c = user;
    if (ptr == NULL) return;
    c->live--;
    free(ptr);
}

tq_schema_allocator_t util_counting_allocator(util_counter_t *counter) {
    tq_schema_allocator_t a;
    a.alloc = counting_alloc;
    a.realloc = counting_realloc;
    a.free = counting_free;
    a.user = counter;
    return a;
}
