/* filter.h: Qdrant Filter parsing (strict) and evaluation against a point. */
#ifndef DS_FILTER_H
#define DS_FILTER_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "ids.h"
#include "json.h"
#include "store.h"

typedef struct ds_filter ds_filter_t;

/* Parses `node` (a Filter object) into arena memory. Returns NULL on error with the
 * HTTP status (400 or 422) in *status and the full message in msg. */
ds_filter_t *ds_filter_parse(ds_arena_t *arena, const cJSON *node, int *status, char *msg,
                             size_t len);
/* 1 if the point matches. A NULL filter matches everything. */
int ds_filter_match(const ds_filter_t *f, const ds_collection_t *col, const ds_point_t *p);
/* If the filter's top-level `must` pins `field` to one string value, returns that
 * value (so only that tenant's slots need scanning) and the pinning condition in
 * *cond; otherwise NULL. */
const char *ds_filter_tenant_value(const ds_filter_t *f, const char *field, const void **cond);
/* As ds_filter_match, treating the top-level condition `known` (from
 * ds_filter_tenant_value, or NULL) as already true. */
int ds_filter_match_skip(const ds_filter_t *f, const ds_collection_t *col, const ds_point_t *p,
                         const void *known);
/* A filter matching what both match (either may be NULL: the other is returned),
 * built in arena memory; NULL only when both are NULL or on arena exhaustion. */
ds_filter_t *ds_filter_and(ds_arena_t *arena, const ds_filter_t *a, const ds_filter_t *b);
/* 1 if `known` is the filter's only condition (so a point satisfying it matches). */
int ds_filter_only(const ds_filter_t *f, const void *known);
/* Parses an RFC 3339 date/time (also "YYYY-MM-DD[ HH:MM:SS]") to Unix seconds. 1 on
 * success. */
int ds_datetime_parse(const char *s, double *out);

#endif
