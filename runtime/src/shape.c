/* shape.c: the canonical shape text of a collection, the input of its fingerprint.
 *
 * The text names only what changes the meaning of stored points: the vector (name,
 * size, distance), the scope fields in order (point ids and filters depend on them),
 * the BM25 sparse vector when declared (name, modifier, and the text fields in order:
 * stored sparse vectors were computed from them), and each payload field's name, type
 * and whether it is indexed. It leaves out what a stored point does not depend on
 * (operations, 'required', 'filterable', the default placement, 'was' clauses, fusion
 * and group by, which are query-time only), so changing those never changes the
 * fingerprint; a collection without a sparse vector keeps the text it had. Pure
 * function: no allocation, no I/O; compiled into libtenantq and into tenantq-gen. */
#include "shape.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const distance_names[] = {"Cosine", "Dot", "Euclid", "Manhattan"};

const char *tq_shape_distance_name(tq_distance_t distance)
{
    if ((int)distance < 0 || distance > TQ_DISTANCE_MANHATTAN)
        return NULL;
    return distance_names[distance];
}

typedef struct sink {
    char *out;
    size_t cap;
    size_t len;
} sink_t;

/* Appends like snprintf, counting what does not fit. */
static void put(sink_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sink_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = s->len < s->cap ? s->out + s->len : NULL;
    size_t room = s->len < s->cap ? s->cap - s->len : 0;
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->len += (size_t)n;
}

/* Index of the field whose name follows `after` (NULL: the first) in byte order, or
 * field_count when none does. Selection keeps the function allocation-free; at most
 * a few hundred fields make the quadratic walk cheap. */
static size_t next_field(const tq_raw_collection_t *c, const char *after)
{
    size_t best = c->field_count;
    for (size_t i = 0; i < c->field_count; i++) {
        const char *name = c->fields[i].name;
        if (after && strcmp(name, after) <= 0)
            continue;
        if (best == c->field_count || strcmp(name, c->fields[best].name) < 0)
            best = i;
    }
    return best;
}

size_t tq_shape_text(const tq_raw_collection_t *c, char *out, size_t cap)
{
    sink_t s = {out, cap, 0};
    if (out && cap)
        out[0] = '\0';
    const char *distance = tq_shape_distance_name(c->distance);
    put(&s, "%s\nvector %s %u %s\n", TQ_SHAPE_HEADER, c->vector_name, (unsigned)c->dim,
        distance ? distance : "?");
    for (size_t i = 0; i < c->scope_count; i++)
        put(&s, "scope %s\n", c->scope_fields[i]);
    if (c->sparse_name) {
        put(&s, "sparse %s %s ", c->sparse_name, TQ_SHAPE_SPARSE_MODIFIER);
        for (size_t i = 0; i < c->sparse_field_count; i++)
            put(&s, "%s%s", i ? "," : "", c->sparse_fields[i]);
        put(&s, "\n");
    }
    const char *last = NULL;
    for (size_t i = next_field(c, NULL); i < c->field_count; i = next_field(c, last)) {
        const tq_raw_field_t *f = &c->fields[i];
        put(&s, "field %s %s%s\n", f->name, f->type, f->indexed ? " indexed" : "");
        last = f->name;
    }
    return s.len;
}
