/* path.c: payload key paths.
 *
 * Qdrant keys are dotted JSON paths; `[]` walks every element of an array and `[N]`
 * one element. A value that is an array at the end of the path counts as its
 * elements, which is why "arrays match if any element matches". Never allocates;
 * never writes beyond `max` results.
 */
#include "path.h"

#include <stdlib.h>
#include <string.h>

typedef struct collect {
    const cJSON **out;
    size_t n, max;
} collect_t;

static void emit(collect_t *c, const cJSON *v)
{
    if (cJSON_IsArray(v)) {
        for (const cJSON *e = v->child; e; e = e->next)
            if (c->n < c->max)
                c->out[c->n++] = e;
        return;
    }
    if (c->n < c->max)
        c->out[c->n++] = v;
}

static void walk(collect_t *c, const cJSON *node, const char *path)
{
    if (!node)
        return;
    if (*path == '\0') {
        emit(c, node);
        return;
    }
    if (*path == '.')
        path++;
    if (*path == '[') {
        const char *close = strchr(path, ']');
        if (!close || !cJSON_IsArray(node))
            return;
        if (close == path + 1) {
            for (const cJSON *e = node->child; e; e = e->next)
                walk(c, e, close + 1);
            return;
        }
        char *end;
        long idx = strtol(path + 1, &end, 10);
        if (end != close || idx < 0)
            return;
        walk(c, cJSON_GetArrayItem(node, (int)idx), close + 1);
        return;
    }
    size_t len = strcspn(path, ".[");
    if (!cJSON_IsObject(node) || len == 0)
        return;
    for (const cJSON *ch = node->child; ch; ch = ch->next) {
        if (ch->string && strlen(ch->string) == len && memcmp(ch->string, path, len) == 0) {
            walk(c, ch, path + len);
            return;
        }
    }
}

size_t ds_path_values(const cJSON *payload, const char *path, const cJSON **out, size_t max)
{
    collect_t c = {out, 0, max};
    walk(&c, payload, path);
    return c.n;
}
